from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_pentago_agrees_with_openspiel():
    game = pyspiel().load_game("pentago")
    # OpenSpiel names moves cell then quadrant turn ("a1s" ... "f6z"), exactly our
    # action strings; random games often end on a turn that makes two fives (a draw)
    # or only the opponent's five, so those rules are compared too.
    result = lockstep(reference("pentago"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
