"""Go 5x5 against OpenSpiel's go(board_size=5, komi=0.5).

OpenSpiel names moves "B c3" / "W PASS", exactly our action strings. Its default
max_game_length for a 5x5 board is 50, our move cap; its simple ko, suicide ban,
superko-as-draw and Tromp-Taylor scoring are the rules our spec states.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_go_agrees_with_openspiel():
    game = pyspiel().load_game("go(board_size=5,komi=0.5,max_game_length=50)")
    result = lockstep(reference("go"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
