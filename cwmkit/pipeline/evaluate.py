"""The ``evaluate`` and ``report`` stages: numbers from the verification records, and a
report that says what they mean.

``evaluate/summary.json`` holds, per game and overall, the number of programs, the mean
score with a Student-t confidence interval (clipped to [0, 1]), how many verified (passed
every check) and the status counts; infrastructure failures (score ``None``) are counted
but left out of the means. ``evaluate/results.json`` is the full results document of
:mod:`cwmkit.evaluation` (bootstrap intervals by game, tiers, pass@k, most failed checks,
training curves; docs/evaluation.md). The report stage writes ``report.md``, the
self-contained ``report.html`` and ``results.json`` into the run directory: the run's
steps, these numbers, and plainly why they are near zero when they come from the tiny
model.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

__all__ = ["evaluation_settings", "interval", "run_sources", "summarise", "write_results",
           "write_run_report"]

# Two-sided Student-t quantiles for 1..30 degrees of freedom; the normal's beyond.
_T = {
    0.9: (6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782,
          1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711,
          1.708, 1.706, 1.703, 1.701, 1.699, 1.697),
    0.95: (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
           2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
           2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042),
    0.99: (63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106,
           3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807,
           2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.750),
}
_Z = {0.9: 1.645, 0.95: 1.960, 0.99: 2.576}


def interval(scores: list[float], confidence: float = 0.95) -> tuple[float | None, list]:
    """``(mean, [low, high])``; the interval is ``[mean, mean]`` for one score and
    ``[None, None]`` (with mean None) for none."""
    n = len(scores)
    if n == 0:
        return None, [None, None]
    mean = sum(scores) / n
    if n == 1:
        return round(mean, 6), [round(mean, 6), round(mean, 6)]
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / (n - 1))
    table = _T[confidence]
    t = table[n - 2] if n - 1 <= len(table) else _Z[confidence]
    half = t * sd / math.sqrt(n)
    return round(mean, 6), [round(max(0.0, mean - half), 6), round(min(1.0, mean + half), 6)]


def _group(records: list[dict], confidence: float) -> dict:
    scores = [r["score"] for r in records if r["score"] is not None]
    mean, bounds = interval(scores, confidence)
    return {"programs": len(records), "scored": len(scores), "mean_score": mean,
            "interval": bounds, "verified": sum(bool(r.get("verified")) for r in records),
            "statuses": dict(sorted(Counter(r["status"] for r in records).items()))}


def summarise(reports: list[dict], confidence: float = 0.95) -> dict:
    """The evaluation of verification records (see the module)."""
    by_game: dict[str, list] = {}
    for record in reports:
        by_game.setdefault(record["game"], []).append(record)
    games = {game: _group(rows, confidence) for game, rows in sorted(by_game.items())}
    overall = _group(reports, confidence)
    means = [g["mean_score"] for g in games.values() if g["mean_score"] is not None]
    overall["macro_mean_score"] = round(sum(means) / len(means), 6) if means else None
    overall["verified_rate"] = round(overall["verified"] / len(reports), 6) if reports else None
    return {"confidence": confidence, "games": games, "overall": overall}


def evaluation_settings(config):
    """The evaluation settings of an ``evaluate`` stage config."""
    from cwmkit.evaluation import EvaluationSettings

    return EvaluationSettings(confidence=config.confidence, resamples=config.resamples,
                              seed=config.seed, ks=tuple(config.ks))


def run_sources(run_dir: Path, generations: Path, reports: Path) -> list:
    """The run's generated programs and their verdicts, as one evaluation source."""
    from cwmkit.evaluation.samples import Source, default_label, read_jsonl

    records = read_jsonl(generations)
    first = records[0] if records else {}
    label = default_label(first.get("model") or run_dir.name, first.get("adapter"))
    return [Source.from_records(label, records, read_jsonl(reports), run_dir=run_dir,
                                generations_path=generations, reports_path=reports)]


def write_results(sources: list, config, path: Path) -> dict:
    """``evaluate/results.json``: the full results document (docs/evaluation.md)."""
    from cwmkit.evaluation import evaluate
    from cwmkit.evaluation.results import dumps

    results = evaluate(sources, evaluation_settings(config))
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(dumps(results), "utf-8")
    staging.replace(path)
    return results


def write_run_report(sources: list, *, run_dir: Path, title: str, about: str,
                     config) -> dict:
    """``report.md``, ``report.html``, ``results.json`` and ``plots/`` of the run."""
    from cwmkit.evaluation.report import write_report

    return write_report(run_dir, sources, evaluation_settings(config), title=title,
                        about=about, run_dirs=[run_dir])
