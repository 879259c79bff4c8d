"""Run cwmkit's conformance checks on one installed plugin: what a plugin author runs
before publishing.

PLUGIN is an entry-point name or a distribution name (``cwmkit plugins`` lists both).
Every game the plugin registers gets the checks the built-in games pass (spec minimums,
round trip, the reference on every scenario, random playouts holding the declared
properties, resample_history consistency, the reference scoring 1.0 in the sandboxed
verifier). Every check (tier) it registers is run in the verifier on the references of
its own games (or of tic_tac_toe when it registers none) and must return a result there.
Whatever the plugin offered that failed to load counts as a failure too.
"""

from __future__ import annotations

from cwmkit.cli._output import console, escape, print_json
from cwmkit.core.errors import UnknownNameError
from cwmkit.core.text import did_you_mean

NAME = "check-plugin"
HELP = "run the conformance checks on an installed plugin's games and checks"


def add_arguments(parser) -> None:
    parser.add_argument("plugin", metavar="PLUGIN",
                        help="entry-point or distribution name of the plugin")
    parser.add_argument("--playouts", type=int, default=2000,
                        help="random playouts of each reference (default 2000)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")


def _find(host, name: str) -> list:
    infos = host.plugins()
    chosen = [i for i in infos if name in (i.name, i.distribution)]
    if not chosen:
        known = sorted({i.name for i in infos} | {i.distribution for i in infos
                                                   if i.distribution})
        skipped = [p for p in host.problems if p.plugin == name]
        if skipped:
            return []  # loaded nothing at all: reported as its problems below
        raise UnknownNameError(f"no plugin '{name}'{did_you_mean(name, known)}",
                               hint="installed: " + ", ".join(known))
    return chosen


def run(args) -> int:
    from cwmkit.core.plugins import get_host
    from cwmkit.verify.conformance import check_game
    from cwmkit.verify.verifier import Verifier

    host = get_host()
    infos = _find(host, args.plugin)
    names = {i.name for i in infos} or {args.plugin}
    findings: list[dict] = [
        {"item": p.plugin, "check": "loads", "passed": False, "message": p.message}
        for p in host.problems if p.plugin in names]
    games = [host.get("games", g) for i in infos for g in i.registered.get("games", [])]
    checks = [c for i in infos for c in i.registered.get("checks", [])]
    with Verifier(host=host) as verifier:
        for game in games:
            for f in check_game(game, verifier=verifier, playouts=args.playouts):
                findings.append({"item": f"game {game.name}", "check": f.check,
                                 "passed": f.passed, "message": f.message})
        targets = games or [host.get("games", "tic_tac_toe")]
        for check in checks:
            for game in targets:
                report = verifier.verify(game.reference_source, game=game)
                tier = report.tiers.get(check)
                ok = tier is not None and not tier.plugin_failed
                message = "" if ok else (tier.skipped if tier else "the tier did not run")
                findings.append({"item": f"check {check}", "check": f"runs on {game.name}",
                                 "passed": ok, "message": message,
                                 "score": None if tier is None else tier.score})
    passed = all(f["passed"] for f in findings)
    if args.json:
        print_json({"plugin": args.plugin, "passed": passed, "findings": findings})
        return 0 if passed else 1
    for f in findings:
        mark = "[green]ok[/]" if f["passed"] else "[red]✗[/]"
        tail = f": {escape(f['message'])}" if f["message"] else ""
        console().print(f"{mark} {escape(f['item'])} {escape(f['check'])}{tail}",
                        soft_wrap=True)
    if not findings:
        console().print(f"plugin '{escape(args.plugin)}' registers no game and no check")
    verdict = "passes" if passed else "fails"
    console().print(f"plugin {escape(args.plugin)} {verdict} the conformance checks "
                    f"({sum(f['passed'] for f in findings)}/{len(findings)})")
    return 0 if passed else 1
