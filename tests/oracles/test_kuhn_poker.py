"""Kuhn poker against OpenSpiel's kuhn_poker (players=2).

Both deal one card per chance node, player 0's first. OpenSpiel names the cards 0, 1, 2
(J, Q, K) and has two betting actions, "Pass" and "Bet"; we name them by what they do:
"Pass" is our Check, or our Fold when facing a bet, and "Bet" is our Bet, or our Call
when facing a bet.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference

CARDS = ["J", "Q", "K"]
PASS, BET = 0, 1


def to_ours(os_state, os_action):
    if os_state.is_chance_node():
        return CARDS[os_action]
    facing_bet = BET in os_state.history()[2:]
    if os_action == PASS:
        return "Fold" if facing_bet else "Check"
    return "Call" if facing_bet else "Bet"


def test_kuhn_poker_agrees_with_openspiel():
    game = pyspiel().load_game("kuhn_poker(players=2)")
    result = lockstep(reference("kuhn_poker"), game, to_ours)
    assert result["trajectories"] == 200
