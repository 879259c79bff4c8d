from tests.oracles.lockstep import lockstep, pyspiel, reference


def _ours(os_state, os_action) -> str:
    """OpenSpiel's "Deal 3" is our "prize 3"; "[P1]Bid: 2" is our "bid 2"."""
    text = os_state.action_to_string(os_state.current_player(), os_action)
    return f"{'prize' if text.startswith('Deal') else 'bid'} {text.split()[-1]}"


def test_goofspiel_agrees_with_openspiel():
    """Lockstep with OpenSpiel's simultaneous goofspiel turned into a turn-based game
    (player 0 bids first): four cards, random prize order, win/loss returns, equal
    bids discard the prize, and the forced last round played automatically as in our
    rules. ``imp_info=false``: after each round both bids are public, as in our rules
    (observations are not compared anyway)."""
    game = pyspiel().load_game_as_turn_based(
        "goofspiel(num_cards=4,points_order=random,returns_type=win_loss,imp_info=false)")
    result = lockstep(reference("goofspiel"), game, _ours)
    assert result["trajectories"] == 200
