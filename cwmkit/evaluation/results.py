"""The results document: every model's numbers, the paired comparisons, the training
curves and an index of the samples, with a versioned schema (docs/evaluation.md).

``results.json`` is what ``cwmkit report --json`` prints and what the evaluate stage
writes. Each number sits in a cell that lists the keys of its samples
(``<label>/<game>/<sample>``); ``samples`` maps each key to the file and record id it
came from, so a number can always be traced to the records behind it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import attrs

from cwmkit.evaluation.compare import paired_difference
from cwmkit.evaluation.samples import Source, read_jsonl
from cwmkit.evaluation.summary import EvaluationSettings, game_tiers, model_summary

__all__ = ["SCHEMA", "SCHEMA_VERSION", "check_results", "evaluate", "training_curves"]

SCHEMA = "cwmkit.evaluation.results"
#: 1: the first schema (docs/evaluation.md).
SCHEMA_VERSION = 1

#: The training log values shown over steps (those a log holds).
CURVES = ("reward", "reward/shaped", "heldout/mean_score", "heldout/verified_rate", "loss")


def _default_tiers(game: str) -> list[str]:
    """The tiers a game's programs are judged on, for a game no program of which got as
    far as a report (every completion lacked code)."""
    from cwmkit.core.errors import CwmkitError
    from cwmkit.core.plugins import get_host
    from cwmkit.verify.report import TIER_WEIGHTS

    try:
        spec = get_host().get("games", game).spec
    except CwmkitError:
        return []
    hidden = ("information", "privacy")
    return [t for t in TIER_WEIGHTS if spec.information == "imperfect" or t not in hidden]


def unique_labels(sources: list[Source]) -> list[Source]:
    """Sources whose labels are unique: a repeated label is prefixed with its run's
    folder name (``quickstart:tiny+grpo``), then numbered if still repeated."""
    counts: dict[str, int] = {}
    for source in sources:
        counts[source.label] = counts.get(source.label, 0) + 1
    seen: set[str] = set()
    out = []
    for source in sources:
        label = source.label
        if counts[label] > 1:
            label = f"{source.run_dir.name}:{label}"
        base, n = label, 2
        while label in seen:
            label, n = f"{base}#{n}", n + 1
        seen.add(label)
        if label != source.label:
            source = attrs.evolve(source, label=label, samples=[
                attrs.evolve(s, label=label) for s in source.samples])
        out.append(source)
    return out


def training_curves(run_dir: Path) -> dict:
    """Step -> logged values of each trainer's JSONL log in a pipeline run directory.

    Steps run on across the stages of a curriculum (a stage's steps start where the
    previous stage's ended)."""
    curves = {}
    for trainer in ("sft", "grpo"):
        records = read_jsonl(Path(run_dir) / trainer / "log.jsonl")
        points: list[dict] = []
        offset, stage, last = 0, None, 0
        for record in records:
            if record.get("stage") != stage:
                offset, stage, last = offset + last, record.get("stage"), 0
            step = record.get("step")
            if not isinstance(step, int):
                continue
            last = max(last, step)
            values = {k: record[k] for k in CURVES
                      if isinstance(record.get(k), (int, float))}
            if values:
                points.append({"step": offset + step, "stage": stage,
                               "id": record.get("id"), **values})
        if points:
            curves[trainer] = {"log": str(Path(run_dir) / trainer / "log.jsonl"),
                               "points": points,
                               "series": [k for k in CURVES
                                          if any(k in p for p in points)]}
    return curves


def _notes(source: Source, overall: dict, games: dict,
           settings: EvaluationSettings) -> list[str]:
    """What a reader needs to know to read this model's numbers."""
    notes = []
    programs, statuses = overall["programs"], overall["statuses"]
    mean = overall["mean_score"]
    if source.model == "tiny":
        notes.append(
            "This is the tiny model: a two-layer transformer with about two hundred "
            "thousand parameters that cwmkit builds locally, randomly initialised and at "
            "most trained for a handful of steps on a CPU. A model that small cannot "
            "write a Python program that implements a game, so its scores are near "
            "zero; that is expected and says nothing about the method. The run shows "
            "every stage working end to end; for numbers that mean something, train a "
            "real model (pipelines/study.yaml).")
    if programs and mean is not None and mean < 0.05:
        worst, count = max(statuses.items(), key=lambda kv: kv[1])
        why = {"no_code": "held no program at all (no code block, or no function "
                          "definitions)",
               "compile_error": "held a program that does not parse",
               "crashed": "held a program that raised when called",
               "timeout": "held a program that ran out of time",
               "policy_violation": "held a program the sandbox policy refuses"}.get(
            worst, f"ended with status {worst}")
        notes.append(f"Scores are near zero (mean {mean:.3f}): {count} of {programs} "
                     f"completions {why}.")
    infra = statuses.get("infra_error", 0)
    if infra:
        notes.append(f"{infra} of {programs} programs met an infrastructure failure (the "
                     "sandbox failed, not the program): they have no verdict and are left "
                     "out of every mean and rate.")
    if overall["games"] == 1:
        notes.append("One game only: intervals resample its samples, not games.")
    missing = [k for k in settings.ks if str(k) not in overall["pass_at_k"]]
    if missing:
        least = min((c["scored"] for c in games.values()), default=0)
        notes.append("pass@" + ", pass@".join(map(str, missing))
                     + (" needs" if len(missing) == 1 else " need") + " at least "
                     f"{missing[0]} samples with a verdict in every game; the fewest any "
                     f"game has here is {least} (draw more with -n or generate.samples).")
    return notes


def evaluate(sources: list[Source], settings: EvaluationSettings | None = None, *,
             title: str | None = None) -> dict:
    """The results document of ``sources`` (see the module)."""
    from cwmkit import __version__

    settings = settings or EvaluationSettings()
    sources = unique_labels(sources)
    every = [s for source in sources for s in source.samples]
    tiers = game_tiers(every)
    for game in {s.game for s in every}:
        if not tiers.get(game):
            tiers[game] = _default_tiers(game)
    models, index = {}, {}
    for source in sources:
        summary = model_summary(source.label, source.samples, tiers, settings)
        models[source.label] = {
            "model": source.model, "adapter": source.adapter, "backend": source.backend,
            "run_dir": str(source.run_dir), "generations": str(source.generations),
            "reports": str(source.reports), "sampling": source.settings,
            "notes": _notes(source, summary["overall"], summary["games"], settings),
            **summary}
        for sample in source.samples:
            index[sample.key] = {"model": source.label, "game": sample.game,
                                 "sample": sample.index, "id": sample.id,
                                 "status": sample.status, "score": sample.score,
                                 "verified": sample.verified,
                                 "file": str(source.reports)}
    paired = [paired_difference(a.label, a.samples, b.label, b.samples, settings)
              for i, a in enumerate(sources) for b in sources[i + 1:]]
    runs: dict[str, dict] = {}
    for source in sources:
        run = runs.setdefault(str(source.run_dir), {"run_dir": str(source.run_dir),
                                                     "models": []})
        run["models"].append(source.label)
    for run in runs.values():
        run["training"] = training_curves(Path(run["run_dir"]))
    return {"schema": SCHEMA, "version": SCHEMA_VERSION, "title": title,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "cwmkit_version": __version__, "settings": settings.to_dict(),
            "games": sorted({s.game for s in every}), "tiers": tiers,
            "models": models, "paired": paired, "runs": list(runs.values()),
            "samples": index}


def check_results(results: dict, where: str = "results") -> dict:
    """``results`` if it is a results document this version of cwmkit reads."""
    from cwmkit.core.errors import ConfigError

    if not isinstance(results, dict) or results.get("schema") != SCHEMA:
        raise ConfigError(f"{where}: not a cwmkit results document",
                          hint="give a results.json that cwmkit eval or cwmkit report wrote")
    if results.get("version") != SCHEMA_VERSION:
        raise ConfigError(f"{where}: results schema version {results.get('version')}, this "
                          f"cwmkit reads version {SCHEMA_VERSION}",
                          hint="regenerate it with this version: cwmkit report RUN_DIR")
    return results


def dumps(results: dict) -> str:
    return json.dumps(results, indent=2, ensure_ascii=False) + "\n"
