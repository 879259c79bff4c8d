"""The built-in games: every folder here with a ``spec.game`` is one game."""

from pathlib import Path

from cwmkit import CwmkitError, hookimpl
from cwmkit.spec.games import SPEC_FILE, Game

GAMES_DIR = Path(__file__).parent


def game_folders() -> list[Path]:
    return sorted(p for p in GAMES_DIR.iterdir() if (p / SPEC_FILE).is_file())


@hookimpl
def register_games(register):
    for folder in game_folders():
        try:
            game = Game.from_folder(folder)
        except CwmkitError as exc:
            register.error(folder.name, str(exc))
            continue
        register(game)
