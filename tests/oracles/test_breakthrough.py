"""Breakthrough 8x8 against OpenSpiel's breakthrough(rows=8, columns=8).

OpenSpiel's player 0 is Black, starting on ranks 7-8 and moving down; ours is White,
starting on ranks 1-2 and moving up. The rules are symmetric, so mirroring the ranks
(OpenSpiel rank r is our rank 9 - r) maps one game onto the other with the same player
ids, the same first mover and the same payoffs. OpenSpiel writes a move "a7a6" and a
capture "c4d3*"; ours are "a2-a3" and "c5xd6" for the mirrored squares. Both make
captures optional and end the game on the far rank or on the last capture.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference


def mirror(square: str) -> str:
    return f"{square[0]}{9 - int(square[1:])}"


def to_ours(os_string: str) -> str:
    capture = os_string.endswith("*")
    squares = os_string.rstrip("*")
    origin, target = mirror(squares[:2]), mirror(squares[2:])
    return f"{origin}{'x' if capture else '-'}{target}"


def test_mapping_mirrors_ranks_and_marks_captures():
    assert to_ours("a7a6") == "a2-a3"
    assert to_ours("b7c6") == "b2-c3"
    assert to_ours("c4d3*") == "c5xd6"
    assert to_ours("e2e1") == "e7-e8"


def test_breakthrough_agrees_with_openspiel():
    game = pyspiel().load_game("breakthrough(rows=8,columns=8)")
    result = lockstep(reference("breakthrough"), game,
                      lambda s, a: to_ours(s.action_to_string(s.current_player(), a)))
    assert result["trajectories"] == 200
