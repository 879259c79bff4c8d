"""Pig against OpenSpiel's pig(players=2,winscore=100,diceoutcomes=6,piglet=false).

OpenSpiel's pig is the same race to 100 with one six-sided die, but two of its rules
differ from the study's variant and no parameter changes them, so this test has its own
loop that allows for them:
- OpenSpiel lets a player stop with a turn total of 0; here "hold" needs a turn total
  above 0. OpenSpiel's "stop" is dropped from its legal list when the turn total is 0.
- OpenSpiel forbids rolling once the bank plus the turn total reaches 100; here rolling
  stays legal. In those states OpenSpiel's legal list gets "roll" added for the
  comparison, and both games play "hold", the only move both accept. (Scenarios pin
  what rolling on does.)
OpenSpiel's horizon (a cap on decisions) is set far beyond any game played here, since
the study's game has no cap. Its decisions 0 and 1 are "roll" and "stop" (our "hold");
chance outcome k is the die face k + 1. Banks and the turn total are read from its state
string ("Scores: 12 30, Turn total: 5") and compared with our observation at every step.
"""

import random
import re

from tests.oracles.lockstep import os_player, pyspiel, reference

GAME = "pig(players=2,winscore=100,horizon=100000,diceoutcomes=6,piglet=false)"
ROLL, STOP = 0, 1


def to_ours(os_state, os_action):
    if os_state.is_chance_node():
        return str(os_action + 1)
    return {ROLL: "roll", STOP: "hold"}[os_action]


def os_numbers(os_state):
    """(banks, turn total) from OpenSpiel's state string."""
    found = re.search(r"Scores: (\d+) (\d+), Turn total: (\d+)", str(os_state))
    return [int(found[1]), int(found[2])], int(found[3])


def expected_legal(os_state):
    """OpenSpiel's legal actions with our names, adjusted to the study's two rules."""
    if os_state.is_chance_node():
        return {to_ours(os_state, a) for a, p in os_state.chance_outcomes() if p > 0}
    legal = {to_ours(os_state, a) for a in os_state.legal_actions()}
    _, turn_total = os_numbers(os_state)
    if turn_total == 0:
        legal.discard("hold")
    legal.add("roll")
    return legal


def test_the_mapping_names_decisions_and_faces():
    state = pyspiel().load_game(GAME).new_initial_state()
    assert [to_ours(state, a) for a in state.legal_actions()] == ["roll", "hold"]
    state.apply_action(ROLL)
    assert [to_ours(state, a) for a, _ in state.chance_outcomes()] == list("123456")
    state.apply_action(4)
    assert os_numbers(state) == ([0, 0], 5)


def test_openspiel_forbids_rolling_at_the_target():
    state = pyspiel().load_game(GAME).new_initial_state()
    for _ in range(17):
        state.apply_action(ROLL)
        state.apply_action(5)  # a six
    assert state.legal_actions() == [STOP]
    assert expected_legal(state) == {"roll", "hold"}


def test_pig_agrees_with_openspiel():
    game, module = pyspiel().load_game(GAME), reference("pig")
    rng = random.Random(0)
    steps = forced_holds = 0
    for t in range(200):
        os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
        while True:
            where = f"trajectory {t}, after {len(history)} actions {history[-8:]}"
            player = os_player(os_state)
            assert module.get_current_player(state) == player, where
            observation = module.get_observations(state)[0]
            assert observation["current_player"] == player, where
            if player == -4:
                break
            banks, turn_total = os_numbers(os_state)
            assert (observation["scores"], observation["turn_total"]) == (
                banks, turn_total), where
            legal = module.get_legal_actions(state)
            assert len(set(legal)) == len(legal), where
            assert set(legal) == expected_legal(os_state), where
            if os_state.is_chance_node():
                action = rng.choice(sorted(legal))
                os_state.apply_action(int(action) - 1)
            else:
                if os_state.legal_actions() == [STOP]:
                    action = "hold"
                    forced_holds += 1
                else:
                    action = rng.choice(sorted(legal))
                os_state.apply_action({"roll": ROLL, "hold": STOP}[action])
            state = module.apply_action(state, action)
            history.append(action)
            steps += 1
        assert module.get_rewards(state) == list(os_state.returns()), where
    assert forced_holds > 0 and steps > 10_000
