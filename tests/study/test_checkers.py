"""The facts sheet's checkers strings: "move_r1_c1_r2_c2" steps and whole capture
sequences "jump_r1_c1_r2_c2[_r3_c3...]", red (player 0) on rows 5-7 moving first."""

from tests.study.play import play

TO_DOUBLE = ["move_5_2_4_1", "move_2_3_3_4", "move_6_3_5_2", "move_1_2_2_3", "move_5_4_4_3",
             "move_3_4_4_5"]
KING_TURNS = ["move_5_2_4_3", "move_2_5_3_6", "move_6_1_5_2", "move_2_3_3_2", "move_7_2_6_1",
              "move_3_2_4_1", "jump_5_2_3_0", "move_1_6_2_5", "move_5_4_4_5", "jump_3_6_5_4_7_2",
              "move_5_0_4_1"]


def test_red_moves_first_from_the_bottom():
    module, state = play("checkers", [])
    assert module.get_current_player(state) == 0
    assert len(module.get_legal_actions(state)) == 7
    observation = module.get_observations(state)[0]
    assert observation["board"][0] == ".b.b.b.b" and observation["board"][7] == "r.r.r.r."
    module, state = play("checkers", ["move_5_0_4_1"])
    assert module.get_current_player(state) == 1
    assert module.get_observations(state)[0]["board"][4] == ".r......"


def test_a_single_jump_is_compulsory():
    module, state = play("checkers", ["move_5_2_4_3", "move_2_5_3_4"])
    assert module.get_legal_actions(state) == ["jump_4_3_2_5"]
    module, state = play("checkers", ["move_5_2_4_3", "move_2_5_3_4", "jump_4_3_2_5"])
    board = module.get_observations(state)[0]["board"]
    assert board[2][5] == "r" and board[3][4] == "." and board[4][3] == "."
    assert module.get_current_player(state) == 1


def test_a_whole_double_jump_is_one_action():
    module, state = play("checkers", TO_DOUBLE)
    assert module.get_legal_actions(state) == ["jump_5_6_3_4_1_2"]
    module, state = play("checkers", [*TO_DOUBLE, "jump_5_6_3_4_1_2"])
    assert module.get_current_player(state) == 1
    board = module.get_observations(state)[0]["board"]
    assert board[1][2] == "r" and board[2][3] == "." and board[4][5] == "."


def test_a_king_jumps_on_in_every_direction():
    # The golden's quirk (later hops only forward) is not followed: the king at (7,2)
    # goes up twice and then down again.
    module, state = play("checkers", KING_TURNS)
    assert module.get_legal_actions(state) == ["jump_7_2_5_0_3_2_5_4"]


def test_observation_has_board_status_and_quiet_count_only():
    module, state = play("checkers", ["move_5_0_4_1", "move_2_1_3_2"])
    first, second = module.get_observations(state)
    assert first == second
    assert set(first) == {"board", "status", "quiet_actions"}
    assert first["status"] == "ongoing" and first["quiet_actions"] == 2
    assert module.get_rewards(state) == [0.0, 0.0]


def test_no_piece_left_loses():
    module, state = play("checkers", [
        "move_5_4_4_5", "move_2_5_3_4", "move_5_2_4_1", "move_3_4_4_3", "move_6_3_5_4",
        "move_1_4_2_5", "jump_5_4_3_2_1_4", "jump_0_5_2_3", "move_5_6_4_7", "move_2_7_3_6",
        "jump_4_5_2_7_0_5", "move_2_5_3_6", "jump_4_7_2_5", "move_0_3_1_4", "jump_2_5_0_3",
        "move_2_1_3_2", "jump_0_3_2_1_4_3", "move_2_3_3_2", "jump_4_3_2_1", "jump_1_0_3_2",
        "jump_4_1_2_3", "move_0_1_1_2", "jump_2_3_0_1", "move_0_7_1_6", "jump_0_5_2_7"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1.0, -1.0]
    assert module.get_observations(state)[1]["status"] == "red wins"
