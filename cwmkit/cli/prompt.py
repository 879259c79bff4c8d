"""Print the generation prompt for a game."""

from __future__ import annotations

import sys

from cwmkit.core.plugins import get_host

NAME = "prompt"
HELP = "print the generation prompt for a game"


def add_arguments(parser) -> None:
    parser.add_argument("game", help="game id (see 'cwmkit games')")
    parser.add_argument("--renderer", default="default",
                        help="prompt renderer plugin (default: %(default)s)")


def run(args) -> int:
    host = get_host()
    game = host.get("games", args.game)
    renderer = host.get("prompts", args.renderer)
    sys.stdout.write(renderer.render(game.spec))
    return 0
