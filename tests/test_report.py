"""Reports: results.json, report.md and a self-contained report.html built from run
directories of records of our own making (two models, three games, reports with failed
checks and counterexamples), checked by parsing the HTML: every link resolves to an anchor
in the file, nothing is fetched from outside it, the tables and plots are there, and a
sample shows its program and its counterexample as an action trace."""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cwmkit.cli import main
from cwmkit.evaluation import SCHEMA, SCHEMA_VERSION, check_results, evaluate, load_run
from cwmkit.evaluation.report import write_report
from cwmkit.verify.report import CheckOutcome, Counterexample, TierResult, VerificationReport

GAMES = {"tic_tac_toe": False, "kuhn_poker": True, "matching_pennies": True}
PERFECT_TIERS = ("static", "dynamics", "utility", "scenarios", "differential")
HIDDEN_TIERS = ("information", "privacy")


def _report(game: str, quality: float, rng: random.Random) -> tuple[str, dict]:
    """A completion and its verification record's report for a program of ``quality``."""
    if rng.random() > quality + 0.2:
        return "I cannot write that.", None
    tiers = {}
    imperfect = GAMES[game]
    for name in PERFECT_TIERS[:3] + HIDDEN_TIERS + PERFECT_TIERS[3:]:
        if name in HIDDEN_TIERS and not imperfect:
            tiers[name] = TierResult.not_applicable(name)
            continue
        passed = rng.random() < quality
        cx = None if passed else Counterexample(["x(0,0)", "o(1,1)", "x(2,2)"][: rng.randint(
            0, 3)], f"{name} went wrong", expected="terminal", actual="current player 1")
        checks = [CheckOutcome(f"{name}_check", passed, "fine" if passed else cx.message,
                               trials=4, failures=0 if passed else 2, counterexample=cx)]
        metrics = {"transition_accuracy": quality} if name == "differential" else {}
        tiers[name] = TierResult(name, 1.0 if passed else 0.5, checks, metrics=metrics)
    verified = all(t.passed for t in tiers.values() if t.applicable)
    score = round(sum(t.score for t in tiers.values() if t.score is not None)
                  / sum(t.score is not None for t in tiers.values()), 6)
    report = VerificationReport("ok", score, tiers, "0" * 64, game, verified=verified)
    code = f"def get_initial_state():\n    return {{'game': '{game}', 'q': {quality}}}\n"
    return f"Here it is:\n```python\n{code}```\n", report.to_dict()


def make_eval_run(folder: Path, models: dict[str, float], n: int = 6, seed: int = 0) -> Path:
    """A 'cwmkit eval' run directory: ``models`` maps labels to program quality."""
    rng = random.Random(seed)
    entries = []
    for label, quality in models.items():
        sub = folder / "models" / label
        sub.mkdir(parents=True)
        generations, reports = [], []
        for game in GAMES:
            for k in range(n):
                text, report = _report(game, quality, rng)
                rid = f"{game}/{k}"
                generations.append({"id": rid, "game": game, "sample": k, "text": text,
                                    "model": label, "adapter": None, "backend": "scripted",
                                    "settings": {"n": n}})
                status = "no_code" if report is None else report["status"]
                reports.append({"id": rid, "game": game, "sample": k, "status": status,
                                "score": 0.0 if report is None else report["score"],
                                "verified": bool(report and report["verified"]),
                                "report": report})
        (sub / "generations.jsonl").write_text("".join(json.dumps(g) + "\n"
                                                       for g in generations))
        (sub / "reports.jsonl").write_text("".join(json.dumps(r) + "\n" for r in reports))
        entries.append({"label": label, "folder": f"models/{label}", "model": label,
                        "adapter": None, "backend": "scripted"})
    (folder / "eval.json").write_text(json.dumps({"format": 1, "models": entries}))
    return folder


def add_training_log(folder: Path, steps: int = 6) -> None:
    (folder / "grpo").mkdir(parents=True, exist_ok=True)
    lines = []
    for step in range(1, steps + 1):
        record = {"id": f"all/{step}/0", "stage": "all", "step": step, "loss": 0.1,
                  "reward": step / 10}
        if step % 2 == 0:
            record["heldout/mean_score"] = step / 20
            record["heldout/verified_rate"] = 0.0
        lines.append(json.dumps(record) + "\n")
    (folder / "grpo" / "log.jsonl").write_text("".join(lines))


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.external, self.images = set(), [], [], []
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids.add(attrs["id"])
        if tag == "table":
            self.tables += 1
        for key in ("href", "src"):
            value = attrs.get(key)
            if value is None:
                continue
            if value.startswith("#"):
                self.links.append(value[1:])
            elif value.startswith("data:image/png;base64,"):
                self.images.append(value)
            else:
                self.external.append(value)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    run = make_eval_run(tmp_path_factory.mktemp("run"), {"good": 0.8, "weak": 0.3})
    add_training_log(run)
    write_report(run, load_run(run))
    return run


