"""Leduc poker against OpenSpiel's leduc_poker (players=2).

OpenSpiel numbers the six cards 0..5 with rank = card // 2 (J, J, Q, Q, K, K); we name
them "Js", "Jh", "Qs", "Qh", "Ks", "Kh". Its betting actions are Fold, Call and Raise,
where Call with nothing to match is our Check and Raise with no bet yet is our Bet;
OpenSpiel offers Fold only when facing a bet, as we do.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference

CARDS = ["Js", "Jh", "Qs", "Qh", "Ks", "Kh"]
FOLD, CALL, RAISE = 0, 1, 2


def to_ours(os_state, os_action):
    if os_state.is_chance_node():
        return CARDS[os_action]
    facing_bet = FOLD in os_state.legal_actions()
    if os_action == FOLD:
        return "Fold"
    if os_action == CALL:
        return "Call" if facing_bet else "Check"
    return "Raise" if facing_bet else "Bet"


def test_leduc_poker_agrees_with_openspiel():
    game = pyspiel().load_game("leduc_poker(players=2)")
    result = lockstep(reference("leduc_poker"), game, to_ours)
    assert result["trajectories"] == 200
