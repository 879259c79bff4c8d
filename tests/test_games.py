"""Conformance of every registered game's spec and reference GameCWM.

Runs over every game the plugin host knows, so a third-party game gets the same
treatment as a built-in one; the checks are the product's own
(``cwmkit.verify.conformance``), the ones ``cwmkit check-plugin`` runs for a plugin author.
"""

import pytest

from cwmkit.verify import conformance
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=32)) as v:
        yield v


def test_spec_meets_the_minimums(host, game_id):
    assert conformance.spec_minimums(host.get("games", game_id).spec) == []


def test_spec_round_trips(host, game_id):
    conformance.check_round_trip(host.get("games", game_id).spec)


def test_reference_passes_its_scenarios(host, game_id):
    game = host.get("games", game_id)
    conformance.check_scenarios(game.reference(), game.spec)


def test_reference_random_playouts_hold_the_properties(host, game_id):
    game = host.get("games", game_id)
    # A third of the product's step budget keeps the suite quick on long games (go,
    # havannah, chess); `cwmkit check-plugin` runs the full one.
    longest = conformance.check_playouts(game.reference(), game.spec, game_id,
                                         step_budget=20_000, resamples=100)
    assert longest <= game.spec.max_length


def test_reference_terminal_is_reachable_and_initial_state_is_fresh(host, game_id):
    conformance.check_initial_state(host.get("games", game_id).reference())


def test_reference_scores_one_in_the_sandboxed_verifier(host, verifier, game_id):
    conformance.check_verifies(host.get("games", game_id), verifier)


def test_check_game_reports_one_finding_per_check_and_catches_a_thin_spec(host):
    game = host.get("games", "tic_tac_toe")
    thin = type(game)(game.spec.evolve(scenarios=game.spec.scenarios[:3]), game.reference_path)
    findings = {f.check: f for f in conformance.check_game(thin, playouts=20)}
    assert set(findings) == {"spec_minimums", "round_trip", "scenarios", "initial_state",
                             "playouts", "verifier"}
    assert not findings["spec_minimums"].passed
    assert "3 scenarios: a game needs at least 8" in findings["spec_minimums"].message
    assert all(f.passed for name, f in findings.items() if name != "spec_minimums")
