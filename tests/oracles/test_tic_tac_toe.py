from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_tic_tac_toe_agrees_with_openspiel():
    game = pyspiel().load_game("tic_tac_toe")
    # OpenSpiel names moves "x(r,c)" / "o(r,c)", exactly our action strings.
    result = lockstep(reference("tic_tac_toe"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
