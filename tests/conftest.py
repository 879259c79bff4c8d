import os

import pytest
from hypothesis import settings

from cwmkit.core.plugins import get_host

# CI runs the same examples every time (a red build must be reproducible); local runs
# keep exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


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
