"""The facts sheet's Leduc poker, played through the reference."""

from tests.study.play import play

GAME = "leduc_poker"


def test_each_deal_lists_the_distinct_ranks_left_sorted():
    module, state = play(GAME, [])
    assert module.get_legal_actions(state) == ["deal:J", "deal:K", "deal:Q"]
    module, state = play(GAME, ["deal:K", "deal:K", "Call", "Call"])
    assert module.get_current_player(state) == -1
    assert module.get_legal_actions(state) == ["deal:J", "deal:Q"]


def test_blinds_and_first_actions():
    module, state = play(GAME, ["deal:J", "deal:Q"])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["Fold", "Call", "Raise"]
    observation = module.get_observations(state)[0]
    assert observation["bets"] == [1, 2] and observation["pot"] == 3


def test_player_1_acts_after_player_0_calls_the_big_blind():
    module, state = play(GAME, ["deal:J", "deal:Q", "Call"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["Fold", "Call", "Raise"]
    module, state = play(GAME, ["deal:J", "deal:Q", "Call", "Call"])
    assert module.get_current_player(state) == -1


def test_a_leveling_call_ends_round_1_and_two_raises_cap_it():
    module, state = play(GAME, ["deal:J", "deal:Q", "Raise", "Call"])
    assert module.get_current_player(state) == -1
    module, state = play(GAME, ["deal:J", "deal:Q", "Raise", "Raise"])
    assert module.get_legal_actions(state) == ["Fold", "Call"]


def test_round_2_starts_level_and_player_0_checking_lets_player_1_act():
    module, state = play(GAME, ["deal:J", "deal:Q", "Raise", "Call", "deal:K"])
    observation = module.get_observations(state)[1]
    assert observation["round"] == 2 and observation["bets"] == [0, 0]
    assert observation["pot"] == 8
    module, state = play(GAME, ["deal:J", "deal:Q", "Raise", "Call", "deal:K", "Call"])
    assert module.get_current_player(state) == 1
    assert module.get_rewards(state) == [0.0, 0.0]


def test_showdown_pair_then_higher_of_private_and_public():
    module, state = play(GAME, ["deal:J", "deal:K", "Call", "Call", "deal:J", "Call", "Call"])
    assert module.get_rewards(state) == [2.0, -2.0]
    module, state = play(GAME, ["deal:J", "deal:Q", "Call", "Call", "deal:K", "Call", "Call"])
    assert module.get_rewards(state) == [0.0, 0.0]
    module, state = play(GAME, ["deal:J", "deal:K", "Call", "Call", "deal:Q", "Call", "Call"])
    assert module.get_rewards(state) == [-2.0, 2.0]


def test_the_folder_loses_what_it_put_in_and_14_is_the_most():
    module, state = play(GAME, ["deal:J", "deal:Q", "Raise", "Raise", "Fold"])
    assert module.get_current_player(state) == -4 and module.get_rewards(state) == [-4.0, 4.0]
    actions = ["deal:K", "deal:Q", "Call", "Raise", "Raise", "Call", "deal:K",
               "Call", "Raise", "Raise", "Call"]
    module, state = play(GAME, actions)
    assert module.get_rewards(state) == [14.0, -14.0]
    assert module.get_legal_actions(state) == []


def test_observations_show_the_public_history_but_not_the_private_deals():
    module, state = play(GAME, ["deal:K", "deal:J", "Call", "Raise", "Call", "deal:Q"])
    mine, theirs = module.get_observations(state)
    assert mine["my_card"] == "K" and theirs["my_card"] == "J"
    assert mine["public_card"] == theirs["public_card"] == "Q"
    assert mine["history"] == theirs["history"] == [
        [0, "Call"], [1, "Raise"], [0, "Call"], [-1, "deal:Q"]]
    assert "J" not in str(mine) and "K" not in str(theirs)
