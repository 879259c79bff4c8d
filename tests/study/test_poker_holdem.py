"""The facts sheet's Texas Hold'em, played through the reference."""

from tests.study.play import play

GAME = "poker_holdem"
HOLE = ["deal:Ah", "deal:Kd", "deal:7c", "deal:7s"]
FLOP = ["deal:2c", "deal:9h", "deal:Jd"]


def test_deals_are_listed_suit_by_suit():
    module, state = play(GAME, [])
    legal = module.get_legal_actions(state)
    assert legal[:3] == ["deal:2c", "deal:3c", "deal:4c"]
    assert legal[12:14] == ["deal:Ac", "deal:2d"] and len(legal) == 52
    module, state = play(GAME, ["deal:Ah"])
    assert "deal:Ah" not in module.get_legal_actions(state)


def test_pre_flop_player_0_first_and_the_big_blind_option():
    module, state = play(GAME, HOLE)
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["Fold", "Call", "Raise"]
    module, state = play(GAME, HOLE + ["Call"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["Check", "Raise"]
    module, state = play(GAME, HOLE + ["Call", "Check"])
    assert module.get_current_player(state) == -1


def test_after_the_flop_player_1_first_and_two_checks_end_the_round():
    module, state = play(GAME, HOLE + ["Call", "Check"] + FLOP)
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["Check", "Raise"]
    module, state = play(GAME, HOLE + ["Call", "Check"] + FLOP + ["Check"])
    assert module.get_current_player(state) == 0
    module, state = play(GAME, HOLE + ["Call", "Check"] + FLOP + ["Check", "Check"])
    assert module.get_current_player(state) == -1


def test_every_raise_adds_2_and_there_is_no_cap():
    module, state = play(GAME, HOLE + ["Raise"] * 10)
    observation = module.get_observations(state)[0]
    assert observation["contributions"] == [20, 22]
    assert observation["stacks"] == [80, 78] and observation["pot"] == 42
    assert module.get_legal_actions(state) == ["Fold", "Call", "Raise"]
    module, state = play(GAME, HOLE + ["Call", "Check"] + FLOP + ["Raise", "Raise"])
    assert module.get_observations(state)[1]["contributions"] == [6, 4]


def test_a_raise_needs_more_stack_than_the_call():
    module, state = play(GAME, HOLE + ["Raise"] * 49)
    assert module.get_observations(state)[1]["stacks"] == [0, 2]
    assert module.get_legal_actions(state) == ["Fold", "Call"]


def test_showdown_and_payoffs():
    # Player 1's pair of sevens beats ace-king high on a board with no help.
    actions = HOLE + ["Raise", "Call"] + FLOP + ["Check", "Check", "deal:3s", "Check",
                                                 "Check", "deal:5d", "Check", "Check"]
    module, state = play(GAME, actions)
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [-4.0, 4.0]
    assert module.get_observations(state)[0]["phase"] == 8


def test_the_folder_loses_its_contribution_and_rewards_wait_for_the_end():
    module, state = play(GAME, HOLE + ["Raise", "Raise"])
    assert module.get_rewards(state) == [0.0, 0.0]
    module, state = play(GAME, HOLE + ["Raise", "Raise", "Fold"])
    assert module.get_rewards(state) == [-4.0, 4.0]


def test_observations_hide_the_opponent_hole_cards():
    module, state = play(GAME, HOLE + ["Call", "Check"] + FLOP)
    mine, theirs = module.get_observations(state)
    assert mine["my_cards"] == ["Ah", "Kd"] and theirs["my_cards"] == ["7c", "7s"]
    assert mine["board"] == theirs["board"] == ["2c", "9h", "Jd"]
    assert mine["phase"] == 3 and mine["player_id"] == 0 and theirs["player_id"] == 1
    assert mine["betting"] == [[0, "Call"], [1, "Check"]] and not mine["terminal"]
    assert "7c" not in str(mine) and "Ah" not in str(theirs)
