"""Start a plugin package: ``cwmkit new game NAME`` or ``cwmkit new check NAME``.

A game package holds a complete one-pile Nim game (spec and reference GameCWM) that passes
every conformance check before its author changes a line; a check package holds a small
working check (a tier of its own in every report). Both come with a pyproject.toml that
declares the ``cwmkit`` entry point (and, for a game, the package data a wheel must ship),
a README and a test, so ``pip install .`` of the folder works as it is.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from cwmkit.cli._output import console, escape
from cwmkit.core.errors import ConfigError

NAME = "new"
HELP = "start a game or check plugin package"

_ID = re.compile(r"[a-z][a-z0-9_]*\Z")

#: Template file -> where it goes in the new package (``{package}``, ``{name}`` filled in).
LAYOUT = {
    "game": {
        "pyproject.toml.tmpl": "pyproject.toml",
        "README.md.tmpl": "README.md",
        "plugin.py.tmpl": "{package}/__init__.py",
        "spec.game.tmpl": "{package}/{name}/spec.game",
        "reference.py.tmpl": "{package}/{name}/reference.py",
        "test_conformance.py.tmpl": "tests/test_conformance.py",
    },
    "check": {
        "pyproject.toml.tmpl": "pyproject.toml",
        "README.md.tmpl": "README.md",
        "plugin.py.tmpl": "{package}/__init__.py",
        "test_conformance.py.tmpl": "tests/test_conformance.py",
    },
}


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=sorted(LAYOUT), help="what the plugin provides")
    parser.add_argument("name", metavar="NAME",
                        help="the game id or check name: lowercase letters, digits, '_'")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to write the package (default: ./cwmkit-NAME)")
    parser.add_argument("--title", default=None, help="the game's title (default: from NAME)")


def fields(kind: str, name: str, title: str | None = None) -> dict[str, str]:
    """The values the templates are filled with."""
    if not _ID.match(name):
        raise ConfigError(f"'{name}' is not a valid {kind} name",
                          hint="use lowercase letters, digits and '_', starting with a letter")
    return {"name": name, "title": title or name.replace("_", " ").title(),
            "package": f"cwmkit_{name}", "dist": f"cwmkit-{name.replace('_', '-')}",
            "cls": "".join(p.title() for p in name.split("_")) + "Check"}


def render(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def write_package(kind: str, name: str, folder: Path, *, title: str | None = None) -> list[Path]:
    """Write a new ``kind`` plugin package for ``name`` into ``folder``; the files written."""
    values = fields(kind, name, title)
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"{folder} already exists and is not empty",
                          hint="pick another --dir, or remove the folder")
    templates = resources.files("cwmkit.templates").joinpath(kind)
    written = []
    for template, target in LAYOUT[kind].items():
        path = folder / target.format(**values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(templates.joinpath(template).read_text("utf-8"), values),
                        "utf-8")
        written.append(path)
    return written


def run(args) -> int:
    folder = args.dir or Path(f"cwmkit-{args.name.replace('_', '-')}")
    if args.kind == "game":
        from cwmkit.core.plugins import get_host

        if args.name in get_host().registry("games"):
            raise ConfigError(f"a game '{args.name}' is already registered",
                              hint="game ids are global: pick another name")
    written = write_package(args.kind, args.name, folder, title=args.title)
    console().print(f"[green]wrote[/] {len(written)} files to {escape(str(folder))}",
                    soft_wrap=True)
    for path in written:
        console().print(f"  {escape(str(path.relative_to(folder)))}", soft_wrap=True)
    check = "check-spec " + args.name + " && cwmkit " if args.kind == "game" else ""
    console().print(f"next: pip install {escape(str(folder))} && cwmkit {check}"
                    f"check-plugin {args.name}", soft_wrap=True)
    return 0
