"""The ``evaluate`` and ``report`` stages: numbers from the verification records, and a
report that says what they mean.

``evaluate/summary.json`` holds, per game and overall, the number of programs, the mean
score with a Student-t confidence interval (clipped to [0, 1]), how many verified (passed
every check) and the status counts; infrastructure failures (score ``None``) are counted
but left out of the means. ``report.md`` puts the run's steps, its training and these
numbers on one page, and says plainly when they come from the tiny model.
"""

from __future__ import annotations

import math
from collections import Counter

__all__ = ["interval", "report_markdown", "summarise"]

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


def _fmt(value, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _training_lines(name: str, summary: dict | None) -> list[str]:
    if not summary:
        return []
    parts = [f"{summary.get('global_step', '?')} optimizer steps"]
    for key in ("loss", "reward", "reward/shaped"):
        if summary.get(key) is not None:
            parts.append(f"last {key} {summary[key]:.4g}")
    if summary.get("adapter"):
        parts.append(f"adapter `{summary['adapter']}`")
    return [f"- **{name}**: " + ", ".join(parts)]


def _tiny_note(plan_info: dict, evaluation: dict) -> list[str]:
    mean = evaluation["overall"]["mean_score"]
    statuses = evaluation["overall"]["statuses"]
    no_code = statuses.get("no_code", 0)
    total = evaluation["overall"]["programs"]
    return [
        "## Why the scores are near zero",
        "",
        f"This run used the **tiny model**: a two-layer transformer 64 units wide with about "
        f"{plan_info.get('parameters', '200,000')} parameters, randomly initialised by "
        "cwmkit and trained here for a handful of steps. A model that small and that "
        "briefly trained cannot write a Python program that implements a game, so it "
        f"scores near zero (mean {_fmt(mean)} here): {no_code} of its {total} completions "
        "hold no code at all, and whatever code it writes does not run. That is expected "
        "and says nothing about the method.",
        "",
        "What the run does show: every stage works end to end on this machine (data, "
        "SFT, GRPO with the sandboxed verifier as the reward, generation, verification, "
        "evaluation), the run directory holds every record, and a killed run resumes "
        "where it stopped. For numbers that mean something, train a real model on a GPU: "
        "`cwmkit run pipelines/study.yaml` (Qwen2.5-3B-Instruct).",
        "",
    ]


def report_markdown(*, title: str, plan_info: dict, steps: list[dict], training: dict,
                    evaluation: dict | None) -> str:
    """The text of ``report.md``."""
    lines = [f"# {title}", ""]
    if plan_info.get("description"):
        lines += [plan_info["description"].strip(), ""]
    lines += [f"Model: `{plan_info['model']}`"
              + (f" (`{plan_info['model_path']}`)" if plan_info["model"] == "tiny" else "")
              + f". Pipeline: `{plan_info['file']}`.", ""]
    lines += ["| step | what it did | seconds |", "| --- | --- | ---: |"]
    for step in steps:
        seconds = step.get("seconds")
        lines.append(f"| {step['name']} | {step.get('about', '')} | "
                     f"{'-' if seconds is None else f'{seconds:.1f}'} |")
    lines.append("")
    trained = [line for name in ("sft", "grpo")
               for line in _training_lines(name, training.get(name))]
    if trained:
        lines += ["## Training", "", *trained, ""]
    if evaluation is not None:
        level = f"{evaluation['confidence']:.0%}"
        overall = evaluation["overall"]
        lines += ["## Generated programs, verified", "",
                  f"{overall['programs']} programs; mean score {_fmt(overall['mean_score'])} "
                  f"({level} interval {_fmt(overall['interval'][0])} to "
                  f"{_fmt(overall['interval'][1])}); {overall['verified']} passed every "
                  "check.", "",
                  f"| game | programs | mean score | {level} interval | verified | statuses |",
                  "| --- | ---: | ---: | --- | ---: | --- |"]
        for game, row in evaluation["games"].items():
            low, high = row["interval"]
            statuses = ", ".join(f"{k} {v}" for k, v in row["statuses"].items())
            lines.append(f"| {game} | {row['programs']} | {_fmt(row['mean_score'])} | "
                         f"{_fmt(low)} to {_fmt(high)} | {row['verified']} | {statuses} |")
        lines += ["", "Statuses: " + ", ".join(f"{k} {v}" for k, v in
                                                overall["statuses"].items()) + ". "
                  "`no_code`: the completion held no program; `infra_error`: the sandbox "
                  "failed (no verdict, left out of the means).", ""]
        if plan_info["model"] == "tiny":
            lines += _tiny_note(plan_info, evaluation)
    lines += ["## Files", "",
              "Generations: `generate/generations.jsonl`; verification reports: "
              "`verify/reports.jsonl`; numbers: `evaluate/summary.json`; training logs: "
              "`sft/log.jsonl`, `grpo/log.jsonl`; the resolved pipeline: `resolved.json` "
              "(the record formats: docs/pipelines.md).", ""]
    return "\n".join(lines)
