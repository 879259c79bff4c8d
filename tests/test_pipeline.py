"""Pipeline files, plans and run directories, without training anything: YAML 1.2
numbers, every mistake reported at its file and line before any work, keys that change
exactly when what a step computes changes, records that survive a torn write, the
evaluation's intervals, the example pipelines, and the small commands around them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cwmkit.cli import main
from cwmkit.core.errors import ConfigError
from cwmkit.pipeline import RecordLog, load_plan, load_yaml, parse_scalar
from cwmkit.pipeline.evaluate import interval, summarise
from cwmkit.pipeline.records import CorruptRecords

ROOT = Path(__file__).resolve().parents[1]
PIPELINES = ROOT / "pipelines"

BASE = """\
name: t
model: tiny
data:
  games: [tic_tac_toe]
generate:
  split: train
  games: [tic_tac_toe]
  samples: 1
verify: {}
evaluate: {}
"""


def plan_of(tmp_path, text: str, **kwargs):
    path = tmp_path / "p.yaml"
    path.write_text(text)
    return load_plan(path, run_dir=tmp_path / "run", **kwargs)


def error_of(tmp_path, text: str, **kwargs) -> str:
    with pytest.raises(ConfigError) as caught:
        plan_of(tmp_path, text, **kwargs)
    return str(caught.value)


# ---------------------------------------------------------------------- YAML

def test_yaml_numbers_are_yaml_1_2_numbers():
    data, where = load_yaml("x.yaml", "a: 1e-5\nb: 2E3\nc: no\nd: 012\ne: [.5, -1e3]\n"
                                      "f: 2024-01-01\ng: ~\n")
    assert data == {"a": 1e-5, "b": 2000.0, "c": "no", "d": 12, "e": [0.5, -1000.0],
                    "f": "2024-01-01", "g": None}
    assert where.marks[("c",)] == (3, 1) and where.marks[("e", 1)] == (5, 9)
    assert parse_scalar("1e-4") == 1e-4 and parse_scalar("[foo_proj]") == ["foo_proj"]
    assert parse_scalar("abc") == "abc" and parse_scalar("{a: 1") == "{a: 1"


def test_a_yaml_syntax_error_and_a_duplicate_key_point_at_their_line():
    with pytest.raises(ConfigError, match=r"x.yaml:3:2: not valid YAML") as caught:
        load_yaml("x.yaml", "a: 1\nb: [1, 2\nc: 3\n")
    assert "3 | c: 3" in str(caught.value)
    with pytest.raises(ConfigError, match=r"x.yaml:2:1: 'a' is set twice"):
        load_yaml("x.yaml", "a: 1\na: 2\n")


# ---------------------------------------------------------------------- plans

def test_learning_rate_1e_5_is_a_number(tmp_path):
    plan = plan_of(tmp_path, BASE + "sft:\n  learning_rate: 1e-5\n  max_steps: 2\n",
                   check_trainers=False)
    assert plan.steps["sft"].config.learning_rate == 1e-5


@pytest.mark.parametrize("extra, where, message", [
    ("evalute: {}\n", ":11:1:", "unknown pipeline key 'evalute' (did you mean 'evaluate'?)"),
    ("sft:\n  learnig_rate: 1e-4\n", ":12:3:",
     "unknown sft setting 'learnig_rate' (did you mean 'learning_rate'?)"),
    ("sft:\n  learning_rate: fast\n", ":12:3:",
     "sft.learning_rate must be a number, got 'fast'"),
    ("sft:\n  lora_r: 16\n  lora_target_modules: [foo_proj]\n", ":13:3:",
     "the model has no linear layer named 'foo_proj'"),
    ("sft:\n  model: other\n", ":12:3:", "sft.model is set by the pipeline"),
    ("sft:\n  dataset: missing.jsonl\n", ":12:3:", "sft.dataset 'missing.jsonl': no dataset"),
    ("grpo:\n  verify:\n    playout: 3\n", ":13:5:", "unknown verify setting 'playout'"),
    ("grpo:\n  shaper: study\n  reward:\n    dynamics_gate: 0.2\n", ":13:3:",
     "the reward shaper 'study' takes no settings"),
])
def test_a_mistake_is_reported_at_its_line_before_any_work(tmp_path, extra, where, message):
    text = error_of(tmp_path, BASE + extra, check_trainers=False)
    assert f"p.yaml{where}" in text and message in text


@pytest.mark.parametrize("generate, message", [
    ("  backend:\n    name: transformers\n    batch_size: 0\n",
     "transformers.batch_size must be an integer of at least 1, got 0"),
    ("  backend:\n    name: transformers\n    tensor_parallel_size: 2\n",
     "'tensor_parallel_size' is a setting of the vllm backend, not of transformers"),
    ("  backend:\n    name: vllm\n    gpu_memory_utilization: 2\n",
     "vllm.gpu_memory_utilization must be a number of at most 1"),
    ("  backend:\n    name: opnai\n", "unknown generation backend 'opnai'"),
    ("  adapter: runs/none/adapter\n", "generate.adapter 'runs/none/adapter': no LoRA adapter"),
    ("  adapter: grpo\n", "generate.adapter is 'grpo' but the pipeline has no grpo stage"),
    ("  gamse: [x]\n", "unknown generate setting 'gamse' (did you mean 'games'?)"),
])
def test_generation_settings_are_the_backends_own(tmp_path, generate, message):
    text = BASE.replace("  samples: 1\n", "  samples: 1\n" + generate)
    assert message in error_of(tmp_path, text, check_trainers=False)


@pytest.mark.parametrize("text, message", [
    ("name: t\n", "pipeline.model is not set"),
    ("name: t\nmodel: ./no/such/folder\ndata: {}\n", "no saved model in that folder"),
    ("name: t\nmodel: tiny\n", "the pipeline runs no stage"),
    ("name: t\nmodel: tiny\nverify: {}\n", "verify needs a generate stage before it"),
    ("name: t\nmodel: tiny\nsft: {}\n", "sft has no dataset"),
    ("name: bad name\nmodel: tiny\ndata: {}\n", "pipeline name must be"),
    ("- a\n- b\n", "a pipeline file is a mapping"),
    ("name: t\nmodel: tiny\ndata: [1]\n", "data must be a mapping of settings"),
])
def test_the_files_shape_is_checked(tmp_path, text, message):
    assert message in error_of(tmp_path, text, check_trainers=False)


def test_an_override_is_named_in_its_error(tmp_path):
    text = error_of(tmp_path, BASE, check_trainers=False, overrides=["generate.samples=0"])
    assert text.startswith("--set generate.samples=0: generate.samples must be")


def test_trl_settings_are_type_checked_at_their_line(tmp_path):
    pytest.importorskip("trl")
    text = error_of(tmp_path, BASE + "sft:\n  trl:\n    weight_decay: abc\n")
    assert "p.yaml:13:5: sft.trl.weight_decay must be a number, got 'abc'" in text


def test_keys_change_with_what_a_step_computes_and_flow_downstream(tmp_path):
    base = plan_of(tmp_path, BASE + "sft:\n  max_steps: 2\n", check_trainers=False)
    keys = {n: s.key for n, s in base.steps.items()}
    quieter = plan_of(tmp_path, BASE + "sft:\n  max_steps: 2\n  logging_steps: 7\n",
                      check_trainers=False)
    assert {n: s.key for n, s in quieter.steps.items()} == keys  # logging changes nothing
    longer = plan_of(tmp_path, BASE + "sft:\n  max_steps: 3\n", check_trainers=False)
    changed = {n for n, s in longer.steps.items() if s.key != keys[n]}
    assert changed == {"sft", "generate", "verify", "evaluate"}
    assert base.steps["generate"].inputs == ("model", "sft")
    moved = load_plan(tmp_path / "p.yaml", run_dir=tmp_path / "elsewhere",
                      check_trainers=False)
    assert {n: s.key for n, s in moved.steps.items()} == {n: s.key for n, s in
                                                          longer.steps.items()}


def test_the_example_pipelines_are_valid(capsys):
    for name in ("quickstart", "study", "distill"):
        assert main(["run", str(PIPELINES / f"{name}.yaml"), "--dry-run", "--json"]) == 0, name
        plan = json.loads(capsys.readouterr().out)
        assert plan["name"] == name and set(plan["status"].values()) <= {"run", "done"}
    study = load_plan(PIPELINES / "study.yaml", check_trainers=False)
    grpo = study.steps["grpo"].config
    assert (grpo.curriculum, grpo.use_vllm, grpo.num_generations) == (True, True, 8)
    assert study.steps["generate"].extra["backend"] == "vllm"
    distill = load_plan(PIPELINES / "distill.yaml", check_trainers=False)
    assert distill.steps["data"].config.teacher_config().backend["name"] == "openai"


def test_a_dry_run_prints_the_plan_and_what_a_run_would_do(capsys):
    assert main(["run", str(PIPELINES / "quickstart.yaml"), "--dry-run",
                 "--out", "/nonexistent/run"]) == 0
    out = capsys.readouterr().out
    for step in ("model", "data", "sft", "grpo", "generate", "verify", "evaluate", "report"):
        assert f"\n{step} (reads:" in out
    assert "run it" in out and "learning_rate: 0.001" in out


def test_a_bad_pipeline_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(BASE + "sft:\n  learning_rate: fast\n")
    result = subprocess.run([sys.executable, "-m", "cwmkit", "run", str(path)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "p.yaml:12:3: sft.learning_rate must be a number, got" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "runs").exists()


# ---------------------------------------------------------------------- records

def test_a_torn_last_line_is_dropped_and_the_log_goes_on(tmp_path):
    path = tmp_path / "r.jsonl"
    log = RecordLog(path)
    assert log.append([{"id": "a/0", "x": 1}, {"id": "a/1", "x": 2}]) == 2
    with path.open("a") as out:
        out.write('{"id": "a/2", "x"')  # a kill in the middle of a write
    again = RecordLog(path)
    assert list(again.load()) == ["a/0", "a/1"] and again.dropped > 0
    again.append([{"id": "a/2", "x": 3}])
    assert [json.loads(line)["id"] for line in path.read_text().splitlines()] == \
        ["a/0", "a/1", "a/2"]
    with pytest.raises(CorruptRecords, match="already written"):
        again.append([{"id": "a/1"}])


@pytest.mark.parametrize("content, message", [
    ('{"id": "a"}\nnot json\n{"id": "b"}\n', r"r.jsonl:2: not a complete record"),
    ('{"id": "a"}\n{"id": "a"}\n', "record 'a' appears twice"),
])
def test_damage_other_than_a_torn_end_is_reported(tmp_path, content, message):
    (tmp_path / "r.jsonl").write_text(content)
    with pytest.raises(CorruptRecords, match=message):
        RecordLog(tmp_path / "r.jsonl").load()


# ---------------------------------------------------------------------- evaluation

def test_intervals_are_student_t_and_clipped():
    assert interval([]) == (None, [None, None])
    assert interval([0.5]) == (0.5, [0.5, 0.5])
    mean, (low, high) = interval([0.2, 0.4, 0.6, 0.8])
    assert mean == 0.5 and low == pytest.approx(0.5 - 3.182 * 0.258199 / 2, abs=1e-4)
    assert interval([0.0, 1.0], 0.95)[1] == [0.0, 1.0]
    summary = summarise([{"game": "g", "score": 1.0, "status": "ok", "verified": True},
                         {"game": "g", "score": None, "status": "infra_error"},
                         {"game": "h", "score": 0.0, "status": "no_code"}])
    assert summary["games"]["g"]["scored"] == 1 and summary["games"]["g"]["verified"] == 1
    assert summary["overall"]["statuses"] == {"infra_error": 1, "no_code": 1, "ok": 1}
    assert summary["overall"]["macro_mean_score"] == 0.5


# ---------------------------------------------------------------------- commands

def test_narrow_terminals_never_cut_a_name():
    env = {**os.environ, "COLUMNS": "80"}

    def output(*args):
        result = subprocess.run([sys.executable, "-m", "cwmkit", *args], capture_output=True,
                                text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    games = output("games")
    assert all(len(line) <= 80 for line in games.splitlines())
    from cwmkit.core.plugins import get_host

    for game in get_host().registry("games"):
        assert f"\n{game} " in games
    settings = output("train", "grpo", "--list-settings")
    assert all(len(line) <= 80 for line in settings.splitlines())
    from cwmkit_plugins.trainers import GRPOConfig

    for name in GRPOConfig.describe():
        assert f"  {name} = " in settings


def test_list_settings_as_json_and_trainer_specific_help(capsys):
    assert main(["train", "sft", "--list-settings", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["learning_rate"] == {"default": 1e-5,
                                       "help": "peak learning rate of the LoRA weights"}
    with pytest.raises(SystemExit) as caught:
        main(["train", "grpo", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "usage: cwmkit train grpo" in out and "num_generations = 8" in out
    assert main(["generate", "--list-settings", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert {"tensor_parallel_size", "gpu_memory_utilization", "max_model_len",
            "max_lora_rank"} <= set(groups["backend vllm"])
    assert "base_url" in groups["backend openai"] and "batch_size" in groups[
        "backend transformers"]


@pytest.mark.parametrize("args, message", [
    (["data", "build", "--out", "FILE"], "is a file: the data goes into a folder"),
    (["verify", "x.py", "--info", "perfect", "--players", "0"], "--players must be between"),
    (["verify", "x.py", "--info", "perfect", "--players", "99"], "--players must be between"),
    (["model", "huge", "--out", "m"], "unknown model kind 'huge'"),
    (["generate", "--games", "tic_tac_toe"], "give the model and a folder"),
])
def test_usage_mistakes_exit_2_with_the_fix(tmp_path, capsys, args, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "FILE").write_text("")
    (tmp_path / "x.py").write_text("def get_initial_state():\n    return {}\n")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_tiny_model_command_builds_the_same_files_twice(tmp_path, capsys):
    pytest.importorskip("transformers")
    assert main(["model", "tiny", "--out", str(tmp_path / "a"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["model"] == "tiny" and 100_000 < info["parameters"] < 400_000
    assert main(["model", "tiny", "--out", str(tmp_path / "b")]) == 0
    assert "scores near zero" in capsys.readouterr().out
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert main(["model", "tiny", "--out", str(tmp_path / "a")]) == 2  # never overwritten


def test_the_live_line_and_the_json_events():
    import io

    from cwmkit.pipeline import JsonEvents
    from cwmkit.pipeline.progress import log_line

    record = {"loss": 0.25, "reward": 0.5, "reward/tier/static": 1.0,
              "reward/tier/dynamics": 0.25, "reward/status/ok": 3, "reward/status/no_code": 1,
              "time/step": 2.5}
    line = log_line("grpo", record)
    assert line == ("loss 0.25 · reward 0.5 · dynamics 0.25 static 1.00 · no_code 1 ok 3 · "
                    "2.5 s/step")
    stream = io.StringIO()
    events = JsonEvents(stream)
    events.step("sft", "start", about="SFT")
    with events.bar("generate", "samples", 2) as bar:
        bar.advance()
        bar.advance()
    events.log("grpo", {"step": 1, **record})
    events.note("a note", "warning")
    events.finish({"run_dir": "r", "report": None})
    lines = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert [e["event"] for e in lines] == ["step", "progress", "progress", "log", "note",
                                           "done"]
    assert lines[0] == {"event": "step", "stage": "sft", "status": "start", "about": "SFT"}
    assert lines[2]["done"] == 2 and lines[3]["stage"] == "grpo" and lines[3]["step"] == 1


def test_a_teachers_programs_join_the_data_and_survive_a_new_min_score(tmp_path):
    """The distill path with a local OpenAI-compatible teacher: its samples are records
    of their own step, so changing what the data keeps of them asks the teacher nothing."""
    pytest.importorskip("datasets")
    from cwmkit.core.plugins import get_host
    from cwmkit.pipeline import Events, run_plan
    from tests.test_generators import FakeServer

    reference = get_host().get("games", "tic_tac_toe").reference_source
    server = FakeServer()
    server.reply = lambda prompt, i: [f"```python\n{reference}```", "I cannot."][i % 2]
    student = tmp_path / "student"  # never loaded: only data is made here
    student.mkdir()
    (student / "config.json").write_text("{}")
    text = f"""\
