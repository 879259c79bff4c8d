"""Dots and Boxes against OpenSpiel's dots_and_boxes on a 2x3 grid of boxes.

OpenSpiel names a line with the mover's name in front ("P1(h,0,2)", "P2(v,1,3)"); our
lines are neutral ("h(0,2)", "v(1,3)") with the same row and column numbering.
With utility_margin off OpenSpiel pays +1/-1/0 by who owns more boxes, as we do.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference


def to_ours(os_state, os_action):
    name = os_state.action_to_string(os_state.current_player(), os_action)
    kind, row, col = name[name.index("(") + 1:-1].split(",")  # "P1(h,0,2)"
    return f"{kind}({row},{col})"


def test_dots_and_boxes_agrees_with_openspiel():
    game = pyspiel().load_game("dots_and_boxes(num_rows=2,num_cols=3,utility_margin=false)")
    result = lockstep(reference("dots_and_boxes"), game, to_ours)
    assert result["trajectories"] == 200
