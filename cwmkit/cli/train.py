"""Train a model: SFT or GRPO with LoRA (needs the 'train' extra).

The config is a YAML mapping of the trainer's settings, either at the top level or under
the trainer's name (so one file can hold both stages); --set overrides single settings
(values are read as YAML, dotted keys reach into mappings: --set trl.warmup_steps=10).
Everything is validated before the model loads. The run directory gets the checkpoints,
log.jsonl (one line per training log), train_config.json and the final adapter; --resume
continues from its last checkpoint.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from pathlib import Path

from cwmkit.cli._output import console, error_console, escape, print_json_line
from cwmkit.core.errors import ConfigError

NAME = "train"
HELP = "train a model with SFT or GRPO (LoRA, TRL)"


def add_arguments(parser) -> None:
    parser.add_argument("trainer", metavar="TRAINER",
                        help="registered trainer: sft or grpo (see 'cwmkit plugins')")
    parser.add_argument("--config", type=Path, metavar="FILE.yaml",
                        help="YAML file of the trainer's settings")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override one setting, e.g. --set max_steps=100")
    parser.add_argument("--out", type=Path, metavar="RUN_DIR",
                        help="run directory (default: runs/TRAINER)")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the run directory's last checkpoint")
    parser.add_argument("--json", action="store_true",
                        help="print the result as one JSON object")
    parser.add_argument("--list-settings", action="store_true",
                        help="list the trainer's settings with their defaults and exit")


def read_config(path: Path | None, trainer: str) -> dict:
    if path is None:
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, found a "
                          f"{type(data).__name__}", hint="write one 'name: value' per line")
    if isinstance(data.get(trainer), dict):
        return dict(data[trainer])
    return data


def apply_overrides(values: dict, items: list[str]) -> dict:
    import yaml

    values = dict(values)
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE")
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            value = raw
        *parents, last = key.strip().split(".")
        target = values
        for part in parents:
            target[part] = dict(target.get(part) or {})
            target = target[part]
        target[last] = value
    return values


class _Notes(logging.Handler):
    """Shows the trainers' progress notes on stderr."""

    def emit(self, record) -> None:
        error_console().print(f"[cyan]cwmkit:[/] {escape(record.getMessage())}",
                              highlight=False)


def _show_notes() -> None:
    logger = logging.getLogger("cwmkit.training")
    if not any(isinstance(h, _Notes) for h in logger.handlers):
        logger.addHandler(_Notes())
    logger.setLevel(logging.INFO)


def _summary(result: dict) -> None:
    out = console()
    out.print(f"[bold green]done[/]: adapter saved to {result.get('adapter')}")
    last = {}
    for entry in result.get("log_history") or []:
        last.update({k: v for k, v in entry.items() if isinstance(v, (int, float))})
    for key in ("step", "loss", "reward", "reward/shaped", "train_runtime"):
        if key in last:
            out.print(f"  {key}: {last[key]:.4g}")
    for stage in result.get("stages") or []:
        out.print(f"  stage {stage['stage']}: {', '.join(stage['games'])}")
    out.print(f"  log: {result.get('log')}")


def _list_settings(name: str, config_class) -> None:
    if config_class is None:
        console().print(f"trainer '{name}' declares no typed settings")
        return
    from rich.table import Table

    table = Table(title=f"{name} settings", title_justify="left")
    for column in ("setting", "default", "meaning"):
        table.add_column(column)
    for key, (default, meaning) in config_class.describe().items():
        table.add_row(key, escape(repr(default)), escape(meaning))
    console().print(table)


def run(args) -> int:
    from cwmkit.core.plugins import get_host

    trainer = get_host().get("trainers", args.trainer)
    config_class = getattr(trainer, "config_class", None)
    if args.list_settings:
        _list_settings(args.trainer, config_class)
        return 0
    values = apply_overrides(read_config(args.config, args.trainer), args.set)
    if args.resume:
        values["resume_from_checkpoint"] = True
    config = config_class.from_dict(values) if config_class else values
    run_dir = args.out or Path("runs") / args.trainer
    resume = values.get("resume_from_checkpoint", False)
    if resume is False and any(run_dir.glob("**/checkpoint-*")):
        raise ConfigError(f"{run_dir} already holds checkpoints of an earlier run",
                          hint="pass --resume to continue it, or --out a new directory")
    _show_notes()
    error_console().print(f"training [bold]{args.trainer}[/] into {escape(str(run_dir))}",
                          highlight=False)
    if args.json:
        # The trainer's progress printer writes to stdout; the JSON must be alone there.
        with contextlib.redirect_stdout(sys.stderr):
            result = trainer.train(config, run_dir)
        print_json_line({k: v for k, v in result.items() if k != "log_history"})
        return 0
    result = trainer.train(config, run_dir)
    _summary(result)
    return 0
