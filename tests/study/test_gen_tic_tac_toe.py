"""The facts sheet's gen_tic_tac_toe strings: bare cells "r,c", row by row, four in a line."""

from tests.study.play import play

ALL_CELLS = [f"{r},{c}" for r in range(6) for c in range(6)]


def test_the_opening_lists_all_36_cells_row_by_row():
    module, state = play("gen_tic_tac_toe", [])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ALL_CELLS


def test_the_sheet_examples_are_moves_of_either_player():
    module, state = play("gen_tic_tac_toe", ["0,0", "4,0", "4,3"])
    assert module.get_current_player(state) == 1
    legal = module.get_legal_actions(state)
    assert "0,0" not in legal and "4,0" not in legal and "4,3" not in legal
    assert len(legal) == 33
    board = module.get_observations(state)[0]["board"]
    assert board[0][0] == 0 and board[4][0] == 1 and board[4][3] == 0
    assert board[5][5] is None


def test_four_in_a_line_wins_and_longer_lines_count():
    module, state = play("gen_tic_tac_toe", ["4,0", "0,0", "4,1", "0,1", "4,3", "0,2",
                                             "4,4", "0,4"])
    assert module.get_current_player(state) == 0
    module, state = play("gen_tic_tac_toe", ["4,0", "0,0", "4,1", "0,1", "4,3", "0,2",
                                             "4,4", "0,4", "4,2"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1.0, -1.0]
    observation = module.get_observations(state)[1]
    assert observation["winner"] == 0 and observation["to_move"] == -4


def test_rewards_are_terminal_only_and_observations_shared():
    module, state = play("gen_tic_tac_toe", ["2,2", "3,3", "2,3"])
    assert module.get_rewards(state) == [0.0, 0.0]
    first, second = module.get_observations(state)
    assert first == second
    assert first["to_move"] == 1 and first["winner"] is None
