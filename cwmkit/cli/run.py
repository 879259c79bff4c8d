"""Run a pipeline: the stages of a PIPELINE.yaml, resumably, in one run directory.

A pipeline file names a model (a hub id, a local folder, or 'tiny': a small model cwmkit
builds locally) and the stages to run, in this order: data, sft, grpo, generate, verify,
evaluate, report (see pipelines/ and docs/pipelines.md). Every key, type and file is
checked before any work starts, with the file and line of each mistake.

The run directory (default runs/NAME, or --out) gets everything: the resolved config,
the training records, checkpoints and adapters, generations and verification reports as
append-only JSONL, the evaluation and report.md. Run the same command again after a
crash or kill -9: finished stages are skipped, an interrupted one continues, and a stage
whose settings changed starts again. --dry-run prints the plan and what a run would do.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from cwmkit.cli._output import console, error_console, escape, print_json

NAME = "run"
HELP = "run a pipeline (data, sft, grpo, generate, verify, evaluate, report)"


def add_arguments(parser) -> None:
    parser.add_argument("pipeline", type=Path, metavar="PIPELINE.yaml",
                        help="the pipeline file, e.g. pipelines/quickstart.yaml")
    parser.add_argument("--out", type=Path, metavar="RUN_DIR",
                        help="run directory (default: runs/NAME)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override one setting, e.g. --set sft.max_steps=2")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the file and print the plan; run nothing")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true", help="print nothing but errors")
    shown.add_argument("--json", action="store_true",
                       help="one JSON object per event on stdout (steps, progress, logs)")


def _print_plan(plan, status: dict) -> None:
    import yaml
    from rich.table import Table

    out = console()
    out.print(f"pipeline [bold]{escape(plan.name)}[/] ({escape(str(plan.file))}), model "
              f"{escape(plan.model)}, run directory {escape(str(plan.run_dir))}")
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("step", no_wrap=True)
    table.add_column("a run would", no_wrap=True)
    table.add_column("key", no_wrap=True)
    table.add_column("what it does")
    words = {"run": "run it", "done": "skip it (done)", "resume": "resume it",
             "redo": "redo it (changed)"}
    for name, step in plan.steps.items():
        table.add_row(name, words[status[name]], step.key[:12], escape(step.about))
    out.print(table)
    for name, step in plan.steps.items():
        out.print(f"\n[bold]{name}[/] (reads: {', '.join(step.inputs) or 'nothing'})")
        text = yaml.safe_dump(step.config_dict(), sort_keys=False, default_flow_style=None,
                              width=88)
        out.print(escape(text.rstrip()), highlight=False)


def run(args) -> int:
    from cwmkit.pipeline import Events, JsonEvents, RichEvents, load_plan, plan_status, run_plan

    # The trainers' TRL checks import the heavy libraries: they run for the steps a
    # run will do (a resumed run skips the finished ones), before any work starts.
    plan = load_plan(args.pipeline, run_dir=args.out, overrides=args.set,
                     environment=not args.dry_run, check_trainers=args.dry_run)
    if args.dry_run:
        status = plan_status(plan)
        if args.json:
            print_json({**plan.resolved(), "run_dir": str(plan.run_dir), "status": status,
                        "missing": list(plan.missing)})
        else:
            _print_plan(plan, status)
            for line in plan.missing:
                error_console().print(f"[yellow]to run it here:[/] {escape(line)}",
                                      highlight=False)
        return 0
    if args.json:
        events = JsonEvents(sys.stdout)
    elif args.quiet:
        events = Events()
    else:
        events = RichEvents(error_console())
    try:
        # Whatever a library prints must not mix with the JSON events or the bars.
        with contextlib.redirect_stdout(sys.stderr):
            run_plan(plan, events)
    finally:
        events.close()
    return 0
