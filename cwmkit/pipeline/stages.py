"""What each step of a run does, given its typed config and what the earlier steps made.

Each ``run_<step>(ctx, step, resuming)`` returns ``(outputs, summary, line)``: the paths
later steps read, the numbers the report shows, and one line for the console. Every step
can be run again on its own leftovers: records are skipped by id, trainers continue from
their last complete checkpoint, files are written whole.
"""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

from attrs import define

from cwmkit.pipeline.plan import Plan, Step
from cwmkit.pipeline.progress import Events, trainer_callback
from cwmkit.pipeline.records import RecordLog, write_json
from cwmkit.pipeline.sampling import (
    GENERATIONS,
    REPORTS,
    game_prompts,
    generate_records,
    verify_records,
)

__all__ = ["RUNNERS", "Context"]


@define
class Context:
    """What a step can see: the plan, the events sink and the finished steps' states."""

    plan: Plan
    events: Events
    states: dict

    def outputs(self, name: str) -> dict:
        """The outputs of a finished step, as paths of this run directory."""
        outputs = (self.states.get(name) or {}).get("outputs") or {}
        return {k: str(self.plan.run_dir / v) if isinstance(v, str) else v
                for k, v in outputs.items()}


def _write_text(path: Path, text: str) -> None:
    import os

    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(text, "utf-8")
    with staging.open("rb") as f:
        os.fsync(f.fileno())
    os.replace(staging, path)


# ---------------------------------------------------------------------- model, data

def run_model(ctx: Context, step: Step, resuming: bool):
    import json

    from cwmkit.models.tiny import MARKER, build_tiny_model

    folder = step.folder
    marker = folder / MARKER
    if marker.is_file() and json.loads(marker.read_text()).get("corpus_sha256") == \
            step.extra["corpus_sha256"]:
        info = json.loads(marker.read_text())
    else:
        shutil.rmtree(folder, ignore_errors=True)
        build_tiny_model(folder)
        info = json.loads(marker.read_text())
    return ({"model": str(folder)}, {"parameters": info["parameters"]},
            f"{info['parameters']:,} parameters in {folder}")


def run_teacher(ctx: Context, step: Step, resuming: bool):
    """The teacher's completions of every game's prompt, and their verification."""
    from cwmkit import data
    from cwmkit.generation import generation_config
    from cwmkit.verify.settings import VerifySettings

    extra, sampling = step.extra, step.config
    generation = generation_config(extra["backend"], extra["generation"])
    games = data.select_games(extra["split"], extra["games"])
    prompts = [(g.name, data.prompt_text(g.spec, extra["renderer"])) for g in games]
    generate_records(prompts, extra["backend"], generation, step.folder, events=ctx.events,
                     stage="teacher", prompts_per_call=sampling["prompts_per_call"],
                     labels={"model": sampling["model"], "adapter": None})
    generations = RecordLog(step.folder / GENERATIONS).records()
    counts = verify_records(generations, VerifySettings.from_dict(sampling["verify"]),
                            step.folder, events=ctx.events, stage="teacher")
    statuses = ", ".join(f"{k} {v}" for k, v in counts["statuses"].items())
    return ({"generations": str(step.folder / GENERATIONS),
             "reports": str(step.folder / REPORTS)}, counts,
            f"{counts['records']} teacher programs: {statuses}")


def _teacher_records(ctx: Context, games, config) -> tuple[list, dict]:
    """The teacher's distinct programs of each game that verify with ``min_score``."""
    from cwmkit import data
    from cwmkit.rewards import extract_code

    teacher = config.teacher_config()
    outputs = ctx.outputs("teacher")
    generations = RecordLog(Path(outputs["generations"])).records()
    reports = RecordLog(Path(outputs["reports"])).load()
    by_name = {g.name: g for g in games}
    prompt_of = {g.name: data.prompt_text(g.spec, config.renderer) for g in games}
    backend = (teacher.backend or {}).get("name", "transformers")
    kept, seen, stats = [], set(), {}
    for generation in generations:
        game, report = generation["game"], reports[generation["id"]]
        row = stats.setdefault(game, {"generated": 0, "kept": 0})
        row["generated"] += 1
        code = extract_code(generation["text"])
        score = report["score"]
        if code is None or score is None or score < teacher.min_score or \
                (game, code) in seen:
            continue
        seen.add((game, code))
        row["kept"] += 1
        kept.append(data.record(prompt_of[game], data.answer(code), by_name[game],
                                f"teacher:{backend}:{teacher.model}", config.format))
    return kept, stats


