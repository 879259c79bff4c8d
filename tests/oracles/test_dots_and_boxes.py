"""Dots and Boxes against OpenSpiel's dots_and_boxes on 2x2 boxes (3x3 dots).

OpenSpiel names a line with the mover's name in front ("P1(h,0,1)", "P2(v,1,2)"); ours
are neutral with underscores ("h_0_1", "v_1_2"), with the same row and column numbering.
With utility_margin off OpenSpiel pays +1/-1/0 at the end by who owns more boxes, as we
do. Our rewards are also running (the current leader gets +1); OpenSpiel's are not, so
the running rewards are compared with the box counts along the same trajectories.
"""

import random

from tests.oracles.lockstep import lockstep, pyspiel, reference

GAME = "dots_and_boxes(num_rows=2,num_cols=2,utility_margin=false)"


def to_ours(os_state, os_action):
    name = os_state.action_to_string(os_state.current_player(), os_action)
    kind, row, col = name[name.index("(") + 1:-1].split(",")  # "P1(h,0,2)"
    return f"{kind}_{row}_{col}"


def test_the_mapping_names_every_line():
    state = pyspiel().load_game(GAME).new_initial_state()
    assert [to_ours(state, a) for a in state.legal_actions()] == [
        "h_0_0", "h_0_1", "h_1_0", "h_1_1", "h_2_0", "h_2_1",
        "v_0_0", "v_0_1", "v_0_2", "v_1_0", "v_1_1", "v_1_2"]
    state.apply_action(0)
    assert to_ours(state, 11) == "v_1_2"  # player 1's names map the same way


def test_dots_and_boxes_agrees_with_openspiel():
    result = lockstep(reference("dots_and_boxes"), pyspiel().load_game(GAME), to_ours)
    assert result["trajectories"] == 200


def os_boxes(os_state):
    """Boxes owned by each player: OpenSpiel draws an owned box with its owner's number,
    "1" for player 0 and "2" for player 1, and no other digits."""
    board = str(os_state)
    return board.count("1"), board.count("2")


def test_running_rewards_follow_openspiel_box_counts():
    game, module, rng = pyspiel().load_game(GAME), reference("dots_and_boxes"), random.Random(2)
    for _ in range(100):
        os_state, state = game.new_initial_state(), module.get_initial_state()
        while not os_state.is_terminal():
            os_action = rng.choice(os_state.legal_actions())
            state = module.apply_action(state, to_ours(os_state, os_action))
            os_state.apply_action(os_action)
            mine, theirs = os_boxes(os_state)
            lead = (mine > theirs) - (mine < theirs)
            assert module.get_rewards(state) == [lead, -lead], str(os_state)
        assert sum(os_boxes(os_state)) == 4
