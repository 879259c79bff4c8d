"""Game of Y (side 5, 15 cells) against OpenSpiel's y(board_size=5).

Mapping: OpenSpiel names a cell by a letter for x ("a" is 0) and the number y + 1, so
its "c2" is our "2,1". Its rows shrink as ours do (row 1 has a-e, row 5 only a) and its
neighbourhood is ours, so the games agree move for move.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference


def to_ours(os_string: str) -> str:
    return f"{ord(os_string[0]) - ord('a')},{int(os_string[1:]) - 1}"


def test_mapping_names_the_corners():
    assert [to_ours(c) for c in ("a1", "e1", "a5", "b4")] == ["0,0", "4,0", "0,4", "1,3"]


def test_y_agrees_with_openspiel():
    game = pyspiel().load_game("y(board_size=5)")
    result = lockstep(reference("y"), game,
                      lambda s, a: to_ours(s.action_to_string(s.current_player(), a)))
    assert result["trajectories"] == 200
