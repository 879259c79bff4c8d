"""Game of Y (side 7, 28 cells) against OpenSpiel's y(board_size=7).

OpenSpiel names cells "c3" exactly as we do, so the mapping is its action string.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_y_agrees_with_openspiel():
    game = pyspiel().load_game("y(board_size=7)")
    result = lockstep(reference("y"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
