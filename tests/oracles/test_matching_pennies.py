"""Matching Pennies against OpenSpiel's matrix_mp, turned into a turn-based game.

The turn-based conversion lets player 0 choose first, then player 1, as ours does.
OpenSpiel names the sides "Heads" / "Tails", ours are "H" / "T"; it pays the matcher 1
on a match and -1 otherwise, as we do.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference

SIDES = {"Heads": "H", "Tails": "T"}


def to_ours(os_state, os_action):
    return SIDES[os_state.action_to_string(os_state.current_player(), os_action)]


def test_the_mapping_names_both_sides():
    state = pyspiel().load_game_as_turn_based("matrix_mp").new_initial_state()
    assert [to_ours(state, a) for a in state.legal_actions()] == ["H", "T"]


def test_matching_pennies_agrees_with_openspiel():
    game = pyspiel().load_game_as_turn_based("matrix_mp")
    result = lockstep(reference("matching_pennies"), game, to_ours, trajectories=40)
    assert result["trajectories"] == 40
