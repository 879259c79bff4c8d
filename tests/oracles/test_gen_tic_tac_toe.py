"""Generalized tic-tac-toe against OpenSpiel's mnk(m=6,n=6,k=4).

OpenSpiel names a move "x(r,c)" or "o(r,c)", the mover's mark then the cell; our action
is the bare cell "r,c" (the mark follows from whose turn it is). Both count a line of
four or more as a win.
"""

import re

from tests.oracles.lockstep import lockstep, pyspiel, reference

MOVE = re.compile(r"[xo]\((\d),(\d)\)")


def to_ours(os_state, os_action):
    text = os_state.action_to_string(os_state.current_player(), os_action)
    row, col = MOVE.fullmatch(text).groups()
    return f"{row},{col}"


def test_mapping_names_cells_row_by_row():
    game = pyspiel().load_game("mnk(m=6,n=6,k=4)")
    state = game.new_initial_state()
    assert [to_ours(state, a) for a in state.legal_actions()[:8]] == [
        "0,0", "0,1", "0,2", "0,3", "0,4", "0,5", "1,0", "1,1"]
    state.apply_action(27)
    assert to_ours(state, 35) == "5,5"


def test_gen_tic_tac_toe_agrees_with_openspiel():
    game = pyspiel().load_game("mnk(m=6,n=6,k=4)")
    result = lockstep(reference("gen_tic_tac_toe"), game, to_ours)
    assert result["trajectories"] == 200
