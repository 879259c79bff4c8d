"""Training data: records from the specs, splits and tiers, JSONL and datasets round
trips, rejection sampling of a teacher's programs, and the 'cwmkit data' command."""

import json
from pathlib import Path

import pytest

from cwmkit import data
from cwmkit.cli import main
from cwmkit.core.errors import ConfigError, UnknownNameError
from cwmkit.generation import create_generator
from cwmkit.rewards import extract_code
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier
from tests.test_generators import FakeServer

GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"
TTT = (GAMES / "tic_tac_toe" / "reference.py").read_text()
KUHN = (GAMES / "kuhn_poker" / "reference.py").read_text()


def test_train_records_pair_each_prompt_with_its_reference(host):
    records, stats = data.build_records()
    games = host.registry("games")
    train = {g for g, game in games.items() if game.spec.split == "train"}
    assert {r["game"] for r in records} == train and stats == {}
    ttt = next(r for r in records if r["game"] == "tic_tac_toe")
    assert set(ttt) == set(data.FIELDS)
    assert ttt["split"] == "train" and ttt["source"] == "reference"
    assert ttt["tier"] == games["tic_tac_toe"].spec.tier
    [user] = ttt["prompt"]
    [assistant] = ttt["completion"]
    assert user["role"] == "user" and "Tic-Tac-Toe" in user["content"]
    assert "def get_legal_actions" in user["content"]
    assert assistant["role"] == "assistant" and assistant["content"].startswith("```python\n")
    # The answer is exactly what the reward would extract from a model saying it.
    assert extract_code(ttt["completion"]) == TTT.rstrip() + "\n"
    # Curriculum order: by tier, then id.
    keys = [(r["tier"] is None, r["tier"] or 0, r["game"]) for r in records]
    assert keys == sorted(keys)


def test_splits_and_game_selection(host):
    eval_games = {r["game"] for r in data.build_records("eval")[0]}
    assert eval_games and all(host.get("games", g).spec.split == "eval" for g in eval_games)
    every = {r["game"] for r in data.build_records("all")[0]}
    assert eval_games < every
    chosen = data.build_records("all", ["kuhn_poker", "tic_tac_toe"])[0]
    assert sorted(r["game"] for r in chosen) == ["kuhn_poker", "tic_tac_toe"]
    eval_game = sorted(eval_games)[0]
    with pytest.raises(ConfigError, match="eval split, not train"):
        data.select_games("train", [eval_game])
    with pytest.raises(UnknownNameError, match="tic_tac_to"):
        data.select_games("all", ["tic_tac_to"])
    with pytest.raises(ConfigError, match="split must be"):
        data.select_games("test")


def test_text_format_has_plain_strings():
    [r] = data.build_records("all", ["kuhn_poker"], format="text")[0]
    assert isinstance(r["prompt"], str) and "resample_history" in r["prompt"]
    assert r["completion"] == data.answer(KUHN)


def test_jsonl_and_datasets_round_trip(tmp_path):
    datasets = pytest.importorskip("datasets")
    records = data.build_records("all", ["tic_tac_toe", "kuhn_poker"])[0]
    paths = data.save(records, tmp_path / "out", progress=False)
    lines = paths["jsonl"].read_text().splitlines()
    assert [json.loads(line) for line in lines] == records
    assert data.read_records(tmp_path / "out") == records
    loaded = datasets.load_from_disk(str(paths["dataset"]))
    assert loaded.column_names == list(data.FIELDS)
    assert loaded.to_list() == records
    assert data.load_dataset(tmp_path / "out").to_list() == records


# --------------------------------------------------------------------- teacher

# Misses the anti-diagonal: a wrong rule, still a program that plays.
BROKEN = TTT.replace("[(0, 2), (1, 1), (2, 0)]", "[(0, 2), (1, 1), (2, 1)]", 1)


@pytest.fixture
def teacher_server():
    """A teacher that answers each prompt with: the reference, a broken program, no code,
    and the reference again."""
    server = FakeServer()
    by_title = {"Tic-Tac-Toe": (TTT, BROKEN), "Kuhn Poker": (KUHN, KUHN.replace(
        "def resample_history(", "def resample("))}

    def reply(prompt, i):
        title = prompt.split("for the game ", 1)[1].split(":", 1)[0]
        good, bad = by_title[title]
        return [f"```python\n{good}```", f"Sure:\n```python\n{bad}```", "I can't.",
                f"```python\n{good}```"][i % 4]

    server.reply = reply
    yield server
    server.close()


def test_teacher_programs_that_verify_are_kept_once(teacher_server):
    teacher = create_generator("openai", {"model": "big", "base_url": teacher_server.url,
                                          "n": 4, "backoff": 0.01})
    with Verifier(VerifySettings(playouts=8)) as verifier:
        records, stats = data.build_records("all", ["tic_tac_toe", "kuhn_poker"],
                                            generator=teacher, verifier=verifier)
    teacher_made = [r for r in records if r["source"] != "reference"]
    assert sorted(r["game"] for r in teacher_made) == ["kuhn_poker", "tic_tac_toe"]
    assert {r["source"] for r in teacher_made} == {"teacher:openai:big"}
    assert stats["tic_tac_toe"] == {"generated": 4, "programs": 2, "kept": 1}
    ttt = next(r for r in teacher_made if r["game"] == "tic_tac_toe")
    assert extract_code(ttt["completion"]) == TTT.rstrip() + "\n"


# --------------------------------------------------------------------- the CLI

def test_cli_build_writes_records_and_dataset(tmp_path, capsys):
    out = tmp_path / "d"
    assert main(["data", "build", "--out", str(out), "--games", "tic_tac_toe",
                 "--format", "text", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["records"] == 1 and summary["sources"] == {"reference": 1}
    [r] = data.read_records(out)
    assert r["game"] == "tic_tac_toe" and isinstance(r["prompt"], str)
    assert Path(summary["dataset"]).is_dir()


def test_cli_build_with_a_teacher(tmp_path, capsys, teacher_server):
    out = tmp_path / "d"
    assert main(["data", "build", "--out", str(out), "--split", "all", "--games",
                 "tic_tac_toe", "--teacher", "openai", "--teacher-model", "big",
                 "--samples", "2", "--teacher-set", f"base_url={teacher_server.url}",
                 "--teacher-set", "backoff=0.01", "--workers", "2"]) == 0
    printed = capsys.readouterr().out
    assert "1 of 2 distinct teacher programs kept" in printed
    assert [r["source"] for r in data.read_records(out)] == ["reference", "teacher:openai:big"]


@pytest.mark.parametrize("args, message", [
    (["--teacher", "openai"], "--teacher-model"),
    (["--teacher-model", "x"], "need --teacher"),
    (["--teacher", "opnai", "--teacher-model", "x"], "did you mean 'openai'"),
    (["--games", "nope"], "unknown game 'nope'"),
])
def test_cli_usage_errors_exit_2(tmp_path, capsys, args, message):
    assert main(["data", "build", "--out", str(tmp_path / "d"), *args]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
