"""The facts sheet's negotiation, played through the reference."""

from tests.study.play import play

GAME = "negotiation"
PROPOSALS = [f"propose_{b}_{h}_{ball}" for b in range(3) for h in range(3) for ball in range(3)]


def test_one_chance_node_with_all_4096_value_combinations():
    module, state = play(GAME, [])
    legal = module.get_legal_actions(state)
    assert module.get_current_player(state) == -1
    assert len(legal) == len(set(legal)) == 4096
    assert "v0_3_0_1_v1_1_0_3" in legal
    assert module.get_observations(state) == [{}, {}]


def test_legal_lists_reject_accept_then_the_27_proposals_in_order():
    module, state = play(GAME, ["v0_3_0_1_v1_1_0_3"])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["reject"] + PROPOSALS
    module, state = play(GAME, ["v0_3_0_1_v1_1_0_3", "propose_2_1_2"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["reject", "accept"] + PROPOSALS


def test_accept_pays_own_value_minus_the_mean():
    # Player 0 keeps 2 books, 1 hat, 2 balls: worth 3*2 + 0*1 + 1*2 = 8 to it; player 1
    # gets 1 hat: worth 0. The mean is 4.
    module, state = play(GAME, ["v0_3_0_1_v1_1_0_3", "propose_2_1_2", "accept"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [4.0, -4.0]
    # Worths 6 and 8 give -1 and +1.
    module, state = play(GAME, ["v0_3_0_0_v1_0_2_2", "propose_2_0_0", "accept"])
    assert module.get_rewards(state) == [-1.0, 1.0]


def test_reject_ends_with_no_deal():
    module, state = play(GAME, ["v0_3_0_1_v1_1_0_3", "propose_2_1_2", "reject"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]


def test_the_10th_proposal_ends_the_game_as_no_deal():
    actions = ["v0_3_0_1_v1_1_0_3"] + ["propose_1_1_1"] * 9
    module, state = play(GAME, actions)
    assert module.get_current_player(state) == 1
    assert module.get_rewards(state) == [0.0, 0.0]
    module, state = play(GAME, actions + ["propose_2_1_2"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]


def test_observations():
    module, state = play(GAME, ["v0_3_0_1_v1_1_0_3", "propose_2_1_2"])
    mine, theirs = module.get_observations(state)
    assert mine["my_values"] == [3, 0, 1] and theirs["my_values"] == [1, 0, 3]
    for observation in (mine, theirs):
        assert observation["standing_proposal"] == [2, 1, 2]
        assert observation["proposer"] == 0 and observation["proposals_made"] == 1
        assert "opponent_values" not in observation
    module, state = play(GAME, ["v0_3_0_1_v1_1_0_3", "propose_2_1_2", "accept"])
    mine, theirs = module.get_observations(state)
    assert mine["opponent_values"] == [1, 0, 3] and theirs["opponent_values"] == [3, 0, 1]
    assert mine["outcome"] == theirs["outcome"] == "accepted"
