from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_connect4_agrees_with_openspiel():
    game = pyspiel().load_game("connect_four(rows=6,columns=7,x_in_row=4)")
    # OpenSpiel names moves "x3" / "o3" (mark and column), exactly our action strings.
    result = lockstep(reference("connect4"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
