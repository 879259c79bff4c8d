"""Kuhn poker against OpenSpiel's kuhn_poker (players=2), over the whole game tree.

Same game, different action names:
- OpenSpiel deals one card per chance node (0, 1, 2 = J, Q, K; player 0's first); we deal
  both in one chance action named by the two cards, so one of our deals "KQ" is
  OpenSpiel's two deals 2 then 1.
- OpenSpiel's two betting actions are "Pass" (0) and "Bet" (1). With no bet made, Pass
  is our "Call" (a check) and Bet our "Raise"; facing a bet, Pass is our "Fold" and Bet
  our "Call".
The tree is small (6 deals, 5 betting lines), so every node is compared: the player to
move, the legal actions, terminality and the payoffs.
"""

from tests.oracles.lockstep import os_player, pyspiel, reference

CARDS = "JQK"
PASS, BET = 0, 1


def betting_name(os_state, os_action) -> str:
    facing_bet = BET in os_state.history()[2:]
    if os_action == PASS:
        return "Fold" if facing_bet else "Call"
    return "Call" if facing_bet else "Raise"


def os_deals(os_state) -> dict:
    """Our deal string -> OpenSpiel's two chance actions, from the initial state."""
    deals = {}
    for first, _ in os_state.chance_outcomes():
        after = os_state.child(first)
        for second, _ in after.chance_outcomes():
            deals[CARDS[first] + CARDS[second]] = (first, second)
    return deals


def walk(module, os_state, state, history, leaves):
    where = f"after {history}"
    assert module.get_current_player(state) == os_player(os_state), where
    if os_state.is_terminal():
        assert module.get_legal_actions(state) == [], where
        assert module.get_rewards(state) == list(os_state.returns()), where
        leaves.append(history)
        return
    assert module.get_rewards(state) == [0.0, 0.0], where
    if os_state.is_chance_node():
        moves = {deal: os_state.child(a).child(b) for deal, (a, b) in os_deals(os_state).items()}
    else:
        moves = {betting_name(os_state, a): os_state.child(a) for a in os_state.legal_actions()}
        assert len(moves) == len(os_state.legal_actions()), f"{where}: mapping is not 1:1"
    assert sorted(module.get_legal_actions(state)) == sorted(moves), where
    for action, os_next in moves.items():
        walk(module, os_next, module.apply_action(state, action), history + [action], leaves)


def test_kuhn_poker_agrees_with_openspiel_on_every_node():
    game = pyspiel().load_game("kuhn_poker(players=2)")
    module = reference("kuhn_poker")
    leaves = []
    walk(module, game.new_initial_state(), module.get_initial_state(), [], leaves)
    assert len(leaves) == 6 * 5


def test_the_deal_mapping_covers_openspiels_chance_tree():
    game = pyspiel().load_game("kuhn_poker(players=2)")
    module = reference("kuhn_poker")
    deals = os_deals(game.new_initial_state())
    assert sorted(deals) == sorted(module.get_legal_actions(module.get_initial_state()))
    assert deals["KQ"] == (2, 1)
