"""The facts sheet's havannah: side 10 (271 cells), labels A-S and 1-19 with |x+z| <= 9,
legal list by label length then alphabetically, bridge and ring wins, no fork, a draw
after 150 stones."""

from tests.study.play import play

GAME = "havannah"


def test_271_cells_listed_by_length_then_alphabetically():
    module, state = play(GAME, [])
    legal = module.get_legal_actions(state)
    assert len(legal) == 271
    assert legal[:3] == ["B9", "C8", "C9"]
    assert legal == sorted(legal, key=lambda label: (len(label), label))
    assert {"J10", "A10", "A19", "J1", "J19", "S1", "S10"} <= set(legal)
    assert not {"A9", "A1", "S11", "S19"} & set(legal)


def test_label_exists_iff_x_plus_z_within_nine():
    module, state = play(GAME, [])
    legal = set(module.get_legal_actions(state))
    for i, letter in enumerate("ABCDEFGHIJKLMNOPQRS"):
        for number in range(1, 20):
            x, z = i - 9, number - 10
            assert (f"{letter}{number}" in legal) == (abs(x + z) <= 9)


def test_the_sheet_examples_play_through():
    module, state = play(GAME, ["J10", "K9", "A19"])
    assert module.get_current_player(state) == 1
    legal = module.get_legal_actions(state)
    assert len(legal) == 268 and "J10" not in legal and "A19" not in legal
    view = module.get_observations(state)[0]
    assert module.get_observations(state)[1] == view
    assert "J10" in repr(view) and "K9" in repr(view)


def test_bridge_between_two_corners_wins():
    white = ["J1", "S1", "K1", "R1", "L1", "Q1", "M1", "P1", "N1", "O1"]
    black = ["D18", "E18", "F18", "G18", "H18", "I18", "D17", "E17", "F17"]
    moves = [m for pair in zip(white, black + [""], strict=True) for m in pair if m]
    module, state = play(GAME, moves)
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [1, -1]


def test_ring_wins_but_a_fork_does_not():
    moves = ["I10", "D18", "K10", "E18", "J9", "F18", "J11", "G18", "K9", "H18", "I11"]
    module, state = play(GAME, moves)
    assert module.get_rewards(state) == [1, -1]
    fork = ["A11", "J10", "B10", "J11", "B9", "J12", "C8", "J13", "D7", "J14", "E6", "J15",
            "F5", "J16", "G4", "K10", "H3", "K11", "I2", "K12", "J2", "K13", "K1"]
    module, state = play(GAME, fork)
    assert module.get_current_player(state) == 1
