"""The facts sheet's y: side 5 (15 cells), "x,y" strings listed by y then x, a group of
the mover touching all three sides wins."""

from tests.study.play import play

GAME = "y"
ORDER = ["0,0", "1,0", "2,0", "3,0", "4,0", "0,1", "1,1", "2,1", "3,1", "0,2", "1,2", "2,2",
         "0,3", "1,3", "0,4"]


def test_start_lists_the_15_cells_by_y_then_x():
    module, state = play(GAME, [])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ORDER


def test_the_sheet_example_is_a_move():
    module, state = play(GAME, ["1,3"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == [c for c in ORDER if c != "1,3"]
    view = module.get_observations(state)[0]
    assert module.get_observations(state)[1] == view
    assert "1,3" in repr(view)


def test_a_group_on_all_three_sides_wins_for_the_mover():
    module, state = play(GAME, ["0,0", "0,2", "1,0", "1,2", "2,0", "0,3", "3,0", "1,3"])
    assert module.get_current_player(state) == 0
    module, state = play(GAME, ["0,0", "0,2", "1,0", "1,2", "2,0", "0,3", "3,0", "1,3", "4,0"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1, -1]


def test_neighbours_follow_the_sheet():
    module = play(GAME, [])[0]
    # The hypotenuse x + y = 4 is connected through (x+1, y-1) steps and wins alone.
    _, state = play(GAME, ["0,4", "0,0", "1,3", "1,0", "2,2", "0,1", "3,1", "1,1", "4,0"])
    assert module.get_rewards(state) == [1, -1]
