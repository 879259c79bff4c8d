"""Train a model: SFT or GRPO with LoRA (needs the 'train' extra).

The config is a YAML mapping of the trainer's settings, either at the top level or under
the trainer's name (so one file can hold both stages); --set overrides single settings
(values are read as YAML, dotted keys reach into mappings: --set trl.warmup_steps=10).
Everything is validated before the model loads. The run directory gets the checkpoints,
log.jsonl (one line per training log), train_config.json and the final adapter; --resume
continues from its last checkpoint. 'cwmkit train TRAINER --help' lists the trainer's
settings; 'model: tiny' trains the small local model cwmkit builds (into RUN_DIR/model).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from cwmkit.cli._launch import add_launch_arguments, launching, relaunch
from cwmkit.cli._output import console, error_console, escape, print_json, print_json_line
from cwmkit.core.errors import ConfigError

NAME = "train"
HELP = "train a model with SFT or GRPO (LoRA, TRL)"
PARSER_OPTIONS = {"add_help": False}  # --help is _TrainerHelp: per trainer


class _TrainerHelp(argparse.Action):
    """``--help`` after a trainer's name shows that trainer's own help and settings."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        name = getattr(namespace, "trainer", None)
        if not name:
            parser.print_help()
            parser.exit()
        from cwmkit.core.errors import CwmkitError
        from cwmkit.core.plugins import get_host

        try:
            trainer = get_host().get("trainers", name)
        except CwmkitError as exc:
            parser.exit(2, f"error: {exc.message}\n")
        print(f"usage: cwmkit train {name} [--config FILE.yaml] [--set KEY=VALUE]\n"
              "         [--out RUN_DIR] [--resume] [--json] [--list-settings [--json]]\n"
              "         [--accelerate-config FILE.yaml] [--num-processes N]\n")
        print(f"{name}: {trainer.description}\n")
        print("options: --config, --set KEY=VALUE (dotted keys reach into mappings:\n"
              "  --set trl.weight_decay=0.01), --out, --resume, --json, --list-settings;\n"
              "  'cwmkit train --help' explains them\n")
        config_class = getattr(trainer, "config_class", None)
        if config_class is not None and config_class.__doc__:
            import textwrap

            print(textwrap.fill(" ".join(config_class.__doc__.split()), 79) + "\n")
            print_settings(f"{name} settings", config_class.describe())
        parser.exit()


def add_arguments(parser) -> None:
    parser.add_argument("trainer", metavar="TRAINER",
                        help="registered trainer: sft or grpo (see 'cwmkit plugins'); "
                             "'cwmkit train sft --help' shows its settings")
    parser.add_argument("--config", type=Path, metavar="FILE.yaml",
                        help="YAML file of the trainer's settings")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override one setting, e.g. --set max_steps=100")
    parser.add_argument("--out", type=Path, metavar="RUN_DIR",
                        help="run directory (default: runs/TRAINER)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the run directory's last checkpoint")
    parser.add_argument("--json", action="store_true",
                        help="print the result (or, with --list-settings, the settings) as "
                             "JSON")
    parser.add_argument("--list-settings", action="store_true",
                        help="list the trainer's settings with their defaults and exit")
    parser.add_argument("-h", "--help", action=_TrainerHelp,
                        help="show this help (after TRAINER: that trainer's settings)")
    add_launch_arguments(parser)


def read_config(path: Path | None, trainer: str) -> dict:
    if path is None:
        return {}
    from cwmkit.pipeline.yamlfile import load_yaml

    data, _ = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, found a "
                          f"{type(data).__name__}", hint="write one 'name: value' per line")
    if isinstance(data.get(trainer), dict):
        return dict(data[trainer])
    return data


def apply_overrides(values: dict, items: list[str]) -> dict:
    from cwmkit.pipeline.yamlfile import parse_scalar

    values = dict(values)
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE")
        *parents, last = key.strip().split(".")
        target = values
        for part in parents:
            target[part] = dict(target.get(part) or {})
            target = target[part]
        target[last] = parse_scalar(raw)
    return values


