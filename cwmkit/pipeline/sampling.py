"""Generation and verification as resumable records (``generate`` and ``verify``).

:func:`generate_records` asks a generation backend for ``n`` completions of each game's
prompt and appends one record per completion to ``generations.jsonl`` (id
``<game>/<sample>``). Prompts go to the backend in fixed calls of ``prompts_per_call``
prompts, each call seeded by its position, and a call's records are written together;
a resumed run redoes only the calls whose records are missing, with the same seeds, and
writes only the missing ids.

:func:`verify_records` verifies the program of every generation record that has no report
yet, identical programs of a game once, and appends one record per generation to
``reports.jsonl`` (same id), in generation order. Verdicts are deterministic, so a resumed
run's reports are those of an uninterrupted one. Timings sit under each record's
``timing`` key: everything else is reproducible.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cwmkit.pipeline.progress import Events
from cwmkit.pipeline.records import RecordLog, write_json

__all__ = ["GENERATIONS", "REPORTS", "game_prompts", "generate_records", "report_record",
           "verify_records"]

GENERATIONS = "generations.jsonl"
REPORTS = "reports.jsonl"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def game_prompts(split: str, games, renderer: str = "default") -> list[tuple[str, str]]:
    """``(game id, prompt text)`` of the chosen games, in curriculum order."""
    from cwmkit import data

    return [(g.name, data.prompt_text(g.spec, renderer)) for g in data.select_games(split, games)]


def generate_records(prompts: list[tuple[str, str]], backend: str, config, out: Path, *,
                     prompts_per_call: int, events: Events | None = None,
                     stage: str = "generate", labels: dict | None = None) -> dict:
    """Generate into ``out/generations.jsonl``; returns counts. ``config`` is the
    :class:`~cwmkit.generation.GenerationConfig`; ``labels`` name the model and adapter
    in the records (e.g. ``tiny`` and ``grpo`` rather than folders of one run)."""
    labels = labels or {}
    from cwmkit.generation import create_generator

    events = events or Events()
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "prompts.json", [{"game": g, "prompt_sha256": _sha(p), "prompt": p}
                                      for g, p in prompts])
    log = RecordLog(out / GENERATIONS)
    done = log.load()
    n = config.n
    calls = [prompts[i:i + prompts_per_call] for i in range(0, len(prompts), prompts_per_call)]
    total = len(prompts) * n
    generator = None
    written = 0
    with events.bar(stage, "samples", total, len(done)) as bar:
        for index, call in enumerate(calls):
            wanted = [f"{game}/{k}" for game, _ in call for k in range(n)]
            if all(w in done for w in wanted):
                continue
            if generator is None:
                generator = create_generator(backend, config)
            seed = None if config.seed is None else config.seed + index
            completions = generator.generate([p for _, p in call], seed=seed)
            records = []
            for position, completion in enumerate(completions):
                game, prompt = call[position // n]
                record_id = f"{game}/{completion.index}"
                if record_id in done:
                    continue
                records.append({
                    "id": record_id, "game": game, "sample": completion.index,
                    "text": completion.text, "finish_reason": completion.finish_reason,
                    "model": labels.get("model", completion.model),
                    "adapter": labels.get("adapter", config.adapter),
                    "backend": completion.backend, "settings": completion.settings,
                    "call": index, "seed": seed, "prompt_sha256": _sha(prompt),
                    "timing": {"seconds": completion.seconds}})
            written += log.append(records)
            bar.update(done=len(done))
    return {"records": len(done), "written": written, "games": len(prompts)}


def report_record(generation: dict, code: str | None, report) -> dict:
    """The verification record of one generation (``report`` None: no code in it)."""
    record = {"id": generation["id"], "game": generation["game"],
              "sample": generation.get("sample"),
              "code_sha256": None if code is None else _sha(code)}
    if report is None:
        return {**record, "status": "no_code", "score": 0.0, "verified": False,
                "report": None, "timing": {}}
    body = report.to_dict()
    cpu = body.pop("cpu_seconds", None)
    verified = getattr(report, "verified", report.status == "ok" and report.score == 1.0)
    return {**record, "status": report.status, "score": report.score,
            "verified": bool(verified), "report": body, "timing": {"cpu_seconds": cpu}}


def verify_records(generations: list[dict], settings, out: Path, *,
                   events: Events | None = None, stage: str = "verify") -> dict:
    """Verify into ``out/reports.jsonl``; returns counts. ``settings``: verify settings."""
    from collections import Counter

    from cwmkit.rewards import extract_code
    from cwmkit.verify.verifier import Verifier

    events = events or Events()
    out.mkdir(parents=True, exist_ok=True)
    log = RecordLog(out / REPORTS)
    done = log.load()
    todo = [g for g in generations if g["id"] not in done]
    with events.bar(stage, "programs", len(generations), len(done)) as bar:
        if todo:
            with Verifier(settings) as verifier:
                verifier.start()
                futures: dict = {}
                plan = []
                for generation in todo:
                    code = extract_code(generation["text"])
                    key = (generation["game"], code)
                    if code is not None and key not in futures:
                        futures[key] = verifier.submit(code, game=generation["game"])
                    plan.append((generation, code, futures.get(key)))
                for generation, code, future in plan:
                    report = None if future is None else future.result()
                    log.append([report_record(generation, code, report)])
                    bar.update(done=len(done))
    statuses = Counter(r["status"] for r in done.values())
    return {"records": len(done), "statuses": dict(sorted(statuses.items()))}
