from tests.oracles.lockstep import lockstep, pyspiel, reference


def test_liars_dice_agrees_with_openspiel():
    """Two players, two six-sided dice each, sixes wild, "reset-face" bid order.

    OpenSpiel rolls player 0's dice before player 1's, one die per chance event, and
    names rolls "Roll f", bids "q-f" and the challenge "Liar": our action strings.
    """
    game = pyspiel().load_game(
        "liars_dice(players=2,numdice=2,dice_sides=6,bidding_rule=reset-face)")
    result = lockstep(reference("liars_dice"), game,
                      lambda s, a: s.action_to_string(s.current_player(), a))
    assert result["trajectories"] == 200
