"""Checkers against OpenSpiel's ``checkers`` (rows=8, columns=8).

OpenSpiel plays the same game with one hop per action: a capture sequence is several
actions by the same player, who must go on capturing while the piece can, and a man
that is crowned stops. Our action is the whole turn, so at every state the complete
turns of OpenSpiel's player to move are enumerated by playing its hops on clones, and
their set must equal our legal actions; the chosen turn is then played hop by hop.
Both draw after 40 actions in a row without a capture (a capture sequence counts as a
capture in both) and both end the game when the player to move has no piece or no move.

Mapping: OpenSpiel's player 0 ("o", ranks 1-3 at the bottom, moving first and up) is
our player 0 (red, rows 5-7 at the bottom); OpenSpiel names squares by file letter
and rank digit ("a3b4"), so file a-h is our column 0-7 and rank k our row 8 - k:
"a3b4" is our "move_5_0_4_1", the hops "c3e5", "e5g7" are our "jump_5_2_3_4_1_6".
OpenSpiel's cap of 1000 actions is never reached (ours end within 960 turns).
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

TRAJECTORIES = 150


def square(text):
    """OpenSpiel's "c3" as our (row, column)."""
    return 8 - int(text[1]), "abcdefgh".index(text[0])


def turns(os_state):
    """Every complete turn of OpenSpiel's player to move: our name -> its actions."""
    mover = os_state.current_player()
    out = {}
    for action in os_state.legal_actions():
        text = os_state.action_to_string(action)
        frm, to = square(text[:2]), square(text[2:4])
        child = os_state.clone()
        child.apply_action(action)
        if abs(frm[0] - to[0]) == 1:
            out[f"move_{frm[0]}_{frm[1]}_{to[0]}_{to[1]}"] = [action]
            continue
        head = f"jump_{frm[0]}_{frm[1]}_{to[0]}_{to[1]}"
        if child.is_terminal() or child.current_player() != mover:
            out[head] = [action]
            continue
        for name, rest in turns(child).items():  # the same piece hops on from `to`
            out["_".join([head, *name.split("_")[3:]])] = [action, *rest]
    return out


def test_square_names_map_to_our_rows_and_columns():
    assert square("a3") == (5, 0) and square("h8") == (0, 7) and square("a1") == (7, 0)
    game = pyspiel().load_game("checkers(rows=8,columns=8)")
    module = reference("checkers")
    state = module.get_initial_state()
    assert sorted(turns(game.new_initial_state())) == sorted(module.get_legal_actions(state))


def test_checkers_agrees_with_openspiel():
    game = pyspiel().load_game("checkers(rows=8,columns=8)")
    module = reference("checkers")
    rng = random.Random(0)
    multi = ends = 0
    for t in range(TRAJECTORIES):
        os_state = game.new_initial_state()
        state = module.get_initial_state()
        history = []
        while True:
            where = f"trajectory {t}, after {history}"
            assert module.get_current_player(state) == os_player(os_state), where
            if os_state.is_terminal():
                assert module.get_rewards(state) == list(os_state.returns()), where
                ends += 1
                break
            mapped = turns(os_state)
            legal = module.get_legal_actions(state)
            assert sorted(legal) == sorted(mapped), (
                f"{where}: ours only {sorted(set(legal) - set(mapped))}, "
                f"OpenSpiel only {sorted(set(mapped) - set(legal))}")
            action = rng.choice(sorted(legal))
            multi += action.count("_") > 4
            for os_action in mapped[action]:
                os_state.apply_action(os_action)
            state = module.apply_action(state, action)
            history.append(action)
    assert ends == TRAJECTORIES and multi > 0