def print_settings(title: str, items: dict) -> None:
    """The settings with their defaults and meaning; names and defaults are never cut. A
    table on a wide terminal; below 100 columns, one setting per entry with its meaning
    wrapped under it."""
    import textwrap

    from rich.table import Table

    out = console()
    if out.width >= 100:
        table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
        table.add_column("setting", no_wrap=True)
        table.add_column("default", overflow="fold", max_width=30)
        table.add_column("meaning", overflow="fold", ratio=1)
        for key, (default, meaning) in items.items():
            table.add_row(escape(key), escape(repr(default)), escape(meaning))
        out.print(table)
        return
    out.print(f"[bold]{escape(title)}[/]")
    width = max(40, out.width - 6)
    for key, (default, meaning) in items.items():
        out.print(f"  [bold]{escape(key)}[/] = {escape(repr(default))}", soft_wrap=True)
        for line in textwrap.wrap(meaning, width) or [""]:
            out.print(f"      {escape(line)}", soft_wrap=True)


def _list_settings(name: str, config_class, as_json: bool) -> None:
    if config_class is None:
        if as_json:
            print_json({})
        else:
            console().print(f"trainer '{name}' declares no typed settings")
        return
    items = config_class.describe()
    if as_json:
        print_json({k: {"default": list(d) if isinstance(d, tuple) else d, "help": h}
                    for k, (d, h) in items.items()})
        return
    print_settings(f"{name} settings", items)


def _summary(result: dict) -> None:
    out = console()
    out.print(f"[bold green]done[/]: adapter saved to {escape(str(result.get('adapter')))}")
    last = {}
    for entry in result.get("log_history") or []:
        last.update({k: v for k, v in entry.items() if isinstance(v, (int, float))})
    for key in ("step", "loss", "reward", "reward/shaped", "train_runtime"):
        if key in last:
            out.print(f"  {key}: {last[key]:.4g}")
    for stage in result.get("stages") or []:
        out.print(f"  stage {stage['stage']}: {', '.join(stage['games'])}")
    out.print(f"  log: {escape(str(result.get('log')))}")


def run(args) -> int:
    from cwmkit.core.plugins import get_host

    trainer = get_host().get("trainers", args.trainer)
    config_class = getattr(trainer, "config_class", None)
    if args.list_settings:
        _list_settings(args.trainer, config_class, args.json)
        return 0
    values = apply_overrides(read_config(args.config, args.trainer), args.set)
    if args.resume:
        values["resume_from_checkpoint"] = True
    run_dir = args.out or Path("runs") / args.trainer
    tiny = values.get("model") == "tiny"
    if tiny:
        values["model"] = str(run_dir / "model")
    if launching(args):
        if tiny and not (run_dir / "model").is_dir():
            from cwmkit.models import build_tiny_model

            build_tiny_model(run_dir / "model")  # once, before the processes start
        return relaunch(args, "train")
    config = config_class.from_dict(values) if config_class else values
    resume = values.get("resume_from_checkpoint", False)
    if resume is False and any(run_dir.glob("**/checkpoint-*")):
        raise ConfigError(f"{run_dir} already holds checkpoints of an earlier run",
                          hint="pass --resume to continue it, or --out a new directory")
    if hasattr(trainer, "check"):
        if tiny and not (run_dir / "model").is_dir():
            from cwmkit.models import build_tiny_model

            build_tiny_model(run_dir / "model")
        trainer.check(config)  # every setting, before any model loads
    from cwmkit.pipeline.progress import RichEvents, forward_notes, trainer_callback

    error_console().print(f"training [bold]{args.trainer}[/] into {escape(str(run_dir))}",
                          highlight=False)
    events = RichEvents(error_console())
    forward_notes(events)
    callbacks = [trainer_callback(events, args.trainer)]
    try:
        # The JSON result must be alone on stdout.
        with contextlib.redirect_stdout(sys.stderr):
            result = trainer.train(config, run_dir, callbacks=callbacks) \
                if hasattr(trainer, "check") else trainer.train(config, run_dir)
    finally:
        events.close()
    from cwmkit.training.distributed import is_main_process

    if not is_main_process():
        return 0  # the main process reports the run
    if args.json:
        print_json_line({k: v for k, v in result.items() if k != "log_history"})
        return 0
    _summary(result)
    return 0
