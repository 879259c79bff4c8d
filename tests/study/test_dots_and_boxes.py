"""The facts sheet's dots_and_boxes: 3x3 dots (2x2 boxes, 12 lines) named "h_<r>_<c>" /
"v_<r>_<c>", all h lines then all v lines, an extra move per completing line, no turn
indicator in the observation, running rewards for the current leader."""

from tests.study.play import play

LINES = ["h_0_0", "h_0_1", "h_1_0", "h_1_1", "h_2_0", "h_2_1",
         "v_0_0", "v_0_1", "v_0_2", "v_1_0", "v_1_1", "v_1_2"]


def test_twelve_lines_h_row_by_row_then_v():
    module, state = play("dots_and_boxes", [])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == LINES


def test_the_sheet_examples_are_lines():
    module, state = play("dots_and_boxes", ["h_0_0", "h_2_1", "v_0_0", "v_1_2"])
    assert module.get_current_player(state) == 0  # four moves, no box: turns alternated
    assert module.get_legal_actions(state) == [
        line for line in LINES if line not in ("h_0_0", "h_2_1", "v_0_0", "v_1_2")]


def test_completing_a_box_scores_and_moves_again():
    module, state = play("dots_and_boxes", ["h_0_0", "h_1_0", "v_0_0", "v_0_1"])
    assert module.get_current_player(state) == 1
    assert module.get_rewards(state) == [-1, 1]  # running: player 1 leads
    observation = module.get_observations(state)[0]
    assert observation["boxes"] == [0, 1]
    assert observation["owner"] == [[1, None], [None, None]]
    assert sorted(observation["drawn"]) == ["h_0_0", "h_1_0", "v_0_0", "v_0_1"]


def test_no_turn_indicator_in_the_observation():
    module, a = play("dots_and_boxes", ["h_0_0", "h_0_1", "h_1_0", "h_1_1", "h_2_0",
                                        "v_0_0", "v_0_2", "v_0_1"])
    module, b = play("dots_and_boxes", ["h_0_0", "h_0_1", "h_1_0", "h_1_1", "v_0_0",
                                        "v_0_1", "v_0_2", "h_2_0"])
    assert module.get_current_player(a) != module.get_current_player(b)
    assert module.get_observations(a) == module.get_observations(b)


def test_two_all_is_a_draw_and_the_end_pays_the_leader():
    moves = ["h_1_1", "v_1_1", "v_1_0", "h_1_0", "v_0_1", "v_0_0", "h_2_1", "v_1_2",
             "h_0_0", "v_0_2", "h_0_1", "h_2_0"]
    module, state = play("dots_and_boxes", moves)
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [0, 0]
    moves = ["v_1_1", "h_1_0", "v_1_0", "v_0_1", "h_0_0", "v_0_2", "h_0_1", "h_2_0",
             "h_1_1", "v_0_0", "h_2_1", "v_1_2"]
    module, state = play("dots_and_boxes", moves)
    assert module.get_observations(state)[0]["boxes"] == [1, 3]
    assert module.get_rewards(state) == [-1, 1]