def run_data(ctx: Context, step: Step, resuming: bool):
    from cwmkit import data

    config = step.config
    games = data.select_games(config.split, config.games)
    records = data.reference_records(games, format=config.format, renderer=config.renderer)
    stats: dict = {}
    if config.teacher is not None:
        extra, stats = _teacher_records(ctx, games, config)
        records += extra
    shutil.rmtree(step.folder / data.DATASET, ignore_errors=True)
    paths = data.save(records, step.folder, progress=False)
    prompts = []
    for game in games:
        text = data.prompt_text(game.spec, config.renderer)
        prompt = [{"role": "user", "content": text}] if config.format == "chat" else text
        prompts.append({"prompt": prompt, "game": game.name, "split": game.spec.split,
                        "tier": game.spec.tier})
    import json

    _write_text(step.folder / "prompts.jsonl",
                "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in prompts))
    kept = sum(s["kept"] for s in stats.values())
    return ({"records": str(paths["jsonl"]), "dataset": str(paths["dataset"]),
             "prompts": str(step.folder / "prompts.jsonl")},
            {"records": len(records), "games": len(games), "teacher": stats},
            f"{len(records)} records of {len(games)} games"
            + (f" ({kept} from the teacher)" if stats else ""))


# ---------------------------------------------------------------------- training

def _free_memory() -> None:
    """Give back what a finished trainer held (the next stage may load a vLLM engine)."""
    import gc

    gc.collect()
    try:
        import torch
    except ImportError:
        return
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _train(ctx: Context, step: Step, resuming: bool):
    from cwmkit.core.plugins import get_host

    trainer = get_host().get("trainers", step.name)
    config = step.config
    if resuming and step.folder.is_dir():
        config = config.evolve(resume_from_checkpoint=True)
    kwargs = {}
    if "callbacks" in inspect.signature(trainer.train).parameters:
        kwargs["callbacks"] = [trainer_callback(ctx.events, step.name)]
    result = trainer.train(config, step.folder, **kwargs)
    _free_memory()
    last: dict = {}
    for entry in result.get("log_history") or []:
        last.update({k: v for k, v in entry.items() if isinstance(v, (int, float))})
    summary = {"global_step": result.get("global_step"), "adapter": result.get("adapter"),
               **{k: last[k] for k in ("loss", "reward", "reward/shaped", "train_runtime")
                  if k in last}}
    line = f"{summary['global_step']} steps"
    for key in ("loss", "reward"):
        if key in summary:
            line += f", {key} {summary[key]:.4g}"
    return {"adapter": result["adapter"], "log": result.get("log")}, summary, \
        line + f"; adapter {result['adapter']}"


run_sft = run_grpo = _train


# ---------------------------------------------------------------------- sampling

def run_generate(ctx: Context, step: Step, resuming: bool):
    from cwmkit.generation import generation_config

    config, extra = step.config, step.extra
    adapter = extra["adapter"]
    label = adapter
    if adapter is not None and adapter.startswith("$"):
        label = adapter[1:]
        adapter = ctx.outputs(label)["adapter"]
    generation = generation_config(extra["backend"], {**extra["generation"],
                                                      "adapter": adapter})
    prompts = game_prompts(config.split, config.games, config.renderer)
    counts = generate_records(prompts, extra["backend"], generation, step.folder,
                              prompts_per_call=config.prompts_per_call, events=ctx.events,
                              labels={"model": ctx.plan.model, "adapter": label})
    return ({"generations": str(step.folder / GENERATIONS)}, counts,
            f"{counts['records']} completions of {counts['games']} games")


def run_verify(ctx: Context, step: Step, resuming: bool):
    generations = RecordLog(Path(ctx.outputs("generate")["generations"])).records()
    counts = verify_records(generations, step.config, step.folder, events=ctx.events)
    statuses = ", ".join(f"{k} {v}" for k, v in counts["statuses"].items())
    return {"reports": str(step.folder / REPORTS)}, counts, \
        f"{counts['records']} programs: {statuses}"


def _sources(ctx: Context) -> list:
    from cwmkit.pipeline.evaluate import run_sources

    if "verify" not in ctx.plan.steps:
        return []
    return run_sources(ctx.plan.run_dir, Path(ctx.outputs("generate")["generations"]),
                       Path(ctx.outputs("verify")["reports"]))


def run_evaluate(ctx: Context, step: Step, resuming: bool):
    from cwmkit.pipeline.evaluate import summarise, write_results

    reports = RecordLog(Path(ctx.outputs("verify")["reports"])).records()
    summary = summarise(reports, step.config.confidence)
    write_json(step.folder / "summary.json", summary)
    write_results(_sources(ctx), step.config, step.folder / "results.json")
    overall = summary["overall"]
    low, high = overall["interval"]
    mean = "-" if overall["mean_score"] is None else f"{overall['mean_score']:.3f}"
    span = "" if low is None else f" ({low:.3f} to {high:.3f})"
    return ({"summary": str(step.folder / "summary.json"),
             "results": str(step.folder / "results.json")}, overall,
            f"mean score {mean}{span}, {overall['verified']} of {overall['programs']} "
            "verified")


def run_report(ctx: Context, step: Step, resuming: bool):
    from cwmkit.pipeline.config import EvaluateStage
    from cwmkit.pipeline.evaluate import write_run_report

    plan = ctx.plan
    evaluate = plan.steps.get("evaluate")
    about = " ".join(filter(None, [(plan.description or "").strip(),
                                   f"Model: {plan.model}. Pipeline: {plan.file}."]))
    files = write_run_report(_sources(ctx), run_dir=plan.run_dir,
                             title=step.config.title or f"Run report: {plan.name}",
                             about=about, config=evaluate.config if evaluate is not None
                             else EvaluateStage())["files"]
    return ({"report": files["markdown"], "html": files["html"],
             "results": files["results"]}, {}, f"{files['markdown']} and {files['html']}")


RUNNERS = {"model": run_model, "teacher": run_teacher, "data": run_data, "sft": run_sft,
           "grpo": run_grpo,
           "generate": run_generate, "verify": run_verify, "evaluate": run_evaluate,
           "report": run_report}
