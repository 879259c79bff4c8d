"""The facts sheet's pig: one die, bank 100 to win, "roll" always legal and "hold" only
with a positive turn total, chance "1".."6", no move cap, +1/-1 at the end only."""

from tests.study.play import play


def test_the_sheet_examples():
    module, state = play("pig", [])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["roll"]
    module, state = play("pig", ["roll"])
    assert module.get_current_player(state) == -1
    assert module.get_legal_actions(state) == ["1", "2", "3", "4", "5", "6"]
    module, state = play("pig", ["roll", "5"])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["roll", "hold"]
    module, state = play("pig", ["roll", "5", "hold"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["roll"]
    observation = module.get_observations(state)[0]
    assert observation == {"scores": [5, 0], "turn_total": 0, "current_player": 1}


def test_a_one_wipes_the_turn_total_and_passes_the_turn():
    module, state = play("pig", ["roll", "6", "roll", "1"])
    assert module.get_current_player(state) == 1
    assert module.get_observations(state)[1] == {
        "scores": [0, 0], "turn_total": 0, "current_player": 1}


def test_the_observation_shows_minus_one_during_a_roll():
    module, state = play("pig", ["roll", "4", "roll"])
    first, second = module.get_observations(state)
    assert first == second == {"scores": [0, 0], "turn_total": 4, "current_player": -1}


def test_rolling_stays_legal_past_100_and_only_a_hold_wins():
    sixes = ["roll", "6"] * 17
    module, state = play("pig", sixes)
    assert module.get_legal_actions(state) == ["roll", "hold"]
    assert module.get_rewards(state) == [0, 0]
    module, state = play("pig", sixes + ["hold"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1, -1]
    assert module.get_observations(state)[0]["current_player"] == -4
    module, state = play("pig", ["roll", "1"] + sixes + ["hold"])
    assert module.get_rewards(state) == [-1, 1]


def test_no_move_cap():
    module, state = play("pig", ["roll", "1"] * 300)
    assert module.get_current_player(state) == 0
    assert module.get_rewards(state) == [0, 0]
