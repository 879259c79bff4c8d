from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_breakthrough_agrees_with_openspiel():
    game = pyspiel().load_game("breakthrough(rows=6,columns=6)")
    # OpenSpiel names moves from-square to-square with "*" for a capture ("c4d3*"),
    # exactly our action strings; its player 0 is black, starting at the top, as ours.
    result = lockstep(reference("breakthrough"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
