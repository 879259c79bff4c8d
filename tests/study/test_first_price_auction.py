"""The facts sheet's first-price auction strings, played through the reference."""

from tests.study.play import play

BIDS = [f"bid_{n}" for n in range(6)]


def test_one_chance_node_draws_both_valuations():
    module, state = play("first_price_auction", [])
    assert module.get_current_player(state) == -1
    draws = module.get_legal_actions(state)
    assert len(draws) == 25 and {"11", "33", "55", "15", "51"} <= set(draws)
    assert module.get_observations(state) == [{}, {}]


def test_bids_0_to_5_regardless_of_valuation():
    module, state = play("first_price_auction", ["11"])
    assert module.get_current_player(state) == 0
    assert sorted(module.get_legal_actions(state)) == BIDS
    module, state = play("first_price_auction", ["33", "bid_0"])
    assert module.get_current_player(state) == 1
    assert sorted(module.get_legal_actions(state)) == BIDS


def test_the_sheets_example_and_the_payoff_rule():
    module, state = play("first_price_auction", ["33", "bid_0", "bid_3"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [0, 0]  # player 1 wins with u = 3 - 3 = 0
    cases = {
        ("33", "bid_3", "bid_0"): [0, 0],
        ("52", "bid_1", "bid_1"): [2, -2],      # tie to player 0, u = 4
        ("25", "bid_1", "bid_1"): [0.5, -0.5],  # tie to player 0 although it values less
        ("24", "bid_1", "bid_3"): [-0.5, 0.5],
        ("15", "bid_5", "bid_2"): [-2, 2],      # overbidding: u = -4
        ("51", "bid_0", "bid_0"): [2.5, -2.5],
        ("11", "bid_0", "bid_5"): [2, -2],      # player 1 overbids by 4
    }
    for actions, payoffs in cases.items():
        module, state = play("first_price_auction", actions)
        assert module.get_rewards(state) == payoffs, actions


def test_rewards_are_terminal_only():
    for actions in (["34"], ["34", "bid_2"]):
        module, state = play("first_price_auction", actions)
        assert module.get_rewards(state) == [0, 0]


def test_observations_own_valuation_and_bid_then_everything_at_the_end():
    module, state = play("first_price_auction", ["34", "bid_2"])
    _, other = play("first_price_auction", ["14", "bid_5"])
    assert module.get_observations(state)[1] == module.get_observations(other)[1]
    assert module.get_observations(state)[0] != module.get_observations(other)[0]
    _, end = play("first_price_auction", ["34", "bid_2", "bid_1"])
    _, end_other = play("first_price_auction", ["35", "bid_2", "bid_1"])
    assert module.get_observations(end)[0] != module.get_observations(end_other)[0]
    _, end_bid = play("first_price_auction", ["34", "bid_3", "bid_1"])
    assert module.get_observations(end)[1] != module.get_observations(end_bid)[1]
