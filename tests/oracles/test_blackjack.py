"""Two-player blackjack against OpenSpiel's blackjack (one player against a dealer).

The games differ, so this is not the generic 1:1 lockstep. OpenSpiel's player plays
our player 0 and its dealer plays our player 1: our player 1 hits exactly when
OpenSpiel's dealer draws a card and stands when the dealer stops. Both use one deck of
52 distinct, equally likely cards, but deal in a different order (OpenSpiel: player,
player, dealer, dealer; ours: hole 0, hole 1, up 0, up 1), so the four dealt cards are
fed to us in our order. At every step we compare the cards left in the deck, the player
to move, both hand totals (our ``hand_total`` against OpenSpiel's best total) and, at the
end, the payoffs. On purpose our game ends at once on a natural (two-card 21) and pays
1.5; OpenSpiel plays on, so those trajectories stop being compared after the deal.
"""

import random

from tests.oracles.lockstep import pyspiel, reference

TRAJECTORIES = 200


def card_names(game):
    # OpenSpiel names cards suit then rank ("CA", "DT"); ours are rank then suit.
    state = game.new_initial_state()
    names = {}
    for card, _ in state.chance_outcomes():
        text = state.action_to_string(card)
        rank = "10" if text[1] == "T" else text[1]
        names[card] = rank + text[0]
    return names


def check_totals(module, names, os_state, where):
    for player in (0, 1):
        cards = [names[c] for c in os_state.cards(player)]
        assert module.hand_total(cards) == os_state.get_best_player_total(player), (
            f"{where}: total of {cards}")


def play_one(module, os_state, names, rng, where):
    """Play one game in both; returns "natural" when ours ended on a natural."""
    state = module.get_initial_state()
    history = []

    def play(action):
        nonlocal state
        state = module.apply_action(state, action)
        history.append(action)

    for _ in range(4):
        outcomes = [c for c, p in os_state.chance_outcomes() if p > 0]
        os_state.apply_action(rng.choice(outcomes))
    for index in (0, 1):  # our deal order: hole 0, hole 1, up 0, up 1
        for player in (0, 1):
            assert module.get_current_player(state) == -1
            assert sorted(module.get_legal_actions(state)) == sorted(
                set(module.DECK) - set(history)), f"{where}, {history}"
            play(names[os_state.cards(player)[index]])
    check_totals(module, names, os_state, f"{where}, {history}")
    if module.get_current_player(state) == -4:
        # A natural: our game is over; the payoff follows our rule.
        nat = [os_state.get_best_player_total(p) == 21 for p in (0, 1)]
        want = 0.0 if all(nat) else (1.5 if nat[0] else -1.5)
        assert module.get_rewards(state) == [want, -want], f"{where}, {history}"
        return "natural"
    while not os_state.is_terminal():
        if os_state.is_chance_node():
            if module.get_current_player(state) == 1:
                play("hit")  # the dealer draws
            outcomes = [c for c, p in os_state.chance_outcomes() if p > 0]
            assert sorted(names[c] for c in outcomes) == sorted(
                module.get_legal_actions(state)), f"{where}, {history}"
            card = rng.choice(outcomes)
            os_state.apply_action(card)
            play(names[card])
        else:
            assert module.get_current_player(state) == 0 == os_state.current_player()
            assert module.get_legal_actions(state) == ["hit", "stand"]
            assert sorted(os_state.legal_actions()) == [0, 1]  # 0 Hit, 1 Stand
            action = rng.choice(["hit", "stand"])
            os_state.apply_action(0 if action == "hit" else 1)
            play(action)
        check_totals(module, names, os_state, f"{where}, {history}")
    if module.get_current_player(state) == 1:
        play("stand")  # the dealer stops
    assert module.get_current_player(state) == -4, f"{where}, {history}"
    won = os_state.returns()[0]
    assert module.get_rewards(state) == [won, -won], f"{where}, {history}"
    return "compared"


def test_blackjack_agrees_with_openspiel():
    game = pyspiel().load_game("blackjack")
    module = reference("blackjack")
    names = card_names(game)
    assert sorted(names.values()) == sorted(module.DECK)
    rng = random.Random(0)
    ends = [play_one(module, game.new_initial_state(), names, rng, f"trajectory {t}")
            for t in range(TRAJECTORIES)]
    assert ends.count("compared") > 150
