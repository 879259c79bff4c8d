"""The facts sheet's converge strings: "move (r1,c1) to (r2,c2)" sorted as strings, "pass"."""

from tests.study.play import play

STUN_BOTH = ["move (0,0) to (1,0)", "move (4,4) to (4,3)", "move (1,0) to (2,0)",
             "move (4,3) to (4,2)", "move (0,4) to (0,3)", "move (4,2) to (4,1)",
             "move (2,0) to (3,0)"]


def test_the_opening_moves_are_sorted_strings():
    module, state = play("converge", [])
    legal = module.get_legal_actions(state)
    assert legal == sorted(legal)
    assert legal == ["move (0,0) to (0,1)", "move (0,0) to (1,0)", "move (0,0) to (1,1)",
                     "move (0,4) to (0,3)", "move (0,4) to (1,3)", "move (0,4) to (1,4)"]


def test_the_sheet_examples_race_to_the_centre():
    module, state = play("converge", ["move (0,0) to (1,1)", "move (4,4) to (3,3)"])
    assert module.get_current_player(state) == 0
    assert module.get_rewards(state) == [0.0, 0.0]
    module, state = play("converge", ["move (0,0) to (1,1)", "move (4,4) to (3,3)",
                                      "move (1,1) to (2,2)"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [1.0, -1.0]
    observation = module.get_observations(state)[1]
    assert observation["winner"] == 0 and observation["status"] == "won"


def test_stunned_units_sit_out_one_turn_and_pass_is_forced():
    module, state = play("converge", STUN_BOTH)
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["pass"]
    observation = module.get_observations(state)[0]
    assert sorted(observation["stunned"]) == [[4, 0, 7], [4, 1, 7]]
    assert observation["actions"] == 7 and observation["to_move"] == 1
    module, state = play("converge", STUN_BOTH + ["pass", "move (0,3) to (0,2)"])
    assert "move (4,1) to (3,1)" in module.get_legal_actions(state)
    assert "pass" not in module.get_legal_actions(state)


def test_fifty_actions_without_the_centre_are_a_draw():
    shuffle = ["move (0,0) to (0,1)", "move (4,0) to (4,1)",
               "move (0,1) to (0,0)", "move (4,1) to (4,0)"]
    actions = (shuffle * 13)[:50]
    module, state = play("converge", actions[:49])
    assert module.get_current_player(state) == 1
    module, state = play("converge", actions)
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]
    assert module.get_observations(state)[0]["status"] == "draw"