name: distill-test
model: {student}
data:
  split: all
  games: [tic_tac_toe]
  teacher:
    model: big
    samples: 4
    backend: {{name: openai, base_url: "{server.url}", backoff: 0.01}}
    verify: {{playouts: 4}}
"""
    path = tmp_path / "p.yaml"
    path.write_text(text)
    try:
        plan = load_plan(path, run_dir=tmp_path / "run", check_trainers=False)
        assert list(plan.steps) == ["teacher", "data"]
        run_plan(plan)
        asked = len(server.requests)
        records = [json.loads(line) for line in
                   (tmp_path / "run" / "data" / "records.jsonl").read_text().splitlines()]
        assert [r["source"] for r in records] == ["reference", "teacher:openai:big"]
        teacher = [json.loads(line) for line in
                   (tmp_path / "run" / "teacher" / "reports.jsonl").read_text().splitlines()]
        assert [r["status"] for r in teacher] == ["ok", "no_code", "ok", "no_code"]
        path.write_text(text.replace("samples: 4", "samples: 4\n    min_score: 0.0"))
        run_plan(load_plan(path, run_dir=tmp_path / "run", check_trainers=False))
        assert len(server.requests) == asked  # the teacher was not asked again
        assert (tmp_path / "run" / "state" / "teacher.json").is_file()
    finally:
        server.close()
