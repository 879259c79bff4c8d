"""Verify GameCWM programs in the sandbox and report every tier with counterexamples.

Give a registered game with --game (every applicable tier runs, scenarios and the
differential comparison with its reference included), or say what kind of game a bare
file is with --info (the game-independent tiers run). With --json, one JSON object per
line per file: file, status, score, tiers (name -> score) and checks.
"""

from __future__ import annotations

from pathlib import Path

from cwmkit.cli._output import console, error_console, print_json_line
from cwmkit.core.errors import ConfigError

NAME = "verify"
HELP = "verify GameCWM programs (sandboxed, tiered, with counterexamples)"


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="FILE|DIR",
                        help="Python files, or folders whose *.py files are verified")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--game", help="registered game id (see 'cwmkit games')")
    target.add_argument("--info", choices=("perfect", "imperfect"),
                        help="kind of game, for a program of no registered game")
    target.add_argument("--references", action="store_true",
                        help="verify every registered game's reference against its game "
                             "(a self-check of the games and the verifier)")
    parser.add_argument("--players", type=int, help="number of players (with --info)")
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.add_argument("--workers", type=int, help="programs verified at once")
    parser.add_argument("--playouts", type=int, help="random playouts of the dynamics tier")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="any verify setting, e.g. --set call_cpu_seconds=0.5")
    parser.add_argument("--allow-unisolated", action="store_true",
                        help="run the programs even where the sandbox cannot isolate them "
                             "(no network or filesystem isolation here; reports record it)")


def collect(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.py") if p.is_file())
            if not found:
                raise ConfigError(f"{path} holds no .py files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ConfigError(f"{path}: no such file or folder")
    return files


def settings_from(args):
    from cwmkit.verify.settings import VerifySettings

    values: dict = {}
    for item in args.set:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE")
        values[key.strip()] = _number(raw.strip())
    if args.workers is not None:
        values["workers"] = args.workers
    if args.playouts is not None:
        values["playouts"] = args.playouts
    if getattr(args, "allow_unisolated", False):
        values["allow_unisolated"] = True
    return VerifySettings.from_dict(values)


def _number(raw: str):
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    raise ConfigError(f"setting value {raw!r} is not a number")


def report_json(path: Path, report) -> dict:
    """The report's own ``to_dict()`` with the file it is about: what ``from_dict`` reads."""
    return {"file": str(path), **report.to_dict()}


def read_source(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None


def run(args) -> int:
    from cwmkit.verify.verifier import Verifier

    if args.players is not None and args.game:
        raise ConfigError("--players goes with --info; a game's spec gives its players")
    if args.players is not None and not 1 <= args.players <= 16:
        raise ConfigError(f"--players must be between 1 and 16, got {args.players}",
                          hint="the number of players of the program's game (a game spec "
                               "allows 1 to 16)")
    settings = settings_from(args)
    if args.references:
        if args.paths:
            raise ConfigError("--references verifies the registered references: give no files")
        return _references(settings, args.json)
    if not (args.game or args.info):
        raise ConfigError("say what the programs are: --game GAME, or --info perfect|imperfect",
                          hint="'cwmkit games' lists the registered games")
    if not args.paths:
        raise ConfigError("no program to verify: give files or folders")
    files = collect(args.paths)
    with Verifier(settings) as verifier:
        game = verifier.resolve_game(args.game)  # an unknown game fails before any work
        verifier.start()
        kwargs = {"game": game, "info": args.info, "players": args.players}
        if args.json:
            reports = _with_progress(verifier, files, kwargs, quiet=True)
            for path, report in zip(files, reports, strict=True):
                print_json_line(report_json(path, report))
        else:
            reports = _with_progress(verifier, files, kwargs, quiet=False)
            from cwmkit.cli._report import print_report, print_summary

            if len(files) == 1:
                print_report(files[0], reports[0])
            else:
                for path, report in zip(files, reports, strict=True):
                    if report.status != "ok" or (report.score or 0) < 1:
                        print_report(path, report, brief=True)
                print_summary(files, reports)
    bad = [r for r in reports if r.status != "ok" or r.score != 1.0]
    return 1 if bad else 0


def _with_progress(verifier, files, kwargs, *, quiet: bool):
    from concurrent.futures import as_completed

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    futures = {verifier.submit(read_source(p), **kwargs): i
               for i, p in enumerate(files)}
    reports: list = [None] * len(files)
    show = len(files) > 1 and not quiet
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=error_console(),
                  disable=not show, transient=True) as progress:
        task = progress.add_task("verifying", total=len(files))
        for future in as_completed(futures):
            reports[futures[future]] = future.result()
            progress.advance(task)
    if not quiet and show:
        console().print(f"verified {len(files)} programs")
    return reports





def _references(settings, as_json: bool) -> int:
    """Verify each registered game's reference program against its own game."""
    from rich.table import Table

    from cwmkit.cli._report import print_report
    from cwmkit.core.plugins import get_host
    from cwmkit.verify.verifier import Verifier

    games = get_host().registry("games")
    with_reference = [g for g in games.values() if g.reference_path is not None]
    table = Table(title=f"{len(with_reference)} reference programs", title_justify="left")
    for col in ("game", "status", "score", "cpu s", "scenarios", "transition accuracy"):
        table.add_column(col, justify="left" if col in ("game", "status") else "right")
    bad = []
    with Verifier(settings) as verifier:
        verifier.start()
        futures = [verifier.submit(g.reference_source, game=g)
                   for g in with_reference]
        for game, future in zip(with_reference, futures, strict=True):
            report = future.result()
            if as_json:
                print_json_line(report_json(game.reference_path, report))
            else:
                table.add_row(game.name, report.status, *_reference_columns(report))
            if report.status != "ok" or report.score != 1.0:
                bad.append((game, report))
    if not as_json:
        console().print(table)
        for game, report in bad:
            print_report(game.reference_path, report, brief=True)
        console().print(f"{len(with_reference) - len(bad)}/{len(with_reference)} references "
                        "score 1.0")
    return 1 if bad else 0


def _reference_columns(report) -> list[str]:
    score = f"{report.score:.3f}" if report.score is not None else "-"
    scenarios = report.tiers.get("scenarios")
    passed = (f"{scenarios.metrics['passed']}/{scenarios.metrics['scenarios']}"
              if scenarios and scenarios.metrics else "-")
    differential = report.tiers.get("differential")
    accuracy = (f"{differential.metrics['transition_accuracy']:.3f}"
                if differential and differential.metrics else "-")
    return [score, f"{report.cpu_seconds:.2f}", passed, accuracy]
