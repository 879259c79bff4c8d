"""List the registered games with their facts."""

from __future__ import annotations

from cwmkit.cli._output import console, escape, print_json
from cwmkit.core.plugins import get_host

NAME = "games"
HELP = "list the registered games"


def add_arguments(parser) -> None:
    parser.add_argument("--split", choices=("train", "eval"), help="only games of this split")
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def game_record(game, provider: str) -> dict:
    spec = game.spec
    return {
        "id": spec.id,
        "title": spec.title,
        "players": spec.players,
        "information": spec.information,
        "chance": spec.chance,
        "utility": spec.utility,
        "split": spec.split,
        "tier": spec.tier,
        "max_length": spec.max_length,
        "scenarios": len(spec.scenarios),
        "spec": str(spec.path) if spec.path else None,
        "reference": str(game.reference_path) if game.reference_path else None,
        "plugin": provider,
    }


def run(args) -> int:
    from rich.table import Table

    host = get_host()
    games = host.registry("games")
    records = [game_record(g, host.provider("games", name)) for name, g in games.items()]
    if args.split:
        records = [r for r in records if r["split"] == args.split]
    records.sort(key=lambda r: (r["split"] != "train", r["tier"] or 99, r["id"]))
    if args.json:
        print_json(records)
        return 0
    from rich import box

    # At 80 columns the facts fit and ids are never cut; wider terminals get the
    # titles and the plugins too.
    width = console().width
    columns = ["id", "information", "chance", "players", "split", "tier", "scenarios"]
    if width >= 110:
        columns.insert(1, "title")
    if width >= 130:
        columns.append("plugin")
    table = Table(title=f"{len(records)} games", title_justify="left", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False)
    numeric = ("players", "tier", "scenarios")
    for col in columns:
        table.add_column(col, justify="right" if col in numeric else "left",
                         no_wrap=col != "title")
    for r in records:
        cells = {"id": escape(r["id"]), "title": escape(r["title"]),
                 "information": r["information"], "chance": r["chance"],
                 "players": str(r["players"]), "split": r["split"],
                 "tier": str(r["tier"] or "-"), "scenarios": str(r["scenarios"]),
                 "plugin": escape(r["plugin"])}
        table.add_row(*(cells[c] for c in columns))
    console().print(table)
    if host.problems:
        from cwmkit.cli._output import error_console

        error_console().print(f"[yellow]note:[/] {len(host.problems)} plugin problem(s): some "
                              "games may be missing (see 'cwmkit plugins')", soft_wrap=True)
    return 0
