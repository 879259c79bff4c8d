"""The facts sheet's pentago: "x(r,c)_rotate_q_CW" strings, 288 legal at the start in
cell, quadrant, CW-before-CCW order, the board judged after the turn."""

from tests.study.play import play

GAME = "pentago"


def test_start_lists_288_actions_in_the_sheet_order():
    module, state = play(GAME, [])
    legal = module.get_legal_actions(state)
    assert len(legal) == 288
    assert legal[:9] == ["x(0,0)_rotate_0_CW", "x(0,0)_rotate_0_CCW", "x(0,0)_rotate_1_CW",
                         "x(0,0)_rotate_1_CCW", "x(0,0)_rotate_2_CW", "x(0,0)_rotate_2_CCW",
                         "x(0,0)_rotate_3_CW", "x(0,0)_rotate_3_CCW", "x(0,1)_rotate_0_CW"]
    assert legal[-1] == "x(5,5)_rotate_3_CCW"


def test_the_sheet_examples_play_through():
    module, state = play(GAME, ["x(0,0)_rotate_0_CW", "o(4,2)_rotate_3_CCW",
                                "x(4,0)_rotate_2_CCW"])
    assert module.get_current_player(state) == 1
    assert len(module.get_legal_actions(state)) == 33 * 8
    assert all(a.startswith("o(") for a in module.get_legal_actions(state))
    assert module.get_rewards(state) == [0, 0]


def test_a_turn_completing_the_opponents_five_wins_for_the_opponent():
    setup = ["x(0,0)_rotate_3_CW", "o(2,0)_rotate_3_CW", "x(0,1)_rotate_3_CW",
             "o(2,1)_rotate_3_CW", "x(0,2)_rotate_3_CW", "o(2,2)_rotate_3_CW",
             "x(2,3)_rotate_3_CW", "o(2,5)_rotate_3_CW", "x(5,5)_rotate_3_CW",
             "o(1,5)_rotate_3_CW"]
    module, state = play(GAME, setup + ["x(4,4)_rotate_1_CW"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [-1, 1]
    module, state = play(GAME, setup + ["x(1,3)_rotate_1_CW"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0, 0]


def test_observation_is_board_and_status():
    module, state = play(GAME, ["x(0,0)_rotate_0_CW"])
    views = module.get_observations(state)
    assert views[0] == views[1]
    _, same = play(GAME, ["x(0,2)_rotate_3_CW"])
    assert module.get_observations(same) == views
