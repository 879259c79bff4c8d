"""The command line as a user meets it: output, --json, exit codes, no tracebacks."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cwmkit.cli import SUBCOMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[1]
TIC_TAC_TOE = ROOT / "plugins" / "games" / "tic_tac_toe"


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cwmkit", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, timeout=120)


def test_games_json_lists_the_facts_and_paths(capsys):
    assert main(["games", "--json"]) == 0
    games = {g["id"]: g for g in json.loads(capsys.readouterr().out)}
    ttt = games["tic_tac_toe"]
    for key in ("id", "title", "information", "chance", "players", "split", "tier", "spec",
                "reference"):
        assert key in ttt
    assert (ttt["information"], ttt["chance"], ttt["players"]) == ("perfect", "none", 2)
    assert Path(ttt["spec"]) == TIC_TAC_TOE / "spec.game"
    assert Path(ttt["reference"]) == TIC_TAC_TOE / "reference.py"


def test_games_split_filter(capsys):
    assert main(["games", "--split", "eval", "--json"]) == 0
    assert all(g["split"] == "eval" for g in json.loads(capsys.readouterr().out))


def test_show_prints_rules_and_scenarios(capsys):
    assert main(["show", "tic_tac_toe"]) == 0
    out = capsys.readouterr().out
    assert "Tic-Tac-Toe" in out and "Rules" in out and "x wins with the top row" in out


def test_show_source_is_the_canonical_text(capsys):
    from cwmkit.spec import load_spec, parse_spec

    assert main(["show", "tic_tac_toe", "--source"]) == 0
    text = capsys.readouterr().out
    assert parse_spec(text) == load_spec(TIC_TAC_TOE / "spec.game")


def test_prompt_holds_rules_actions_observations_and_the_interface(capsys):
    assert main(["prompt", "tic_tac_toe"]) == 0
    out = capsys.readouterr().out
    spec_text = (TIC_TAC_TOE / "spec.game").read_text()
    assert "def apply_action(state: State, action: Action) -> State:" in out
    from cwmkit.spec import load_spec

    spec = load_spec(TIC_TAC_TOE / "spec.game")
    for section in (spec.rules, spec.actions, spec.observe):
        assert section.split("\n")[0] in out and section.split("\n")[0] in spec_text
    assert "resample_history" not in out  # perfect information


def test_unknown_game_is_a_one_line_cause_and_fix():
    result = cli("show", "tic_tac_to")
    assert result.returncode == 2
    assert "unknown game 'tic_tac_to' (did you mean 'tic_tac_toe'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_spec_accepts_a_good_spec_and_runs_its_reference():
    result = cli("check-spec", str(TIC_TAC_TOE))
    assert result.returncode == 0
    from cwmkit.spec import load_spec

    count = len(load_spec(TIC_TAC_TOE / "spec.game").scenarios)
    assert f"reference passes {count} scenarios" in " ".join(result.stdout.split())


def test_check_spec_reports_syntax_errors_without_traceback(tmp_path):
    bad = tmp_path / "bad.game"
    text = (TIC_TAC_TOE / "spec.game").read_text()
    line = text[:text.index("players 2")].count("\n") + 1
    bad.write_text(text.replace("players 2", "players: 2"))
    result = cli("check-spec", str(bad))
    assert result.returncode == 3
    assert f"{bad}:{line}:10: syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_spec_catches_a_reference_that_breaks_a_scenario(tmp_path):
    folder = tmp_path / "tic_tac_toe"
    folder.mkdir()
    (folder / "spec.game").write_text((TIC_TAC_TOE / "spec.game").read_text())
    source = (TIC_TAC_TOE / "reference.py").read_text()
    anti_diagonal_missed = source.replace("[(0, 2), (1, 1), (2, 0)]", "[(0, 2), (1, 1), (2, 1)]")
    (folder / "reference.py").write_text(anti_diagonal_missed)
    result = cli("check-spec", str(folder), "--json")
    assert result.returncode == 1
    [report] = json.loads(result.stdout)
    failed = [s["name"] for s in report["scenarios"] if not s["passed"]]
    assert "o wins with the anti-diagonal" in failed
    assert len(failed) < len(report["scenarios"])


def test_plugins_json(capsys):
    assert main(["plugins", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {p["name"] for p in data["plugins"]}
    assert {"games", "prompts"} <= names


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help_and_docs(name):
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    command = name.replace("_", "-")
    assert sub[command].description
    assert f"cwmkit {command}" in (ROOT / "README.md").read_text()


def test_no_command_prints_help_and_fails():
    result = cli()
    assert result.returncode == 2 and "usage: cwmkit" in result.stdout


def test_core_commands_never_import_heavy_extras():
    commands = [["games"], ["show", "tic_tac_toe"], ["prompt", "tic_tac_toe"], ["plugins"],
                ["check-spec", str(TIC_TAC_TOE)]]
    code = (f"import sys; from cwmkit.cli import main; [main(a) for a in {commands!r}]; "
            "heavy = {'torch', 'transformers', 'trl', 'peft', 'vllm', 'pyspiel'} & "
            "set(sys.modules); print(sorted(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("[]")
