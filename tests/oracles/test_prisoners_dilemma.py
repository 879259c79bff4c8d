from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_prisoners_dilemma_agrees_with_openspiel():
    """OpenSpiel's simultaneous ``matrix_pd``, turned into a turn-based game (player 0
    first), names the moves "Cooperate" / "Defect" like we do and has our payoff matrix
    (5/5, 0/10, 10/0, 1/1)."""
    game = pyspiel().load_game_as_turn_based("matrix_pd")
    result = lockstep(reference("prisoners_dilemma"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
