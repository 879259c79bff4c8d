"""The facts sheet's Goofspiel strings, played through the reference."""

from tests.study.play import play

PRIZES = [f"prize:{n}" for n in range(1, 14)]
BIDS = [f"bid:{n}" for n in range(1, 14)]


def test_a_round_is_a_prize_then_two_bids():
    module, state = play("goofspiel", [])
    assert module.get_current_player(state) == -1
    assert module.get_legal_actions(state) == PRIZES  # ascending
    module, state = play("goofspiel", ["prize:7"])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == BIDS
    module, state = play("goofspiel", ["prize:7", "bid:13"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == BIDS
    module, state = play("goofspiel", ["prize:7", "bid:13", "bid:1"])
    assert module.get_current_player(state) == -1
    assert "prize:7" not in module.get_legal_actions(state)
    assert module.get_rewards(state) == [1, -1]  # running: player 0 leads 7-0


def test_thirteen_rounds_all_played_with_actions():
    actions = []
    for n in range(1, 14):  # player 1 always bids one higher, except with its 1 at the end
        actions += [f"prize:{n}", f"bid:{n}", f"bid:{n % 13 + 1}"]
    assert len(actions) == 39
    module, state = play("goofspiel", actions[:36])
    assert module.get_current_player(state) == -1
    assert module.get_legal_actions(state) == ["prize:13"]
    module, state = play("goofspiel", actions[:37])
    assert module.get_legal_actions(state) == ["bid:13"]
    module, state = play("goofspiel", actions[:38])
    assert module.get_legal_actions(state) == ["bid:1"]
    module, state = play("goofspiel", actions)
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [-1, 1]  # 13 points against 78


def test_equal_bids_discard_the_prize():
    module, state = play("goofspiel", ["prize:13", "bid:13", "bid:13"])
    assert module.get_rewards(state) == [0, 0]
    module, state = play("goofspiel", ["prize:13", "bid:13", "bid:13", "prize:1", "bid:1",
                                       "bid:2"])
    assert module.get_rewards(state) == [-1, 1]


def test_player_1_never_sees_player_0s_current_bid():
    module, state = play("goofspiel", ["prize:7", "bid:13"])
    _, other = play("goofspiel", ["prize:7", "bid:1"])
    assert module.get_observations(state)[1] == module.get_observations(other)[1]
    assert module.get_observations(state)[0] != module.get_observations(other)[0]
    _, done = play("goofspiel", ["prize:7", "bid:13", "bid:1"])
    _, done_other = play("goofspiel", ["prize:7", "bid:12", "bid:1"])
    assert module.get_observations(done)[1] != module.get_observations(done_other)[1]
