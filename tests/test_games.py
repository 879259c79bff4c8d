"""Conformance of every registered game's spec and reference GameCWM.

Runs over every game the plugin host knows, so a third-party game gets the same
treatment as a built-in one.
"""

import random

import pytest

from cwmkit.spec import format_spec, parse_spec
from cwmkit.spec.model import TERMINAL_PLAYER
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier
from tests.game_checks import check_resample, check_scenarios, random_playout

PLAYOUTS = 2000


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=32)) as v:
        yield v
STEP_BUDGET = 60_000
RESAMPLES = 200


def test_spec_has_enough_scenarios(host, game_id):
    spec = host.get("games", game_id).spec
    assert len(spec.scenarios) >= 8, f"{game_id} has {len(spec.scenarios)} scenarios"


def test_spec_round_trips(host, game_id):
    spec = host.get("games", game_id).spec
    assert parse_spec(format_spec(spec)) == spec


def test_reference_passes_its_scenarios(host, game_id):
    game = host.get("games", game_id)
    check_scenarios(game.reference(), game.spec)


def test_reference_random_playouts_hold_the_properties(host, game_id):
    game = host.get("games", game_id)
    module, spec = game.reference(), game.spec
    rng = random.Random(f"playouts:{game_id}")
    steps = resampled = 0
    lengths = []
    for _ in range(PLAYOUTS):
        actions, histories = random_playout(module, spec, rng)
        lengths.append(len(actions))
        steps += len(actions)
        if spec.imperfect and resampled < RESAMPLES:
            check_resample(module, spec, actions, histories, rng)
            resampled += 1
        if steps > STEP_BUDGET and (not spec.imperfect or resampled >= RESAMPLES):
            break
    assert max(lengths) <= spec.max_length


def test_reference_terminal_is_reachable_and_initial_state_is_fresh(host, game_id):
    module = host.get("games", game_id).reference()
    a, b = module.get_initial_state(), module.get_initial_state()
    assert a is not b
    assert module.get_current_player(a) != TERMINAL_PLAYER


@pytest.mark.parametrize("field", ["rules", "actions", "observe"])
def test_prose_is_substantial(host, game_id, field):
    text = getattr(host.get("games", game_id).spec, field)
    assert len(text.split()) >= 15, f"{game_id}: the {field} section is too thin"


def test_reference_scores_one_in_the_sandboxed_verifier(host, verifier, game_id):
    game = host.get("games", game_id)
    report = verifier.verify(game.reference_source, game=game)
    assert report.status == "ok", report.message
    assert report.score == 1.0, [(t, c.name, c.message) for t, c in report.failures]
