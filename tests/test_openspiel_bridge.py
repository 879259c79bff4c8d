"""The OpenSpiel bridge: GameCWMs as pyspiel games (OpenSpiel's random simulation test
and its MCTSBot run on them) and pyspiel games as GameCWMs (the verifier and the
planners run on them)."""

from __future__ import annotations

import pytest

pyspiel = pytest.importorskip("pyspiel")

from cwmkit.integrations.openspiel import (  # noqa: E402
    alphabet,
    from_pyspiel,
    openspiel_game,
    to_pyspiel,
)
from cwmkit.planning import LocalPlanner, RandomBot, SearchBot, outcome, play_game  # noqa: E402


@pytest.mark.parametrize("name", ["tic_tac_toe", "kuhn_poker", "leduc_poker"])
def test_openspiels_random_simulation_test_passes_on_a_bridged_reference(host, name):
    game = host.get("games", name)
    bridged = to_pyspiel(game.reference(), game.spec)
    pyspiel.random_sim_test(bridged, num_sims=8, serialize=False, verbose=False)
    assert bridged.num_players() == game.spec.players


def test_action_ids_are_the_sorted_action_strings(host):
    game = host.get("games", "kuhn_poker")
    actions, outcomes = alphabet(game.reference())
    bridged = to_pyspiel(game.reference(), game.spec)
    state = bridged.new_initial_state()
    assert state.is_chance_node()
    assert [state.action_to_string(a) for a, _ in state.chance_outcomes()] == outcomes
    state.apply_action(outcomes.index("KQ"))
    assert [state.action_to_string(a) for a in state.legal_actions()] == ["Call", "Raise"]
    assert actions == ["Call", "Fold", "Raise"]
    assert "K" in state.information_state_string(0) and "Q" in state.observation_string(1)


def test_openspiels_mcts_bot_plays_a_bridged_reference(host):
    import numpy as np
    from open_spiel.python.algorithms import mcts

    game = host.get("games", "tic_tac_toe")
    bridged = to_pyspiel(game.reference(), game.spec)
    bot = mcts.MCTSBot(bridged, 2.0, 200, mcts.RandomRolloutEvaluator(
        1, np.random.RandomState(0)), random_state=np.random.RandomState(1))
    state = bridged.new_initial_state()
    for text in ["x(0,0)", "o(1,0)", "x(0,1)", "o(1,1)"]:
        state.apply_action(next(a for a in state.legal_actions()
                                if state.action_to_string(a) == text))
    assert state.action_to_string(bot.step(state)) == "x(0,2)"


def test_a_pyspiel_game_as_a_gamecwm():
    module = from_pyspiel("tic_tac_toe")
    state = module.apply_action(module.get_initial_state(), "x(1,1)")
    assert state == {"history": ["x(1,1)"]}
    assert module.get_current_player(state) == 1
    assert "o(1,1)" not in module.get_legal_actions(state)
    first, second = module.get_observations(state)
    assert first == second and "x" in first["observation"]
    with pytest.raises(ValueError, match="illegal"):
        module.apply_action(state, "o(1,1)")


def test_resample_history_of_a_pyspiel_game_matches_the_view():
    kuhn = from_pyspiel("kuhn_poker")
    state = kuhn.get_initial_state()
    for action in ["Deal:2", "Deal:0", "Pass", "Bet"]:
        state = kuhn.apply_action(state, action)
    start = {"history": ["Deal:2", "Deal:0"]}
    view = [(kuhn.get_observations(start)[0], "Pass"),
            (kuhn.get_observations(state)[0], "Bet")]
    history = kuhn.resample_history(view, 0)
    assert history[0] == "Deal:2" and history[1] in ("Deal:0", "Deal:1")
    assert history[2:] == ["Pass", "Bet", "Bet"]


def test_the_verifier_and_the_planners_run_on_an_openspiel_game(host):
    from cwmkit.verify.verifier import Verifier

    game = openspiel_game("tic_tac_toe")
    assert game.spec.players == 2 and not game.spec.imperfect
    with Verifier() as verifier:
        report = verifier.verify(host.get("games", "tic_tac_toe").reference_source,
                                 game=game)
    assert report.status == "ok" and report.tiers["differential"].score == 1.0
    module = game.reference()
    planner = LocalPlanner(module)
    record = play_game(module, [SearchBot(planner, "mcts", simulations=100), RandomBot(0)],
                       players=2, perfect=True, max_length=game.spec.max_length)
    assert outcome(record, 0) in ("win", "draw")
    kuhn = openspiel_game("kuhn_poker")
    assert kuhn.spec.max_length == 3 + 2  # the moves and the deals
    record = play_game(kuhn.reference(), [SearchBot(LocalPlanner(kuhn.reference()), "ismcts",
                                                    simulations=50), RandomBot(1)],
                       players=2, perfect=False, seed=3, max_length=kuhn.spec.max_length)
    assert record.forfeit is None and not record.truncated and sum(record.payoffs) == 0
