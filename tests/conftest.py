import pytest

from cwmkit.core.plugins import get_host


@pytest.fixture(scope="session")
def host():
    return get_host()


def pytest_generate_tests(metafunc):
    if "game_id" in metafunc.fixturenames:
        games = sorted(get_host().registry("games"))
        metafunc.parametrize("game_id", games)
