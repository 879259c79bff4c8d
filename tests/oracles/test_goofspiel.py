"""Goofspiel against OpenSpiel's goofspiel(num_cards=13,points_order=random,
returns_type=win_loss,imp_info=false), made turn-based (player 0 bids first).

Both turn up a uniformly drawn remaining prize card at each round, then take player 0's
bid and player 1's; the higher bid scores the prize, equal bids discard it, and more
points wins (+1/-1, a draw 0). OpenSpiel's "Deal 7" is our "prize:7", its
"[P0]Bid: 13" our "bid:13". ``imp_info=false`` makes both bids public after each round,
as ours (observations are not compared).

Two differences no parameter covers:
- OpenSpiel plays the 13th round by itself (one card and one prize left, so no choice):
  its game ends after 36 actions. Ours plays that round with three forced actions, so
  once OpenSpiel is over we play on alone, checking each legal list has one string, and
  compare the payoffs after our 39th action.
- OpenSpiel's win/loss rewards are 0 until the end; ours are running (the sign of the
  points difference, pinned by the spec's scenarios), so rewards are compared at the end.
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

TRAJECTORIES = 100
GAME = "goofspiel(num_cards=13,points_order=random,returns_type=win_loss,imp_info=false)"


def ours(os_state, os_action) -> str:
    text = os_state.action_to_string(os_state.current_player(), os_action)
    return f"{'prize' if text.startswith('Deal') else 'bid'}:{text.split()[-1]}"


def test_goofspiel_agrees_with_openspiel():
    game = pyspiel().load_game_as_turn_based(GAME)
    module = reference("goofspiel")
    rng = random.Random(0)
    results = set()
    for t in range(TRAJECTORIES):
        os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
        while not os_state.is_terminal():
            where = f"trajectory {t}, after {history}"
            assert module.get_current_player(state) == os_player(os_state), where
            if os_state.is_chance_node():
                os_actions = [a for a, _ in os_state.chance_outcomes()]
            else:
                os_actions = os_state.legal_actions()
            mapped = {ours(os_state, a): a for a in os_actions}
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
        assert len(history) == 36
        for player in (-1, 0, 1):  # our last round: a forced prize and two forced bids
            assert module.get_current_player(state) == player, f"trajectory {t}"
            [action] = module.get_legal_actions(state)
            state = module.apply_action(state, action)
        assert module.get_current_player(state) == -4, f"trajectory {t}"
        assert module.get_rewards(state) == list(os_state.returns()), f"trajectory {t}"
        results.add(tuple(os_state.returns()))
    assert {(1.0, -1.0), (-1.0, 1.0)} <= results
