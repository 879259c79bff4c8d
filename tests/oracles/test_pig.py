"""Pig against OpenSpiel's pig(winscore=20, horizon=100, diceoutcomes=6).

Random play rarely lasts 100 decisions, so a second loop plays mostly "stop" to
reach the horizon and compare the horizon rule (a roll as the 100th decision ends the
game before the die is thrown; an unfinished game is a draw).
"""

import random

from tests.oracles.lockstep import lockstep, os_player, pyspiel, reference

GAME = "pig(players=2,winscore=20,horizon=100,diceoutcomes=6)"


def to_ours(os_state, os_action):
    # OpenSpiel: decisions 0 = roll, 1 = stop; chance outcome k is the face k + 1.
    if os_state.is_chance_node():
        return str(os_action + 1)
    return ["roll", "stop"][os_action]


def test_pig_agrees_with_openspiel():
    result = lockstep(reference("pig"), pyspiel().load_game(GAME), to_ours)
    assert result["trajectories"] == 200


def test_pig_horizon_agrees_with_openspiel():
    game, module = pyspiel().load_game(GAME), reference("pig")
    rng = random.Random(1)
    horizon_draws = 0
    for _ in range(100):
        os_state, state = game.new_initial_state(), module.get_initial_state()
        while True:
            assert module.get_current_player(state) == os_player(os_state)
            if os_state.is_terminal():
                break
            os_actions = ([a for a, _ in os_state.chance_outcomes()]
                          if os_state.is_chance_node() else os_state.legal_actions())
            mapped = {to_ours(os_state, a): a for a in os_actions}
            assert sorted(module.get_legal_actions(state)) == sorted(mapped)
            if "stop" in mapped and rng.random() < 0.85:
                action = "stop"
            else:
                action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
        assert module.get_rewards(state) == list(os_state.returns())
        horizon_draws += os_state.returns() == [0.0, 0.0]
    assert horizon_draws > 10
