import os

import pytest

from cwmkit.core.plugins import get_host


@pytest.fixture(scope="session")
def host():
    return get_host()


def pytest_generate_tests(metafunc):
    if "game_id" in metafunc.fixturenames:
        games = sorted(get_host().registry("games"))
        # CWMKIT_TEST_GAMES=a,b narrows the per-game tests while working on a game.
        only = os.environ.get("CWMKIT_TEST_GAMES")
        if only:
            games = [g for g in games if g in only.split(",")]
        metafunc.parametrize("game_id", games)
