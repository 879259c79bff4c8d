"""Connect Four against OpenSpiel's connect_four(rows=6,columns=7,x_in_row=4).

OpenSpiel names moves by mark and column ("x3", "o0"), exactly our action strings, so
the mapping is its own action_to_string. The observations are not compared here
(scenarios pin them: row 0 is the top row in ours).
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference

GAME = "connect_four(rows=6,columns=7,x_in_row=4)"


def to_ours(os_state, os_action):
    return os_state.action_to_string(os_state.current_player(), os_action)


def test_the_mapping_names_every_column():
    state = pyspiel().load_game(GAME).new_initial_state()
    assert [to_ours(state, a) for a in state.legal_actions()] == [f"x{c}" for c in range(7)]
    state.apply_action(3)
    assert to_ours(state, 6) == "o6"


def test_connect4_agrees_with_openspiel():
    result = lockstep(reference("connect4"), pyspiel().load_game(GAME), to_ours)
    assert result["trajectories"] == 200
