"""Chess against OpenSpiel's ``chess`` (standard start, chess960=False).

OpenSpiel names moves in SAN; pyspiel's chess bindings turn an action into a move
whose long algebraic form (``to_lan``) is our UCI string ("e2e4", "e7e8q", "e1g1").
Both implement checkmate, stalemate, the fifty-move rule, threefold repetition and
insufficient material. OpenSpiel numbers the players the other way round (Black 0,
White 1), so players and payoffs are swapped in the comparison. The other difference
on purpose: our game is also drawn at 200 plies, where OpenSpiel plays on (its cap is
far longer), so comparison stops at the end of our game when that end is the ply cap.
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

TRAJECTORIES = 200


def ours(os_player_id):
    """OpenSpiel's chess numbers Black 0 and White 1; ours is White 0, Black 1."""
    return os_player_id if os_player_id < 0 else 1 - os_player_id


def test_chess_agrees_with_openspiel():
    spiel = pyspiel()
    game = spiel.load_game("chess(chess960=False)")
    module = reference("chess")
    rng = random.Random(0)
    capped = 0
    for t in range(TRAJECTORIES):
        os_state = game.new_initial_state()
        state = module.get_initial_state()
        history = []
        while True:
            where = f"trajectory {t}, after {history}"
            if state["status"] == "ply limit":
                assert not os_state.is_terminal(), f"{where}: OpenSpiel ended the game"
                capped += 1
                break
            assert module.get_current_player(state) == ours(os_player(os_state)), where
            if os_state.is_terminal():
                break
            board = os_state.board()
            mapped = {spiel.chess.action_to_move(a, board).to_lan(): a
                      for a in os_state.legal_actions()}
            assert len(mapped) == len(os_state.legal_actions()), f"{where}: not 1:1"
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
        if state["status"] != "ply limit":
            assert module.get_rewards(state) == list(os_state.returns())[::-1], (
                f"trajectory {t} {history}: {state['status']}")
    assert capped < TRAJECTORIES  # some games must end by the rules themselves
