"""The facts sheet's prisoners_dilemma: "C" / "D" in turn, the second chooser blind, the
classic 3/0/5/1 table minus the mean of each outcome (zero-sum), at the end only."""

from tests.study.play import play

PAYOFFS = {"CC": [0, 0], "DD": [0, 0], "CD": [-2.5, 2.5], "DC": [2.5, -2.5]}


def test_both_players_choose_c_or_d_in_turn():
    module, state = play("prisoners_dilemma", [])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["C", "D"]
    module, state = play("prisoners_dilemma", ["D"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["C", "D"]
    assert module.get_rewards(state) == [0, 0]


def test_the_centred_table():
    for moves, payoffs in PAYOFFS.items():
        module, state = play("prisoners_dilemma", list(moves))
        assert module.get_current_player(state) == -4
        assert module.get_legal_actions(state) == []
        assert module.get_rewards(state) == payoffs
        assert sum(module.get_rewards(state)) == 0


def test_observations_as_in_matching_pennies():
    module, cooperate = play("prisoners_dilemma", ["C"])
    module, defect = play("prisoners_dilemma", ["D"])
    assert module.get_observations(cooperate)[1] == module.get_observations(defect)[1]
    assert module.get_observations(cooperate)[0] != module.get_observations(defect)[0]
    module, over = play("prisoners_dilemma", ["D", "C"])
    for player in range(2):
        assert sorted(module.get_observations(over)[player].values()) == ["C", "D"]
    assert module.get_observations(over)[0] != module.get_observations(over)[1]
