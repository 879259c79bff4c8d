"""Mutation-test the verifier on a game: how many wrong programs does it catch?

Makes mutants of the game's reference GameCWM (operators swapped, constants off by one,
branches and statements dropped, players swapped, copies turned into aliases, payoffs
changed, hidden state leaked, a function that never returns), verifies each in the
sandbox, and examines every survivor at length: a survivor whose behaviour differs from
the reference somewhere is a blind spot of the verifier, one whose does not is an
equivalent mutant and does not count. With --json, one object: game, mutants, killed,
equivalent, kill_rate (killed / (mutants - equivalent)), survivors, by_tier, results.
"""

from __future__ import annotations

import contextlib

from cwmkit.cli._output import console, error_console, escape, print_json
from cwmkit.core.errors import ConfigError

NAME = "mutate"
HELP = "mutation-test the verifier on a game's reference (kill rate, blind spots)"


def add_arguments(parser) -> None:
    parser.add_argument("game", help="registered game id (see 'cwmkit games')")
    parser.add_argument("--max-mutants", type=int, default=60, metavar="N",
                        help="mutants at most, sampled evenly over operators (default 60)")
    parser.add_argument("--equivalence-trajectories", type=int, default=400, metavar="N",
                        help="reference trajectories and playouts that examine a survivor "
                             "(default 400)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.add_argument("--workers", type=int, help="mutants verified at once")


def run(args) -> int:
    from cwmkit.verify.mutate import run_mutation
    from cwmkit.verify.settings import VerifySettings
    from cwmkit.verify.verifier import Verifier

    for name in ("max_mutants", "equivalence_trajectories"):
        if getattr(args, name) < 1:
            raise ConfigError(f"--{name.replace('_', '-')} must be at least 1")
    settings = VerifySettings() if args.workers is None else VerifySettings(workers=args.workers)
    with Verifier(settings) as verifier:
        game = verifier.resolve_game(args.game)  # an unknown game fails before any work
        if game.reference_path is None:
            raise ConfigError(f"game {args.game!r} has no reference program to mutate")
        verifier.start()
        with _progress(quiet=args.json) as tick:
            report = run_mutation(verifier, game, max_mutants=args.max_mutants,
                                  seed=args.seed, progress=tick,
                                  equivalence_trajectories=args.equivalence_trajectories)
    if args.json:
        print_json(report.to_dict())
    else:
        show(report)
    return 0


@contextlib.contextmanager
def _progress(*, quiet: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=error_console(),
                  disable=quiet, transient=True) as progress:
        task = progress.add_task("verifying mutants", total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


def show(report) -> None:
    from rich.table import Table

    out = console()
    out.print(f"[bold]{report.game}[/]: reference score {report.reference_score}")
    table = Table(title="kills per tier", title_justify="left")
    table.add_column("tier")
    table.add_column("kills", justify="right")
    for name, count in report.by_tier().items():
        table.add_row(name, str(count))
    out.print(table)
    survivors = report.survivors
    if survivors:
        out.print(f"[red]{len(survivors)} survivors[/] (the verifier passes them, yet they "
                  "behave differently):")
        for r in survivors:
            out.print(f"  - {escape(r.mutant.description)}: [dim]{escape(r.difference)}[/]")
    relevant = len(report.results) - report.equivalent
    style = "green" if report.kill_rate >= 0.95 else "yellow"
    out.print(f"{len(report.results)} mutants, {report.equivalent} equivalent; killed "
              f"{report.killed}/{relevant}: kill rate [{style}]{report.kill_rate:.1%}[/]")
