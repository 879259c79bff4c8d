"""The facts sheet's Kuhn poker strings, played through the reference."""

from tests.study.play import play

DEALS = ["JQ", "JK", "QJ", "QK", "KJ", "KQ"]


def test_one_chance_node_deals_both_cards():
    module, state = play("kuhn_poker", [])
    assert module.get_current_player(state) == -1
    assert sorted(module.get_legal_actions(state)) == sorted(DEALS)
    module, state = play("kuhn_poker", ["KQ"])
    assert module.get_current_player(state) == 0
    assert sorted(module.get_legal_actions(state)) == ["Call", "Raise"]


def test_no_fold_without_a_raise():
    module, state = play("kuhn_poker", ["JQ", "Call"])
    assert module.get_current_player(state) == 1
    assert sorted(module.get_legal_actions(state)) == ["Call", "Raise"]
    module, state = play("kuhn_poker", ["JQ", "Raise"])
    assert sorted(module.get_legal_actions(state)) == ["Call", "Fold"]
    module, state = play("kuhn_poker", ["JQ", "Call", "Raise"])
    assert module.get_current_player(state) == 0
    assert sorted(module.get_legal_actions(state)) == ["Call", "Fold"]


def test_the_five_lines_and_their_payoffs():
    lines = {
        ("KJ", "Call", "Call"): [1, -1],
        ("JK", "Call", "Call"): [-1, 1],
        ("QJ", "Raise", "Fold"): [1, -1],
        ("QK", "Raise", "Call"): [-2, 2],
        ("KQ", "Raise", "Call"): [2, -2],
        ("KJ", "Call", "Raise", "Fold"): [-1, 1],
        ("JQ", "Call", "Raise", "Fold"): [-1, 1],
        ("KQ", "Call", "Raise", "Call"): [2, -2],
        ("JK", "Call", "Raise", "Call"): [-2, 2],
    }
    for actions, payoffs in lines.items():
        module, state = play("kuhn_poker", actions)
        assert module.get_current_player(state) == -4, actions
        assert module.get_legal_actions(state) == [], actions
        assert module.get_rewards(state) == payoffs, actions


def test_rewards_are_judged_at_the_end_only():
    for actions in (["KQ"], ["KQ", "Raise"], ["KQ", "Call"], ["JK", "Call", "Raise"]):
        module, state = play("kuhn_poker", actions)
        assert module.get_rewards(state) == [0, 0], actions


def test_observations_show_the_own_card_and_the_betting_only():
    module, state = play("kuhn_poker", [])
    assert module.get_observations(state) == [{}, {}]
    _, state = play("kuhn_poker", ["KJ", "Call", "Raise"])
    _, other = play("kuhn_poker", ["KQ", "Call", "Raise"])
    ours, theirs = module.get_observations(state), module.get_observations(other)
    assert ours[0] == theirs[0]  # player 0 cannot tell J from Q opposite
    assert ours[1] != theirs[1]
    assert "K" in ours[0].values() and "J" not in str(ours[0])
    assert ours[0]["betting"] == ["Call", "Raise"]
