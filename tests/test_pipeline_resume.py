"""The quickstart pipeline, run for real: once straight through, and once killed with
SIGKILL at three points (inside SFT, inside GRPO, inside generation) and resumed each
time. The resumed run must hold no torn or duplicated record and the same final records
as the uninterrupted one. Both runs are shared by every test here (module fixtures)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("trl", reason="the quickstart trains: it needs the 'train' extra")

ROOT = Path(__file__).resolve().parents[1]
QUICKSTART = ROOT / "pipelines" / "quickstart.yaml"
LIMIT = 900  # seconds one run may take before the test gives up on it


def _command(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "cwmkit", "run", str(QUICKSTART), "--out", str(out), *extra]


def _run(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(_command(out, *extra), cwd=ROOT, capture_output=True, text=True,
                          timeout=LIMIT)


def _kill_when(out: Path, predicate) -> list[dict]:
    """Start the run, read its JSON events until ``predicate(event)`` holds, then kill
    the process with SIGKILL (its own pid only, as a user would)."""
    process = subprocess.Popen(_command(out, "--json"), cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    events = []
    began = time.monotonic()
    try:
        for line in process.stdout:
            event = json.loads(line)
            events.append(event)
            if predicate(event):
                os.kill(process.pid, signal.SIGKILL)
                break
            assert time.monotonic() - began < LIMIT, "the run took too long"
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        _reap_group(process.pid)
    assert process.returncode == -signal.SIGKILL, "the run finished before the kill point"
    return events


def _reap_group(pgid: int) -> None:
    """Give the killed run's sandbox a moment to notice, then end what is left of its
    process group (the test must not leave processes behind)."""
    for _ in range(50):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _inside(stage: str, **fields):
    def predicate(event):
        return event.get("stage") == stage and all(event.get(k) == v for k, v in fields.items())
    return predicate


def _progress(stage: str, at_least: int):
    def predicate(event):
        return (event.get("event") == "progress" and event.get("stage") == stage
                and event.get("done", 0) >= at_least)
    return predicate


KILL_POINTS = [
    ("inside sft, after its second step", _inside("sft", event="log", step=2)),
    ("inside grpo, after its first step", _inside("grpo", event="log", step=1)),
    ("inside generate, after two completions", _progress("generate", 2)),
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    """The straight run (in the background) and the killed-and-resumed one, side by
    side: most of a run's time is imports and small tensors, so two share the cores."""
    straight = tmp_path_factory.mktemp("straight") / "run"
    background = subprocess.Popen(_command(straight, "--quiet"), cwd=ROOT, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  start_new_session=True)
    try:
        out = tmp_path_factory.mktemp("killed") / "run"
        seen = {label: _kill_when(out, predicate) for label, predicate in KILL_POINTS}
        result = _run(out, "--json")
        assert result.returncode == 0, result.stderr[-3000:]
        seen["final"] = [json.loads(line) for line in result.stdout.splitlines()]
        stdout, stderr = background.communicate(timeout=LIMIT)
    finally:
        if background.poll() is None:
            os.killpg(background.pid, signal.SIGKILL)
            background.wait()
    assert background.returncode == 0, stderr[-3000:]
    assert stdout == ""  # --quiet
    return {"straight": straight, "killed": {"out": out, "events": seen}}


@pytest.fixture(scope="module")
def straight(runs) -> Path:
    return runs["straight"]


@pytest.fixture(scope="module")
def killed(runs) -> dict:
    return runs["killed"]


def _records(path: Path) -> list[dict]:
    text = path.read_text("utf-8")
    assert text.endswith("\n"), f"{path}: a torn last line"
    records = [json.loads(line) for line in text.splitlines()]  # every line is whole JSON
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), f"{path}: a duplicated record"
    return records


def _without_timing(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "timing"} for r in records]


def _losses(path: Path) -> list[tuple]:
    return [(r["id"], r.get("loss"), r.get("reward")) for r in _records(path) if "loss" in r]


def test_the_resumed_run_skipped_what_was_done_and_resumed_what_was_cut(killed):
    final = killed["events"]["final"]
    status = {}
    for event in final:
        if event["event"] == "step":
            status.setdefault(event["stage"], event["status"])
    # The last kill was inside generation: everything before it was done.
    assert status["model"] == status["data"] == status["sft"] == status["grpo"] == "skip"
    assert status["generate"] == "resume"
    assert final[-1]["event"] == "done" and final[-1]["report"].endswith("report.md")
    second = killed["events"]["inside grpo, after its first step"]
    assert next(e["status"] for e in second if e["event"] == "step"
                and e["stage"] == "sft") == "resume"


def test_no_record_is_torn_lost_or_duplicated_and_all_equal_the_straight_run(straight,
                                                                             killed):
    resumed = killed["out"]
    for name in ("generate/generations.jsonl", "verify/reports.jsonl"):
        assert _without_timing(_records(resumed / name)) == \
            _without_timing(_records(straight / name))
    assert len(_records(straight / "generate" / "generations.jsonl")) == 6
    # The training logs too: each step once, with the same loss and reward.
    for name in ("sft/log.jsonl", "grpo/log.jsonl"):
        assert _losses(resumed / name) == _losses(straight / name)
    summary = json.loads((straight / "evaluate" / "summary.json").read_text())
    assert json.loads((resumed / "evaluate" / "summary.json").read_text()) == summary


def test_the_report_says_why_the_tiny_model_scores_near_zero(straight):
    report = (straight / "report.md").read_text()
    assert "# Run report: quickstart" in report
    assert "kuhn_poker" in report and "95% interval" in report
    assert "Why the scores are near zero" in report and "tiny model" in report
    summary = json.loads((straight / "evaluate" / "summary.json").read_text())
    assert set(summary["games"]) == {"kuhn_poker", "matching_pennies", "tic_tac_toe"}
    assert summary["overall"]["programs"] == 6
    for name in ("resolved.json", "pipeline.yaml", "sft/adapter/adapter_config.json",
                 "grpo/adapter/adapter_config.json", "model/cwmkit_tiny.json",
                 "data/records.jsonl", "data/prompts.jsonl"):
        assert (straight / name).is_file(), name
    assert "[None]" not in (straight / "grpo" / "README.md").read_text()


def test_a_finished_run_skips_everything_and_a_changed_setting_redoes_what_it_feeds(
        straight, tmp_path):
    import shutil

    moved = tmp_path / "moved"  # a run directory still works where it was moved to
    shutil.copytree(straight, moved)
    again = _run(moved, "--json", "--set", "evaluate.confidence=0.9")
    assert again.returncode == 0, again.stderr[-3000:]
    status = {}
    for line in again.stdout.splitlines():
        event = json.loads(line)
        if event["event"] == "step":
            status.setdefault(event["stage"], event["status"])
    assert status == {"model": "skip", "data": "skip", "sft": "skip", "grpo": "skip",
                      "generate": "skip", "verify": "skip", "evaluate": "redo",
                      "report": "redo"}
    summary = json.loads((moved / "evaluate" / "summary.json").read_text())
    assert summary["confidence"] == 0.9
