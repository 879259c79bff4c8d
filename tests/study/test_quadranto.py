"""The facts sheet's quadranto strings: "place_p0:<r>,<c>", "place_p1:<r>,<c>", then
"Down", "Left", "Right", "Stay", "Up" in alphabetical order."""

from tests.study.play import play


def test_the_start_cells_are_chance_outcomes():
    module, state = play("quadranto", [])
    assert module.get_current_player(state) == -1
    assert module.get_legal_actions(state) == [
        "place_p0:0,0", "place_p0:0,1", "place_p0:1,0", "place_p0:1,1"]
    module, state = play("quadranto", ["place_p0:1,1"])
    assert module.get_current_player(state) == -1
    assert module.get_legal_actions(state) == [
        "place_p1:2,2", "place_p1:2,3", "place_p1:3,2", "place_p1:3,3"]
    assert module.get_observations(state) == [{}, {}]


def test_the_sheet_examples_and_the_alphabetical_legal_list():
    module, state = play("quadranto", ["place_p0:1,1", "place_p1:3,3"])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["Down", "Left", "Right", "Stay", "Up"]
    module, state = play("quadranto", ["place_p0:1,1", "place_p1:3,3", "Down"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["Left", "Stay", "Up"]
    module, state = play("quadranto", ["place_p0:1,1", "place_p1:3,3", "Down", "Stay"])
    first, second = module.get_observations(state)
    assert first == {"my_cell": [2, 1], "opponent_quadrant": 4}
    assert second == {"my_cell": [3, 3], "opponent_quadrant": 3}


def test_moving_onto_the_opponent_wins_even_on_the_20th_move():
    actions = ["place_p0:1,1", "place_p1:2,2", "Down"] + ["Stay"] * 18
    module, state = play("quadranto", actions)
    assert module.get_current_player(state) == 1
    module, state = play("quadranto", actions + ["Left"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [-1.0, 1.0]


def test_twenty_moves_without_a_capture_draw():
    module, state = play("quadranto", ["place_p0:0,0", "place_p1:3,3"] + ["Stay"] * 20)
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]
    assert module.get_legal_actions(state) == []


def test_resampling_hides_the_cell_within_the_quadrant():
    module, first = play("quadranto", ["place_p0:1,1", "place_p1:3,3"])
    _, second = play("quadranto", ["place_p0:1,1", "place_p1:3,3", "Stay", "Up"])
    view = [(module.get_observations(first)[0], "Stay"),
            (module.get_observations(second)[0], "Right")]
    starts = {module.resample_history(view, 0)[1] for _ in range(200)}
    assert len(starts) > 1
    for _ in range(50):
        history = module.resample_history(view, 0)
        _, replayed = play("quadranto", history[:-1])
        assert module.get_observations(replayed)[0] == view[-1][0]
