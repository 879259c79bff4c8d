"""List the loaded plugins: distribution, version, hooks, and what each registered."""

from __future__ import annotations

from cwmkit.cli._output import console, escape, print_json
from cwmkit.core.plugins import get_host

NAME = "plugins"
HELP = "list installed plugins and what they register"


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list")


def run(args) -> int:
    from rich.table import Table

    host = get_host()
    infos = host.plugins()
    if args.json:
        print_json({
            "plugins": [
                {"name": i.name, "distribution": i.distribution, "version": i.version,
                 "module": i.module, "hooks": i.hooks, "registered": i.registered,
                 "failed": i.failed, "broken": i.broken}
                for i in infos
            ],
            "skipped": [{"plugin": p.plugin, "problem": p.message} for p in host.problems],
        })
        return 0
    table = Table(title=f"{len(infos)} plugins", title_justify="left")
    for col in ("plugin", "distribution", "hooks", "registered"):
        table.add_column(col)
    for i in infos:
        dist = f"{i.distribution} {i.version}" if i.distribution else "(not installed)"
        registered = "; ".join(f"{kind}: {', '.join(names)}"
                               for kind, names in i.registered.items()) or "-"
        if i.broken:
            registered = f"[red]broken: all {i.failed} items failed[/]"
        elif i.failed:
            registered += f" [yellow]({i.failed} skipped)[/]"
        table.add_row(escape(i.name), escape(dist), ", ".join(i.hooks), registered)
    console().print(table)
    for p in host.problems:
        console().print(f"[yellow]skipped[/] {escape(p.plugin)}: {escape(p.message)}")
    return 0
