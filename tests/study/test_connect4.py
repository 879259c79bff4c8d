"""The facts sheet's connect4: "x<col>" / "o<col>", open columns left to right, the board
observed with row 0 on top (discs land from row 5 up) and the player to move (-4 at the
end), +1/-1/0 at the end only."""

from tests.study.play import play


def test_x_opens_with_every_column_left_to_right():
    module, state = play("connect4", [])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == [f"x{c}" for c in range(7)]


def test_the_sheet_examples_land_in_the_bottom_row():
    module, state = play("connect4", ["x0"])
    observation = module.get_observations(state)[0]
    assert observation["board"][5][0] == "x"
    assert observation["board"][0][0] == "."
    assert observation["to_move"] == 1
    assert module.get_legal_actions(state) == [f"o{c}" for c in range(7)]
    module, state = play("connect4", ["x6", "o3"])
    board = module.get_observations(state)[1]["board"]
    assert board[5][6] == "x" and board[5][3] == "o"
    assert sum(cell != "." for row in board for cell in row) == 2
    assert all(cell in (".", "x", "o") for row in board for cell in row)


def test_discs_stack_upwards_towards_row_0():
    module, state = play("connect4", ["x3", "o3", "x3"])
    board = module.get_observations(state)[0]["board"]
    assert [board[r][3] for r in range(6)] == [".", ".", ".", "x", "o", "x"]


def test_a_full_column_is_not_legal():
    module, state = play("connect4", ["x0", "o0"] * 3)
    assert module.get_legal_actions(state) == [f"x{c}" for c in range(1, 7)]


def test_four_in_a_row_wins_and_the_observation_says_the_game_is_over():
    module, state = play("connect4", ["x0", "o0", "x1", "o1", "x2", "o2"])
    assert module.get_rewards(state) == [0, 0]
    module, state = play("connect4", ["x0", "o0", "x1", "o1", "x2", "o2", "x3"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1, -1]
    assert module.get_observations(state)[0]["to_move"] == -4
    module, state = play("connect4", ["x0", "o1", "x0", "o1", "x2", "o1", "x3", "o1"])
    assert module.get_rewards(state) == [-1, 1]


def test_42_discs_without_a_line_draw():
    moves = ("x3 o6 x1 o3 x1 o3 x6 o4 x5 o5 x3 o4 x3 o1 x1 o0 x4 o3 x0 o4 x6 "
             "o6 x2 o6 x1 o0 x5 o5 x2 o4 x5 o1 x5 o6 x0 o0 x2 o2 x4 o2 x2 o0").split()
    module, state = play("connect4", moves)
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0, 0]
