"""The facts sheet's go: 9x9, area scoring, komi 6.5, running rewards, no move cap."""

import random

from tests.study.play import play, reference

GAME = "go"


def test_start_lists_pass_then_81_points_row_by_row():
    module, state = play(GAME, [])
    legal = module.get_legal_actions(state)
    assert len(legal) == 82
    assert legal[0] == "pass"
    assert legal[1:] == [f"place_{r}_{c}" for r in range(9) for c in range(9)]
    assert module.get_current_player(state) == 0


def test_running_rewards_give_white_the_empty_board_by_komi():
    module, state = play(GAME, [])
    assert module.get_rewards(state) == [-1, 1]
    module, state = play(GAME, ["place_4_4"])
    assert module.get_current_player(state) == 1
    assert module.get_rewards(state) == [1, -1]


def test_the_sheet_examples_are_legal_moves():
    module, state = play(GAME, ["place_4_4", "place_5_3", "pass"])
    assert module.get_current_player(state) == 1
    assert "place_4_4" not in module.get_legal_actions(state)
    assert "pass" in module.get_legal_actions(state)


def test_two_consecutive_passes_end_the_game():
    module, state = play(GAME, ["pass", "place_4_4", "pass"])
    assert module.get_current_player(state) == 1
    module, state = play(GAME, ["pass", "place_4_4", "pass", "pass"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [-1, 1]


def test_suicide_is_illegal_unless_it_captures():
    moves = ["place_0_2", "place_0_1", "place_1_1", "place_1_0", "place_2_0"]
    module, state = play(GAME, moves)
    assert "place_0_0" not in module.get_legal_actions(state)
    module, state = play(GAME, moves + ["pass"])
    assert "place_0_0" in module.get_legal_actions(state)


def test_simple_ko_bans_recreating_the_board_before_the_opponents_move():
    shape = ["place_4_3", "place_3_5", "place_3_4", "place_5_5", "place_5_4", "place_4_6",
             "place_0_0", "place_4_4", "place_4_5"]
    module, state = play(GAME, shape)
    assert "place_4_4" not in module.get_legal_actions(state)
    module, state = play(GAME, shape + ["place_8_8", "place_8_0"])
    assert "place_4_4" in module.get_legal_actions(state)


def test_observation_has_board_captures_and_passes_but_no_turn():
    module, captured = play(GAME, ["place_0_0", "place_0_1", "place_8_8", "place_1_0"])
    _, uncaptured = play(GAME, ["place_8_8", "place_0_1", "pass", "place_1_0"])
    views = module.get_observations(captured)
    assert views[0] == views[1]
    # The same board and pass count: only White's capture count tells them apart.
    assert views != module.get_observations(uncaptured)
    _, passed = play(GAME, ["place_0_0", "place_0_1", "place_8_8", "place_1_0", "pass"])
    assert module.get_observations(passed) != views
    _, same_board = play(GAME, ["place_4_4", "place_0_0"])
    _, other_turn = play(GAME, ["pass", "place_0_0", "place_4_4"])
    assert module.get_current_player(same_board) != module.get_current_player(other_turn)
    assert module.get_observations(same_board) == module.get_observations(other_turn)


def test_no_move_cap():
    module = reference(GAME)
    rng = random.Random(3)
    state = module.get_initial_state()
    # Players who pass only when forced keep a game going far beyond any small cap.
    for _ in range(400):
        legal = module.get_legal_actions(state)
        state = module.apply_action(state, rng.choice(legal[1:] or legal))
    assert module.get_current_player(state) in (0, 1)
