"""Havannah (base 4, 37 cells, no swap) against OpenSpiel's
havannah(board_size=4, swap=false).

OpenSpiel names cells "d4" exactly as we do, so the mapping is its action string.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_havannah_agrees_with_openspiel():
    game = pyspiel().load_game("havannah(board_size=4,swap=false)")
    result = lockstep(reference("havannah"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
