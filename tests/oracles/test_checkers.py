"""Checkers against OpenSpiel's ``checkers`` (8x8, rows=8, columns=8).

Both play English draughts with one action per step or jump ("c3d4", "c3e5"; a
multi-jump is several actions by the same player), compulsory jumps, crowning that
ends the turn, a loss for the player who cannot move, and a draw after 40 actions in
a row without a capture. OpenSpiel names our player 0 (Black, ranks 1-3, moving
first) the same way and uses the same square names, so the mapping is the action
string itself. The difference on purpose: our game is also drawn at 200 actions,
where OpenSpiel plays on (its cap is 1000), so comparison stops at the end of our
game when that end is the action cap.
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

TRAJECTORIES = 200


def test_checkers_agrees_with_openspiel():
    game = pyspiel().load_game("checkers(rows=8,columns=8)")
    module = reference("checkers")
    rng = random.Random(0)
    for t in range(TRAJECTORIES):
        os_state = game.new_initial_state()
        state = module.get_initial_state()
        history = []
        while True:
            where = f"trajectory {t}, after {history}"
            if state["status"] == "ply limit":
                assert not os_state.is_terminal(), f"{where}: OpenSpiel ended the game"
                break
            assert module.get_current_player(state) == os_player(os_state), where
            if os_state.is_terminal():
                assert module.get_rewards(state) == list(os_state.returns()), where
                break
            mapped = {os_state.action_to_string(a): a for a in os_state.legal_actions()}
            assert len(mapped) == len(os_state.legal_actions()), f"{where}: not 1:1"
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
