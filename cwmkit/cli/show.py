"""Show one game: its facts, rules, actions, observations and scenarios."""

from __future__ import annotations

from cwmkit.cli._output import console, escape, print_json
from cwmkit.cli.games import game_record
from cwmkit.core.plugins import get_host
from cwmkit.spec.dsl import format_spec
from cwmkit.spec.model import PROPERTIES

NAME = "show"
HELP = "show a game's spec"


def add_arguments(parser) -> None:
    parser.add_argument("game", help="game id (see 'cwmkit games')")
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    parser.add_argument("--source", action="store_true",
                        help="print the spec's canonical DSL text")


def run(args) -> int:
    from rich.panel import Panel

    host = get_host()
    game = host.get("games", args.game)
    spec = game.spec
    if args.source:
        console().file.write(format_spec(spec))
        return 0
    record = game_record(game, host.provider("games", args.game))
    if args.json:
        record.update(rules=spec.rules, actions=spec.actions, observe=spec.observe,
                      payoff=[spec.payoff_min, spec.payoff_max],
                      properties=list(spec.properties),
                      scenario_names=[s.name for s in spec.scenarios])
        print_json(record)
        return 0
    out = console()
    utility = spec.utility + (f" {spec.utility_constant:g}" if spec.utility_constant is not None
                              else "")
    facts = [
        f"[bold]{escape(spec.title)}[/] ({spec.id})",
        f"players {spec.players} · {spec.information} information · chance {spec.chance} · "
        f"{utility} · payoff {spec.payoff_min:g}..{spec.payoff_max:g} · "
        f"max length {spec.max_length}",
        f"split {spec.split}" + (f" · tier {spec.tier}" if spec.tier else ""),
        f"spec: {escape(str(spec.path))}",
        f"reference: {escape(str(game.reference_path))}",
    ]
    out.print("\n".join(facts))
    for prop in spec.properties:
        out.print(f"property [cyan]{prop}[/]: {PROPERTIES[prop]}")
    for title, text in (("Rules", spec.rules), ("Actions", spec.actions),
                        ("Observations", spec.observe)):
        out.print(Panel(escape(text), title=title, title_align="left"))
    out.print(f"[bold]{len(spec.scenarios)} scenarios[/]")
    for s in spec.scenarios:
        out.print(f"  • {escape(s.name)} [dim]({len(s.actions)} actions, "
                  f"{len(s.checkpoints())} expectations)[/]")
    return 0
