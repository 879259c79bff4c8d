"""The facts sheet's tic_tac_toe: "x(r,c)" / "o(r,c)", legal cells row by row, the board
and the status (not the turn) observed, +1/-1/0 at the end only."""

from tests.study.play import play

CELLS = [(r, c) for r in range(3) for c in range(3)]


def test_x_opens_with_every_cell_in_reading_order():
    module, state = play("tic_tac_toe", [])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == [f"x({r},{c})" for r, c in CELLS]


def test_the_sheet_examples_place_marks_from_the_top_left():
    module, state = play("tic_tac_toe", ["x(0,0)"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == [f"o({r},{c})" for r, c in CELLS[1:]]
    module, state = play("tic_tac_toe", ["x(2,0)", "o(2,1)"])
    assert module.get_current_player(state) == 0
    board = module.get_observations(state)[0]["board"]
    assert board[2][0] == "x" and board[2][1] == "o"
    assert sum(cell in ("x", "o") for row in board for cell in row) == 2
    assert "x(2,0)" not in module.get_legal_actions(state)
    assert "x(2,1)" not in module.get_legal_actions(state)


def test_observations_hold_the_board_and_status_but_not_the_turn():
    module, state = play("tic_tac_toe", ["x(1,1)"])
    first, second = module.get_observations(state)
    assert first == second
    assert first["status"] == "ongoing"
    assert set(first) == {"board", "status"}


def test_a_line_wins_and_the_status_says_who():
    module, state = play("tic_tac_toe", ["x(0,0)", "o(1,0)", "x(0,1)", "o(1,1)"])
    assert module.get_rewards(state) == [0, 0]
    module, state = play("tic_tac_toe", ["x(0,0)", "o(1,0)", "x(0,1)", "o(1,1)", "x(0,2)"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1, -1]
    assert module.get_observations(state)[1]["status"] == "x won"
    module, state = play("tic_tac_toe", ["x(0,0)", "o(2,0)", "x(0,1)", "o(1,1)", "x(2,2)",
                                         "o(0,2)"])
    assert module.get_rewards(state) == [-1, 1]
    assert module.get_observations(state)[0]["status"] == "o won"


def test_nine_marks_without_a_line_draw():
    moves = ["x(0,0)", "o(0,1)", "x(0,2)", "o(1,1)", "x(1,0)", "o(1,2)", "x(2,1)", "o(2,0)",
             "x(2,2)"]
    module, state = play("tic_tac_toe", moves)
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0, 0]
    assert module.get_observations(state)[0]["status"] == "draw"
