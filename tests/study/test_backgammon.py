"""The facts sheet's backgammon strings, played through the reference."""

from tests.study.play import play, reference

ROLLS = [f"D_{a}_{b}" for a in range(1, 7) for b in range(a, 7)]
# Both players' back checkers run past each other, then player 0 has all its checkers
# home: 6-6 and 1-1 rolls chosen to reach a race quickly.
RACE = ["D_5_6", "24/18,18/13", "D_5_6", "1/7,7/12", "D_5_6", "24/18,18/13", "D_5_6", "1/7,7/12",
        "D_6_6", "13/7,13/7,13/7,13/7", "D_6_6", "12/18,12/18,12/18,12/18",
        "D_6_6", "13/7,13/7,13/7,8/2", "D_6_6", "12/18,12/18,12/18,17/23",
        "D_6_6", "7/1,7/1,8/2,8/2", "D_6_6", "17/23,17/23,18/24,18/24",
        "D_1_1", "7/6,7/6,7/6,7/6", "D_1_1", "18/19,18/19,18/19,18/19",
        "D_1_6", "7/6,6/off", "D_1_6", "18/19,19/off"]
BLOCKADE = ["D_6_6", "13/7,13/7,13/7,13/7", "D_6_6", "12/18,12/18,12/18,12/18",
            "D_6_6", "13/7,8/2,8/2,8/2", "D_6_6", "12/18,17/23,17/23,17/23"]


def test_the_start_position_and_the_21_rolls():
    module, state = play("backgammon", [])
    assert module.get_current_player(state) == -1
    assert sorted(module.get_legal_actions(state)) == sorted(ROLLS)
    observation = module.get_observations(state)[0]
    assert observation == module.get_observations(state)[1]
    # player 0: 2 on 24, 5 on 13, 3 on 8, 5 on 6; player 1 mirrored (2 on 1, 5 on 12, ...)
    assert state["points"][23] == 2 and state["points"][12] == 5
    assert state["points"][7] == 3 and state["points"][5] == 5
    assert state["points"][0] == -2 and state["points"][11] == -5
    assert state["points"][16] == -3 and state["points"][18] == -5


def test_a_roll_in_either_order_is_the_same_roll():
    module, state = play("backgammon", [])
    assert module.apply_action(state, "D_6_5") == module.apply_action(state, "D_5_6")
    assert "D_6_5" not in module.get_legal_actions(state)


def test_players_alternate_from_player_0_whatever_the_roll():
    # The golden would hand "D_1_2" (a < b) to player 1; the ruling is strict alternation.
    module, state = play("backgammon", ["D_1_2"])
    assert module.get_current_player(state) == 0
    module, state = play("backgammon", ["D_1_2", "24/22,24/23", "D_5_6"])
    assert module.get_current_player(state) == 1


def test_13_7_7_2_plays_one_checker_with_both_dice():
    module, state = play("backgammon", ["D_5_6", "13/7,7/2"])
    assert state["points"][12] == 4 and state["points"][1] == 1
    module, state = play("backgammon", ["D_5_6"])
    legal = module.get_legal_actions(state)
    assert "13/8,8/2" in legal  # the other die order is its own action
    assert "13/2" not in legal


def test_entering_from_the_bar_with_a_double():
    history = ["D_1_2", "24/22,22/21", "D_3_4", "17/21,19/22", "D_2_2"]
    module, state = play("backgammon", history)
    assert state["bar"] == [1, 0]
    legal = module.get_legal_actions(state)
    assert "bar/23,13/11,13/11,6/4" in legal
    assert all(play.startswith("bar/23") for play in legal)
    module, state = play("backgammon", history + ["bar/23,13/11,13/11,6/4"])
    assert state["bar"] == [0, 0] and state["points"][22] == 1
    assert module.get_current_player(state) == -1


def test_6_4_6_off_bears_off_in_the_race():
    module, state = play("backgammon", RACE + ["D_2_6", "6/4,6/off"])
    assert state["off"] == [2, 1]
    observation = module.get_observations(state)[0]
    assert observation["off"] == [2, 1] and observation["dice"] == []


def test_pass_when_no_die_can_be_used():
    module, state = play("backgammon", BLOCKADE + ["D_6_6"])
    assert module.get_legal_actions(state) == ["pass"]
    assert module.get_observations(state)[0]["dice"] == [6, 6, 6, 6]
    module, after = play("backgammon", BLOCKADE + ["D_6_6", "pass", "D_6_6", "pass"])
    # the same position with the other player to roll: the turn is not observed
    _, before = play("backgammon", BLOCKADE)
    assert module.get_observations(after) == module.get_observations(before)
    assert module.get_rewards(after) == [0.0, 0.0]


def test_the_last_checker_off_wins_plus_one():
    history = RACE + [
        "D_2_6", "6/4,6/off", "D_5_5", "19/24,19/24,19/24,19/24", "D_5_5", "6/1,6/1,6/1,6/1",
        "D_6_6", "19/off,19/off,19/off,19/off", "D_6_6", "6/off,6/off,6/off,4/off",
        "D_1_2", "19/21,21/22", "D_5_6", "2/off,2/off", "D_1_1", "22/23,23/24,24/off,24/off",
        "D_6_6", "2/off,1/off,1/off,1/off", "D_1_1", "24/off,24/off,24/off,24/off",
        "D_3_3", "1/off,1/off,1/off"]
    module, state = play("backgammon", history)
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1.0, -1.0]