def test_results_json_is_versioned_and_every_number_names_its_samples(report_dir):
    results = check_results(json.loads((report_dir / "results.json").read_text()))
    assert results["schema"] == SCHEMA and results["version"] == SCHEMA_VERSION
    assert list(results["models"]) == ["good", "weak"]
    good = results["models"]["good"]
    assert good["overall"]["programs"] == 18 and len(good["overall"]["samples"]) == 18
    assert set(good["overall"]["samples"]) <= set(results["samples"])
    for cell in good["games"].values():
        assert cell["samples"] and all(k in results["samples"] for k in cell["samples"])
    first = results["samples"][good["overall"]["samples"][0]]
    assert Path(first["file"]).name == "reports.jsonl" and first["id"].count("/") == 1
    assert good["overall"]["mean_score"] > results["models"]["weak"]["overall"]["mean_score"]
    pair = results["paired"][0]
    assert (pair["a"], pair["b"]) == ("good", "weak") and len(pair["games"]) == 3
    assert pair["measures"]["mean_score"]["delta"] > 0
    assert set(good["overall"]["pass_at_k"]) == {"1", "5"}  # six samples: no pass@10
    assert good["games"]["tic_tac_toe"]["failed_checks"][0]["example"]["sample"] in \
        results["samples"]
    training = results["runs"][0]["training"]["grpo"]
    assert [p["heldout/mean_score"] for p in training["points"] if "heldout/mean_score" in p
            ] == [0.1, 0.2, 0.3]


def test_html_is_self_contained_and_every_link_resolves(report_dir):
    text = (report_dir / "report.html").read_text()
    parser = _Anchors()
    parser.feed(text)
    assert parser.external == []  # nothing fetched: opens offline
    missing = sorted(set(parser.links) - parser.ids)
    assert not missing, missing[:5]
    assert parser.tables >= 6
    assert {"t-models", "t-games", "t-tiers", "t-pass_at_k", "t-paired", "plots",
            "failed", "training", "samples"} <= parser.ids
    assert len(parser.images) == 4  # tiers, games, pass@k, training


def test_a_sample_shows_its_program_report_and_counterexample(report_dir):
    results = json.loads((report_dir / "results.json").read_text())
    row = next(r for cell in results["models"]["weak"]["games"].values()
               for r in cell["failed_checks"]
               if r["example"]["counterexample"] and r["example"]["counterexample"]["actions"])
    key = row["example"]["sample"]
    text = (report_dir / "report.html").read_text()
    from cwmkit.evaluation.tables import anchor

    start = text.index(f'<details id="{anchor("s", key)}">')
    block = text[start:text.index("</details>", start)]
    assert "def get_initial_state():" in block  # the program
    assert "<h4>Report</h4>" in block and "checks passed" in block
    assert '<ol class="trace"' in block and "the initial state" in block
    for action in row["example"]["counterexample"]["actions"]:
        assert f"<li>{action}</li>" in block
    assert "expected <code>terminal</code>" in block


def test_markdown_links_every_number_to_the_html(report_dir):
    text = (report_dir / "report.md").read_text()
    html = (report_dir / "report.html").read_text()
    targets = re.findall(r"\]\(report\.html#([^)]+)\)", text)
    assert targets and all(f'id="{t}"' in html for t in set(targets))
    assert "## Paired differences" in text and "## Score per tier" in text
    assert "![tiers](plots/tiers.png)" in text and (report_dir / "plots/tiers.png").is_file()


def test_without_matplotlib_the_report_says_so_and_keeps_every_table(tmp_path, monkeypatch):
    from cwmkit.evaluation import plots

    monkeypatch.setattr(plots, "available", lambda: False)
    run = make_eval_run(tmp_path / "run", {"only": 0.5}, n=3)
    write_report(run, load_run(run))
    text = (run / "report.md").read_text()
    assert "No plots: they need matplotlib" in text and "cwmkit[plots]" in text
    assert "## Score per game" in text and not (run / "plots").exists()
    assert "data:image/png" not in (run / "report.html").read_text()


def test_cwmkit_report_compares_runs_side_by_side(tmp_path, capsys):
    a = make_eval_run(tmp_path / "a", {"m": 0.7}, n=2, seed=1)
    b = make_eval_run(tmp_path / "b", {"m": 0.2}, n=2, seed=2)
    out = tmp_path / "both"
    assert main(["report", str(a), str(b), "--out", str(out), "--json",
                 "--resamples", "200"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert list(results["models"]) == ["a:m", "b:m"]  # one label per run
    assert results["paired"][0]["a"] == "a:m"
    assert (out / "report.html").is_file() and (out / "results.json").is_file()
    assert main(["report", str(tmp_path / "nothing")]) == 2


def test_a_tiny_model_report_says_why_it_scores_near_zero(tmp_path):
    run = make_eval_run(tmp_path / "run", {"tiny": 0.0}, n=2)
    results = evaluate(load_run(run))
    notes = " ".join(results["models"]["tiny"]["notes"])
    assert "tiny model" in notes and "near zero" in notes
    assert "held no program" in notes
