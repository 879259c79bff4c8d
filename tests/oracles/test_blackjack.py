"""Blackjack against OpenSpiel's blackjack (one player against a scripted dealer).

OpenSpiel's game is a subset of ours: one 52-card deck, the dealer drawing below 17
and standing on a soft 17, but only "Hit" and "Stand" for the player (no double,
surrender or split), the dealer's draws made by chance without dealer actions, and a
natural paid 1 instead of 1.5. So this is not the generic lockstep. Games are played
in both with player 0 choosing only H and S, and compared as follows:
- cards: OpenSpiel's "C9" (suit, rank) is our "9c" (rank, lower-case suit). OpenSpiel
  deals player, player, dealer, dealer; we deal player, dealer up card, player, dealer
  hole card, so its four cards are fed to us in our order (its visible dealer card is
  our up card). Every later chance node must offer the same cards in both.
- player 0's turns: OpenSpiel offers Hit and Stand; we offer H and S (and more), except
  at 21 where we offer only S, so there the choice is S.
- the dealer: each card OpenSpiel's dealer draws is our dealer's forced "H" then the
  same card; when OpenSpiel ends, our dealer's only action must be "S".
- both hand totals agree at every step; at the end the payoffs agree, except that with
  a natural we pay by our rule (1.5, or -1 against a dealer natural, 0 for two), which
  must have OpenSpiel's sign.
"""

import random

from tests.oracles.lockstep import pyspiel, reference

TRAJECTORIES = 300


def card_names(game) -> dict:
    state = game.new_initial_state()
    return {card: text[1] + text[0].lower()
            for card, text in ((c, state.action_to_string(c)) for c, _ in
                               state.chance_outcomes())}


def play_one(module, game, names, rng, where) -> str:
    os_state, state, history = game.new_initial_state(), module.get_initial_state(), []

    def deal_both(os_card):
        nonlocal state
        offered = sorted(f"deal:{names[c]}" for c, p in os_state.chance_outcomes() if p > 0)
        assert sorted(module.get_legal_actions(state)) == offered, f"{where}, {history}"
        os_state.apply_action(os_card)
        play(f"deal:{names[os_card]}")

    def play(action):
        nonlocal state
        assert action in module.get_legal_actions(state), f"{where}, {history}: {action}"
        state = module.apply_action(state, action)
        history.append(action)

    def totals_agree():
        assert module.hand_total(state["hands"][0]) == os_state.get_best_player_total(0)
        assert module.hand_total(state["dealer"]) == os_state.get_best_player_total(1)

    for _ in range(4):
        os_state.apply_action(rng.choice([c for c, p in os_state.chance_outcomes() if p > 0]))
    player, dealer = os_state.cards(0), os_state.cards(1)
    up = os_state.dealers_visible_card()
    hole = next(c for c in dealer if c != up)
    for card in (player[0], up, player[1], hole):
        assert module.get_current_player(state) == -1, f"{where}, {history}"
        play(f"deal:{names[card]}")
    totals_agree()
    while not os_state.is_terminal():
        if os_state.is_chance_node():
            if module.get_current_player(state) == 1:
                assert module.get_legal_actions(state) == ["H"], f"{where}, {history}"
                play("H")  # OpenSpiel's dealer draws
            assert module.get_current_player(state) == -1, f"{where}, {history}"
            deal_both(rng.choice([c for c, p in os_state.chance_outcomes() if p > 0]))
        else:
            assert module.get_current_player(state) == 0 == os_state.current_player()
            assert sorted(os_state.legal_actions()) == [0, 1]  # 0 Hit, 1 Stand
            legal = module.get_legal_actions(state)
            assert {"H", "S"} <= set(legal) or legal == ["S"], f"{where}, {history}"
            action = rng.choice([a for a in legal if a in ("H", "S")])
            os_state.apply_action(0 if action == "H" else 1)
            play(action)
        totals_agree()
    if module.get_current_player(state) == 1:
        assert module.get_legal_actions(state) == ["S"], f"{where}, {history}"
        play("S")
    assert module.get_current_player(state) == -4, f"{where}, {history}"
    got, want = module.get_rewards(state), os_state.returns()[0]
    naturals = [module.hand_total(cards) == 21 and len(cards) == 2
                for cards in (state["hands"][0], state["dealer"])]
    if any(naturals):
        mine = {(True, False): 1.5, (False, True): -1.0, (True, True): 0.0}[tuple(naturals)]
        assert got == [mine, -mine] and (mine > 0) == (want > 0), f"{where}, {history}"
        return "natural"
    assert got == [want, -want], f"{where}, {history}: {got} vs OpenSpiel {want}"
    return "compared"


def test_blackjack_agrees_with_openspiel_on_hit_and_stand_games():
    game = pyspiel().load_game("blackjack")
    module = reference("blackjack")
    names = card_names(game)
    assert sorted(f"deal:{n}" for n in names.values()) == sorted(
        module.get_legal_actions(module.get_initial_state()))
    rng = random.Random(0)
    ends = [play_one(module, game, names, rng, f"trajectory {t}") for t in range(TRAJECTORIES)]
    assert ends.count("compared") > 250 and "natural" in ends
