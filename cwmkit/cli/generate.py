"""Generate programs: N samples per game's prompt from a model, with or without a LoRA
adapter, through a generation backend (transformers, vllm, openai).

The records go to DIR/generations.jsonl, one JSON object per completion (id GAME/SAMPLE,
the text, how it was sampled); with --verify each program is also verified and its
report appended to DIR/reports.jsonl, and a table of mean scores per game is printed.
Running the same command again continues an interrupted run: what is written is kept.

Each backend has its own settings, given with --set KEY=VALUE (or in --config FILE.yaml,
a mapping like a pipeline's generate stage): transformers batch_size, dtype, device;
vllm tensor_parallel_size, gpu_memory_utilization, max_model_len, max_lora_rank, ...;
openai base_url, api_key_env, concurrency, timeout, retries. --list-settings lists them.
"""

from __future__ import annotations

from pathlib import Path

from cwmkit.cli._output import console, error_console, escape, print_json, print_json_line
from cwmkit.core.errors import ConfigError

NAME = "generate"
HELP = "sample programs from a model (and adapter), optionally verifying them"


def add_arguments(parser) -> None:
    parser.add_argument("--model", metavar="M",
                        help="hub id, local folder, 'tiny' (built into DIR/model), or the "
                             "model name an OpenAI-compatible server knows")
    parser.add_argument("--adapter", metavar="ADAPTER_DIR",
                        help="LoRA adapter folder of an SFT or GRPO run")
    parser.add_argument("--games", metavar="A,B", help="these games (comma-separated)")
    parser.add_argument("--split", choices=("train", "eval", "all"),
                        help="every game of this split (default: eval; with --games: "
                             "any split)")
    parser.add_argument("--samples", type=int, metavar="N", help="completions per game")
    parser.add_argument("--temperature", type=float, help="sampling temperature")
    parser.add_argument("--max-new-tokens", type=int, metavar="N",
                        help="most tokens per completion")
    parser.add_argument("--seed", type=int, help="sampling seed")
    parser.add_argument("--backend", metavar="NAME",
                        help="transformers (default), vllm or openai")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a backend setting, e.g. --set batch_size=4")
    parser.add_argument("--config", type=Path, metavar="FILE.yaml",
                        help="YAML mapping of these settings (as a pipeline's generate stage)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="folder for the records")
    parser.add_argument("--verify", action="store_true",
                        help="verify each program and write DIR/reports.jsonl")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--list-settings", action="store_true",
                        help="list the generation settings and every backend's, and exit")


def _values(args) -> dict:
    values: dict = {}
    if args.config is not None:
        from cwmkit.pipeline.yamlfile import load_yaml

        data, _ = load_yaml(args.config)
        data = data or {}
        if not isinstance(data, dict):
            raise ConfigError(f"{args.config}: expected a mapping of generate settings")
        values = dict(data.get("generate", data))
    for key in ("split", "samples", "temperature", "seed", "adapter"):
        if getattr(args, key) is not None:
            values[key] = getattr(args, key)
    if args.max_new_tokens is not None:
        values["max_new_tokens"] = args.max_new_tokens
    if args.games:
        values["games"] = [g.strip() for g in args.games.split(",") if g.strip()]
        values.setdefault("split", "all")  # named games, whatever their split
    backend = dict(values.get("backend") or {})
    if args.backend:
        backend["name"] = args.backend
    from cwmkit.pipeline.yamlfile import parse_scalar

    for item in args.set:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE",
                              hint="e.g. --set batch_size=4")
        backend[key.strip()] = parse_scalar(raw)
    values["backend"] = backend or {"name": "transformers"}
    return values


def _list_settings(as_json: bool) -> None:
    from cwmkit.cli.train import print_settings
    from cwmkit.generation import backend_settings
    from cwmkit.pipeline.config import GenerateStage

    groups = {"generate": GenerateStage.describe()}
    for name, cls in backend_settings().items():
        if cls is not None:
            groups[f"backend {name}"] = cls.describe()
    if as_json:
        print_json({group: {k: {"default": d, "help": h} for k, (d, h) in items.items()}
                    for group, items in groups.items()})
        return
    for group, items in groups.items():
        print_settings(group, items)


def run(args) -> int:
    if args.list_settings:
        _list_settings(args.json)
        return 0
    if not args.model or not args.out:
        raise ConfigError("give the model and a folder: --model M --out DIR",
                          hint="e.g. cwmkit generate --model tiny --games tic_tac_toe "
                               "--samples 2 --out generations/")
    if args.out.exists() and not args.out.is_dir():
        raise ConfigError(f"--out {args.out}: a file, not a folder",
                          hint="give a new folder, or one of an earlier generate run")
    from cwmkit.generation import generation_config
    from cwmkit.pipeline import Events, RichEvents
    from cwmkit.pipeline.config import GenerateStage, backend_of
    from cwmkit.pipeline.runner import quiet_libraries
    from cwmkit.pipeline.sampling import GENERATIONS, game_prompts, generate_records

    values = _values(args)
    values.pop("adapter", None)
    stage = GenerateStage.from_dict(values)
    backend, options = backend_of(stage.backend)
    model = args.model
    if model == "tiny":
        model = str(args.out / "model")
    elif Path(model).expanduser().is_dir():
        model = str(Path(model).expanduser().resolve())
    config = generation_config(backend, {
        "model": model, "adapter": args.adapter, "temperature": stage.temperature,
        "top_p": stage.top_p, "max_new_tokens": stage.max_new_tokens, "n": stage.samples,
        "seed": stage.seed, "options": options})
    prompts = game_prompts(stage.split, stage.games, stage.renderer)
    events = Events() if args.quiet or args.json else RichEvents(error_console())
    try:
        with quiet_libraries():
            if args.model == "tiny" and not Path(model).is_dir():
                from cwmkit.models import build_tiny_model

                build_tiny_model(model)
            counts = generate_records(prompts, backend, config, args.out, events=events,
                                      prompts_per_call=stage.prompts_per_call,
                                      labels={"model": args.model, "adapter": args.adapter})
            summary = {"generations": str(args.out / GENERATIONS), **counts}
            if args.verify:
                summary.update(_verify(args.out, events))
    finally:
        events.close()
    if args.json:
        print_json_line(summary)
        return 0
    console().print(f"{summary['records']} completions of {summary['games']} games in "
                    f"{escape(summary['generations'])}")
    if args.verify:
        _print_scores(summary["evaluation"])
    return 0


def _verify(out: Path, events) -> dict:
    from cwmkit.pipeline.evaluate import summarise
    from cwmkit.pipeline.records import RecordLog
    from cwmkit.pipeline.sampling import GENERATIONS, REPORTS, verify_records

    generations = RecordLog(out / GENERATIONS).records()
    verify_records(generations, None, out, events=events)
    evaluation = summarise(RecordLog(out / REPORTS).records())
    return {"reports": str(out / REPORTS), "evaluation": evaluation}


def _print_scores(evaluation: dict) -> None:
    from rich.table import Table

    table = Table(title="verified", title_justify="left")
    for column in ("game", "programs", "mean score", "95% interval", "verified"):
        table.add_column(column, no_wrap=column == "game",
                         justify="left" if column == "game" else "right")
    rows = list(evaluation["games"].items()) + [("all", evaluation["overall"])]
    for game, row in rows:
        low, high = row["interval"]
        mean = "-" if row["mean_score"] is None else f"{row['mean_score']:.3f}"
        span = "-" if low is None else f"{low:.3f} to {high:.3f}"
        table.add_row(escape(game), str(row["programs"]), mean, span, str(row["verified"]))
    console().print(table)
