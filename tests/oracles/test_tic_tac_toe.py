"""Tic-tac-toe against OpenSpiel's tic_tac_toe.

OpenSpiel names moves "x(r,c)" / "o(r,c)" with rows and columns counted from the top
left, exactly our action strings, so the mapping is its own action_to_string. The
observations are not compared (OpenSpiel has no status string); scenarios pin them.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference


def to_ours(os_state, os_action):
    return os_state.action_to_string(os_state.current_player(), os_action)


def test_the_mapping_names_every_cell():
    state = pyspiel().load_game("tic_tac_toe").new_initial_state()
    assert [to_ours(state, a) for a in state.legal_actions()] == [
        f"x({r},{c})" for r in range(3) for c in range(3)]
    state.apply_action(4)
    assert to_ours(state, 0) == "o(0,0)"


def test_tic_tac_toe_agrees_with_openspiel():
    result = lockstep(reference("tic_tac_toe"), pyspiel().load_game("tic_tac_toe"), to_ours)
    assert result["trajectories"] == 200
