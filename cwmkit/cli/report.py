"""Report on run directories, side by side: report.md, a self-contained report.html and
results.json (a documented, versioned schema: docs/evaluation.md).

Each RUN_DIR is a folder that 'cwmkit run' or 'cwmkit eval' wrote; every model in them
becomes a column, and every pair of models a paired comparison on their shared games.
With one run the report is written into it; with several, into --out (default
reports/<run>-vs-<run>). --json prints the results document on stdout.
"""

from __future__ import annotations

from pathlib import Path

from cwmkit.cli._output import print_json

NAME = "report"
HELP = "compare run directories: tables with intervals, plots, a browsable HTML report"


def add_arguments(parser) -> None:
    parser.add_argument("runs", nargs="+", type=Path, metavar="RUN_DIR",
                        help="run directories of 'cwmkit run' or 'cwmkit eval'")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="where the report goes (default: the run directory, or "
                             "reports/<run>-vs-<run> for several)")
    parser.add_argument("--title", help="the report's title")
    parser.add_argument("--confidence", type=float, default=0.95,
                        help="level of every interval (default 0.95)")
    parser.add_argument("--resamples", type=int, default=2000,
                        help="bootstrap resamples per interval (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap")
    parser.add_argument("--json", action="store_true",
                        help="print the results document on stdout")


def run(args) -> int:
    from cwmkit.evaluation import EvaluationSettings, load_run
    from cwmkit.evaluation.report import write_report

    settings = EvaluationSettings(confidence=args.confidence, resamples=args.resamples,
                                  seed=args.seed)
    sources = [source for run_dir in args.runs for source in load_run(run_dir)]
    out = args.out
    if out is None:
        out = args.runs[0] if len(args.runs) == 1 else Path("reports") / "-vs-".join(
            p.resolve().name for p in args.runs)
    title = args.title
    if title is None and len(args.runs) == 1:  # a pipeline run keeps its report's title
        from cwmkit.pipeline import read_json

        name = (read_json(args.runs[0] / "resolved.json", {}) or {}).get("name")
        title = f"Run report: {name}" if name else None
    results = write_report(out, sources, settings, title=title)
    if args.json:
        print_json({k: v for k, v in results.items() if k != "files"})
        return 0
    from cwmkit.cli.eval import _print_summary

    _print_summary(results)
    return 0
