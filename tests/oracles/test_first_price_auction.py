"""First-price auction against OpenSpiel's first_sealed_auction(players=2,max_value=5).

OpenSpiel's variant differs in ways no parameter covers, so this is not the generic
lockstep; what both games share is compared on every history OpenSpiel allows:
- OpenSpiel draws the valuations 1-5 in two chance nodes ("Player 0 value: 3", then
  player 1's); our one chance action names both, "34". Both are uniform over the 25
  pairs.
- OpenSpiel allows bids 0..valuation-1 only; we allow 0-5 always, so its legal bids
  must be a subset of ours (ours are all six everywhere).
- OpenSpiel ends with a chance node choosing the winner (one outcome unless the bids
  tie); we give ties to player 0, so the oracle's tie-break is set to player 0.
- OpenSpiel pays the winner its surplus u and the loser 0; we pay u/2 and -u/2, so our
  payoffs are OpenSpiel's returns r as [(r0 - r1) / 2, (r1 - r0) / 2].
Bids at or above the valuation, which OpenSpiel has not, are pinned by the spec's
scenarios instead.
"""

from tests.oracles.lockstep import os_player, pyspiel, reference


def value_of(os_state, os_action) -> int:
    return int(os_state.action_to_string(os_action).split()[-1])  # "Player 0 value: 3"


def test_first_price_auction_agrees_with_openspiel_where_both_allow_the_bids():
    game = pyspiel().load_game("first_sealed_auction(players=2,max_value=5)")
    module = reference("first_price_auction")
    root, start = game.new_initial_state(), module.get_initial_state()
    assert module.get_current_player(start) == os_player(root) == -1
    draws = []
    for a0, p0 in root.chance_outcomes():
        after = root.child(a0)
        for a1, p1 in after.chance_outcomes():
            draws.append((f"{value_of(root, a0)}{value_of(after, a1)}", after.child(a1)))
            assert abs(p0 * p1 - 1 / 25) < 1e-12
    assert sorted(d for d, _ in draws) == sorted(module.get_legal_actions(start))
    games = 0
    for draw, os_drawn in draws:
        state = module.apply_action(start, draw)
        check_bidder(module, os_drawn, state, [draw])
        for bid0 in os_drawn.legal_actions():
            os_bid = os_drawn.child(bid0)
            after0 = module.apply_action(state, f"bid_{bid0}")
            check_bidder(module, os_bid, after0, [draw, f"bid_{bid0}"])
            for bid1 in os_bid.legal_actions():
                history = [draw, f"bid_{bid0}", f"bid_{bid1}"]
                end = os_bid.child(bid1)
                winners = {end.action_to_string(a): a for a, _ in end.chance_outcomes()}
                assert len(winners) == (2 if bid0 == bid1 else 1), history
                end.apply_action(winners.get("Chose winner 0", min(winners.values())))
                assert end.is_terminal()
                final = module.apply_action(after0, f"bid_{bid1}")
                assert module.get_current_player(final) == -4, history
                r0, r1 = end.returns()
                assert module.get_rewards(final) == [(r0 - r1) / 2, (r1 - r0) / 2], history
                games += 1
    assert games == sum(v0 * v1 for v0 in range(1, 6) for v1 in range(1, 6))


def check_bidder(module, os_state, state, history):
    """Same bidder to move; OpenSpiel's bids are among ours, which are always all six."""
    assert module.get_current_player(state) == os_player(os_state), history
    legal = module.get_legal_actions(state)
    assert {f"bid_{b}" for b in os_state.legal_actions()} <= set(legal), history
    assert legal == [f"bid_{b}" for b in range(6)], history
