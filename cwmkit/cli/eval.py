"""Evaluate models side by side: generate, verify and summarise in one run directory.

Each --model starts a model; the options after it (--adapter, --backend, --label,
--base-url, --set) are that model's, and given before the first --model they apply to
every model. An OpenAI-compatible server is a model too: --model NAME --backend openai
--base-url URL. 'tiny' is the tiny local model (built in the run directory).

    cwmkit eval --model Qwen/Qwen2.5-3B-Instruct --adapter runs/study/grpo/adapter \\
                --model Qwen/Qwen2.5-3B-Instruct --label base --games eval -n 25

The run directory (--out) holds eval.json (what was asked), models/<label>/ with the
generation and verification records (JSONL, resumable: run the same command again to
continue), results.json, report.md and report.html (docs/evaluation.md).
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from cwmkit.cli._output import console, escape, print_json
from cwmkit.core.errors import ConfigError

NAME = "eval"
HELP = "generate, verify and compare models on held-out games, with intervals and a report"

#: Version of eval.json.
FORMAT = 1
_PER_MODEL = ("adapter", "backend", "label", "base_url")


class _Model(argparse.Action):
    def __call__(self, parser, namespace, value, option_string=None):
        models = list(namespace.models or [])
        models.append({"model": value, "set": []})
        namespace.models = models


class _PerModel(argparse.Action):
    """An option of the last --model, or of every model when given before the first."""

    def __call__(self, parser, namespace, value, option_string=None):
        if namespace.models:
            target = namespace.models[-1]
        else:
            if namespace.defaults is None:
                namespace.defaults = {"set": []}
            target = namespace.defaults
        if self.dest == "set":
            target.setdefault("set", []).append(value)
        else:
            target[self.dest] = value


def add_arguments(parser) -> None:
    parser.set_defaults(models=None, defaults=None)
    parser.add_argument("--model", action=_Model, metavar="PATH_OR_ID", dest="models",
                        help="a model to evaluate: hub id, local folder, 'tiny', or the "
                             "name an OpenAI-compatible server knows (repeat for more)")
    parser.add_argument("--adapter", action=_PerModel, metavar="DIR",
                        help="a LoRA adapter folder for this model")
    parser.add_argument("--backend", action=_PerModel, metavar="NAME",
                        help="generation backend: transformers (default), vllm, openai")
    parser.add_argument("--label", action=_PerModel,
                        help="the model's name in the report (default: model+adapter)")
    parser.add_argument("--base-url", action=_PerModel, dest="base_url", metavar="URL",
                        help="an OpenAI-compatible endpoint (implies --backend openai)")
    parser.add_argument("--set", action=_PerModel, metavar="KEY=VALUE",
                        help="a setting of this model's backend (batch_size, device, "
                             "tensor_parallel_size, concurrency, ...)")
    parser.add_argument("--games", default="eval",
                        help="eval, train, all, or game ids separated by commas")
    parser.add_argument("-n", "--samples", type=int, default=25,
                        help="completions per game and model (default 25)")
    parser.add_argument("--temperature", type=float, default=0.6,
                        help="sampling temperature; 0 decodes greedily (default 0.6)")
    parser.add_argument("--top-p", type=float, default=1.0,
                        help="nucleus sampling mass (default 1.0)")
    parser.add_argument("--max-new-tokens", type=int, default=4096,
                        help="most tokens of one completion (default 4096)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    parser.add_argument("--renderer", default="default", help="prompt renderer plugin")
    parser.add_argument("--prompts-per-call", type=int, default=4,
                        help="prompts per generation call (what a resumed run redoes)")
    parser.add_argument("--verify-set", action="append", default=[], metavar="KEY=VALUE",
                        help="a verifier setting (playouts, workers, ...)")
    parser.add_argument("--confidence", type=float, default=0.95,
                        help="level of every interval (default 0.95)")
    parser.add_argument("--resamples", type=int, default=2000,
                        help="bootstrap resamples per interval")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="run directory (default: runs/eval-<labels>)")
    parser.add_argument("--title", help="the report's title")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true",
                        help="print the results document (results.json) on stdout")
    output.add_argument("--quiet", action="store_true", help="no progress bars")


def _value(raw: str):
    from cwmkit.pipeline import parse_scalar

    return parse_scalar(raw)


def _pairs(items: list[str], option: str) -> dict:
    values = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{option} {item!r}: expected KEY=VALUE",
                              hint=f"e.g. {option} batch_size=4")
        values[key.strip()] = _value(raw.strip())
    return values


def _slug(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", label).strip("_") or "model"


def _models(args) -> list[dict]:
    from cwmkit.evaluation.samples import default_label

    if not args.models:
        raise ConfigError("cwmkit eval needs at least one --model",
                          hint="e.g. cwmkit eval --model tiny --games eval -n 2")
    defaults = args.defaults or {}
    models, labels = [], set()
    for given in args.models:
        entry = {k: given.get(k, defaults.get(k)) for k in _PER_MODEL}
        options = {**_pairs(defaults.get("set", []), "--set"),
                   **_pairs(given.get("set", []), "--set")}
        backend = entry["backend"] or ("openai" if entry["base_url"] else "transformers")
        if entry["base_url"]:
            if backend != "openai":
                raise ConfigError(f"--base-url is a setting of the openai backend, not "
                                  f"{backend}", hint="drop --backend, or use --backend openai")
            options["base_url"] = entry["base_url"]
        adapter = entry["adapter"]
        if adapter is not None and not (Path(adapter) / "adapter_config.json").is_file():
            raise ConfigError(f"--adapter {adapter}: no LoRA adapter there (no "
                              "adapter_config.json)", hint="give the 'adapter' folder a "
                                                           "training run wrote")
        label = entry["label"] or default_label(given["model"], adapter)
        if label in labels:
            raise ConfigError(f"two models are labelled {label!r}",
                              hint="give each --model its own --label")
        labels.add(label)
        models.append({"label": label, "folder": f"models/{_slug(label)}",
                       "model": given["model"], "adapter": adapter, "backend": backend,
                       "options": options})
    return models


def _games(args) -> tuple[str, tuple[str, ...] | None]:
    if args.games in ("eval", "train", "all"):
        return args.games, None
    ids = tuple(g.strip() for g in args.games.split(",") if g.strip())
    if not ids:
        raise ConfigError(f"--games {args.games!r}: no game ids",
                          hint="eval, train, all, or ids such as tic_tac_toe,kuhn_poker")
    return "all", ids


def _check_run_dir(out: Path, plan: dict) -> None:
    """Refuse a run directory whose records were made with other settings."""
    try:
        before = json.loads((out / "eval.json").read_text("utf-8"))
    except (OSError, ValueError):
        return
    same = ("games", "sampling", "renderer", "verify")
    for key in same:
        if before.get(key) != plan[key]:
            raise ConfigError(f"{out} holds an evaluation with other {key} "
                              f"({before.get(key)} instead of {plan[key]})",
                              hint="give this evaluation another --out")
    earlier = {m["label"]: m for m in before.get("models", [])}
    for model in plan["models"]:
        old = earlier.get(model["label"])
        if old is not None and old != model:
            raise ConfigError(f"{out}: the model labelled {model['label']!r} was "
                              "evaluated with other settings there",
                              hint="give it another --label, or another --out")


def _model_path(model: dict, out: Path, events) -> str:
    if model["model"] != "tiny":
        return model["model"]
    from cwmkit.models.tiny import build_tiny_model, is_tiny_model

    folder = out / "tiny-model"
    if not is_tiny_model(folder):
        events.note(f"building the tiny model in {folder}")
        build_tiny_model(folder)
    return str(folder)


def _generate_and_verify(plan: dict, out: Path, prompts, verify, events) -> None:
    from cwmkit.generation import generation_config
    from cwmkit.pipeline.records import RecordLog
    from cwmkit.pipeline.sampling import GENERATIONS, generate_records, verify_records

    for model in plan["models"]:
        folder = out / model["folder"]
        generation = generation_config(model["backend"], {
            **plan["sampling"], "model": _model_path(model, out, events),
            "adapter": model["adapter"], "options": model["options"]})
        events.step(model["label"], "start", about=f"generate and verify ({model['backend']})")
        generate_records(prompts, model["backend"], generation, folder,
                         prompts_per_call=plan["prompts_per_call"], events=events,
                         stage=f"{model['label']}: generate",
                         labels={"model": model["model"], "adapter": model["adapter"]})
        counts = verify_records(RecordLog(folder / GENERATIONS).records(), verify, folder,
                                events=events, stage=f"{model['label']}: verify")
        events.step(model["label"], "done", line=", ".join(
            f"{k} {v}" for k, v in counts["statuses"].items()))


def _print_summary(results: dict) -> None:
    from rich.table import Table

    from cwmkit.evaluation.tables import models_table

    table = models_table(results)
    view = Table(show_edge=False, pad_edge=False)
    keep = [0, 1, 2, 3, 5, 6]
    for i in keep:
        view.add_column(table.header[i])
    for row in table.rows:
        view.add_row(*[escape(row[i].text) for i in keep])
    out = console()
    out.print(view)
    for label, model in results["models"].items():
        for note in model["notes"]:
            out.print(f"[dim]{escape(label)}: {escape(note)}[/]")
    files = results["files"]
    out.print(f"report: {escape(files['html'])} and {escape(files['markdown'])}; results: "
              f"{escape(files['results'])}")


def run(args) -> int:
    from cwmkit.evaluation import EvaluationSettings, load_run
    from cwmkit.evaluation.report import write_report
    from cwmkit.pipeline import Events, RichEvents, write_json
    from cwmkit.pipeline.sampling import game_prompts
    from cwmkit.verify.settings import VerifySettings

    models = _models(args)
    split, ids = _games(args)
    if args.samples < 1:
        raise ConfigError(f"-n must be at least 1, got {args.samples}")
    settings = EvaluationSettings(confidence=args.confidence, resamples=args.resamples)
    verify = VerifySettings.from_dict(_pairs(args.verify_set, "--verify-set"))
    prompts = game_prompts(split, ids, args.renderer)
    out = args.out or Path("runs") / ("eval-" + "-vs-".join(_slug(m["label"])
                                                          for m in models))
    plan = {"format": FORMAT, "games": [g for g, _ in prompts], "renderer": args.renderer,
            "sampling": {"temperature": args.temperature, "top_p": args.top_p,
                         "max_new_tokens": args.max_new_tokens, "n": args.samples,
                         "seed": args.seed},
            "prompts_per_call": args.prompts_per_call, "verify": verify.to_dict(),
            "models": models}
    from cwmkit.generation import generation_config

    for model in models:  # every backend setting checked before any work
        generation_config(model["backend"], {**plan["sampling"], "model": model["model"],
                                             "adapter": model["adapter"],
                                             "options": model["options"]})
    _check_run_dir(out, plan)
    write_json(out / "eval.json", plan)
    from cwmkit.pipeline.runner import quiet_libraries

    events = Events() if args.quiet or args.json else RichEvents()
    try:
        with quiet_libraries():
            _generate_and_verify(plan, out, prompts, verify, events)
    finally:
        events.close()
    results = write_report(out, load_run(out), settings, title=args.title)
    if args.json:
        print_json({k: v for k, v in results.items() if k != "files"})
    else:
        _print_summary(results)
    return 0
