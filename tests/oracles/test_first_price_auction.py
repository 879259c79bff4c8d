import random

from tests.oracles.lockstep import TRAJECTORIES, os_player, pyspiel, reference


def _ours(os_state, os_action) -> str:
    """Our name for an OpenSpiel action: "Player 0 value: 3" -> "p0 value 3",
    "Player 1 bid: 2" -> "bid 2", "Chose winner 1" -> "p1 wins tie"."""
    text = os_state.action_to_string(os_state.current_player(), os_action)
    if text.startswith("Chose winner"):
        return f"p{os_action} wins tie"
    if "value" in text:
        return f"p{text.split()[1]} value {os_action}"
    return f"bid {os_action}"


def test_first_price_auction_agrees_with_openspiel():
    """Lockstep with ``first_sealed_auction(players=2,max_value=4)``: valuations 1..4,
    bids 0..valuation-1, the winner pays its bid, equal bids settled by a fair chance
    draw. One deliberate difference: OpenSpiel always ends with a "choose the winner"
    chance node, with a single outcome when the bids differ; we have that node only on
    a tie, so the oracle's single-outcome node is applied on its side alone."""
    game = pyspiel().load_game("first_sealed_auction(players=2,max_value=4)")
    module = reference("first_price_auction")
    rng = random.Random(0)
    ties = 0
    for t in range(TRAJECTORIES):
        os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
        while True:
            if os_state.is_chance_node() and len(os_state.chance_outcomes()) == 1:
                os_state.apply_action(os_state.chance_outcomes()[0][0])  # forced winner
            where = f"trajectory {t}, after {history}"
            player = os_player(os_state)
            assert module.get_current_player(state) == player, where
            if player == -4:
                break
            if os_state.is_chance_node():
                outcomes = os_state.chance_outcomes()
                assert len({round(p, 9) for _, p in outcomes}) == 1, where
                os_actions = [a for a, _ in outcomes]
                if history and history[-1].startswith("bid"):
                    ties += 1
            else:
                os_actions = os_state.legal_actions()
            mapped = {_ours(os_state, a): a for a in os_actions}
            assert len(mapped) == len(os_actions), where
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
        assert module.get_rewards(state) == list(os_state.returns()), (
            f"trajectory {t} {history}: payoffs {module.get_rewards(state)} vs "
            f"OpenSpiel {os_state.returns()}")
    assert ties > 0  # the tie-break was exercised
