"""The facts sheet's breakthrough: 8x8, White (player 0) on ranks 1-2 moving up first,
"e2-e3" / "f4xe3" strings, optional captures, legal list sorted as strings."""

from tests.study.play import play

GAME = "breakthrough"
TO_F4 = ["a2-b3", "g7-f6", "b3-b4", "d7-e6", "b2-c3", "e6-e5", "e2-e3", "e5-f4", "e1-e2"]


def test_white_opens_with_22_moves_sorted_as_strings():
    module, state = play(GAME, [])
    legal = module.get_legal_actions(state)
    assert module.get_current_player(state) == 0
    assert len(legal) == 22 and legal == sorted(legal)
    assert "e2-e3" in legal and "a2-b3" in legal


def test_the_sheet_examples_play_through():
    module, state = play(GAME, TO_F4)
    legal = module.get_legal_actions(state)
    assert module.get_current_player(state) == 1
    assert legal == sorted(legal)
    # Captures are optional: the capture and plain moves are listed together.
    assert "f4xe3" in legal and "f4-f3" in legal and "a7-a6" in legal
    module, state = play(GAME, TO_F4 + ["f4xe3"])
    assert module.get_current_player(state) == 0
    assert module.get_rewards(state) == [0, 0]


def test_observation_board_player_and_terminal_flag():
    module, state = play(GAME, ["e2-e3"])
    view = module.get_observations(state)[0]
    assert module.get_observations(state)[1] == view
    values = repr(view)
    assert "-1" in values and "1" in values and "0" in values
    # Row 0 is rank 1: White's pieces (0) fill the first two rows, Black's (1) the last.
    board = next(v for v in view.values() if isinstance(v, list))
    assert board[0] == [0] * 8 and board[7] == [1] * 8
    assert board[2][4] == 0 and board[1][4] == -1


def test_reaching_the_far_rank_wins():
    moves = ["d2-d3", "a7-a6", "d3-d4", "a6-a5", "d4-d5", "a5-a4", "d5-d6", "h7-h6",
             "d6xc7", "h6-h5", "c7xb8"]
    module, state = play(GAME, moves)
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1, -1]
