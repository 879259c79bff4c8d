"""The facts sheet's matching_pennies: no chance, "H" / "T" for each player in turn,
each sees only its own choice until the end, +1/-1 for the matcher on a match."""

from tests.study.play import play


def test_player_0_then_player_1_choose_h_or_t():
    module, state = play("matching_pennies", [])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["H", "T"]
    module, state = play("matching_pennies", ["H"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["H", "T"]
    module, state = play("matching_pennies", ["H", "T"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []


def test_payoffs_at_the_end_only():
    for first in "HT":
        module, state = play("matching_pennies", [first])
        assert module.get_rewards(state) == [0, 0]
        for second in "HT":
            module, state = play("matching_pennies", [first, second])
            assert module.get_rewards(state) == ([1, -1] if first == second else [-1, 1])


def test_each_player_sees_its_own_choice_then_both():
    module, before = play("matching_pennies", [])
    module, heads = play("matching_pennies", ["H"])
    module, tails = play("matching_pennies", ["T"])
    # Player 1 cannot tell the two first choices apart: it sees no more than at the start.
    assert module.get_observations(heads)[1] == module.get_observations(tails)[1]
    assert module.get_observations(heads)[1] == module.get_observations(before)[1]
    assert module.get_observations(heads)[0] != module.get_observations(tails)[0]
    assert "H" in module.get_observations(heads)[0].values()
    module, over = play("matching_pennies", ["T", "H"])
    for player in range(2):
        values = list(module.get_observations(over)[player].values())
        assert sorted(values) == ["H", "T"]


def test_resampling_player_1_draws_either_first_choice():
    module, state = play("matching_pennies", ["H"])
    view = [(module.get_observations(state)[1], "T")]
    seen = {tuple(module.resample_history(view, 1)) for _ in range(50)}
    assert seen == {("H", "T"), ("T", "T")}
