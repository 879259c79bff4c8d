import re

from tests.oracles.lockstep import lockstep, pyspiel, reference

GAME = ("battleship(board_width=4,board_height=4,ship_sizes=[2;3],"
        "ship_values=[1.0;1.0],num_shots=10,allow_repeated_shots=false,loss_multiplier=1.0)")


def to_ours(os_state, os_action):
    """OpenSpiel's "PlN: place ship horizontally with top-left corner in (r, c)" is our
    "h(r,c)" ("vertically": "v(r,c)"), and "PlN: shoot at (r, c)" is "shoot(r,c)"."""
    text = os_state.action_to_string(os_state.current_player(), os_action)
    r, c = re.search(r"\((\d+), (\d+)\)$", text).groups()
    if "shoot" in text:
        return f"shoot({r},{c})"
    return f"{'h' if 'horizontally' in text else 'v'}({r},{c})"


def test_battleship_agrees_with_openspiel():
    """4x4 boards, a length-2 then a length-3 ship each worth 1, 10 shots per player,
    no repeated shots: same phases, turns, end and payoffs as OpenSpiel."""
    result = lockstep(reference("battleship"), pyspiel().load_game(GAME), to_ours)
    assert result["trajectories"] == 200
