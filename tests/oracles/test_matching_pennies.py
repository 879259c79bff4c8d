from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_matching_pennies_agrees_with_openspiel():
    """OpenSpiel's simultaneous ``matrix_mp``, turned into a turn-based game (player 0
    first), names the moves "Heads" / "Tails" like we do and pays the matcher 1 on a
    match and -1 otherwise, our matrix."""
    game = pyspiel().load_game_as_turn_based("matrix_mp")
    result = lockstep(reference("matching_pennies"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
