"""Gin rummy against OpenSpiel's gin_rummy (52 cards, 10-card hands, knock card 10,
gin and undercut bonuses 25), in lockstep up to a knock or the wall.

Mapping: OpenSpiel's player 0 speaks first, so it is our player 1 (player 0 deals), and
OpenSpiel deals its player 0's ten cards first: our deal positions 11-20 are its first
ten deals, our 1-10 its next ten, our 21st its upcard. OpenSpiel draws the stock by a
chance node at each draw, which is given our stock's top card. Player actions map by
name: "Player: 0 Action: Draw upcard" -> "Draw upcard" (also "Pass", "Draw stock"),
"Player: 0 Action: 4d" -> "Action: 4d", "Player: 0 Action: Knock" -> "Action: Knock".
After two first-turn passes OpenSpiel's player must still play "Draw stock", which our
game does for it: the loop plays it.

Differences on purpose, compared through OpenSpiel's GinRummyUtils instead:
- Knocking: OpenSpiel lets a player knock when it can discard down to 10 deadwood; the
  study's variant asks for at most 10 deadwood among all 11 cards held (so every knock
  of ours is one of OpenSpiel's), and then plays the declaration itself. At each discard
  our Knock is checked against OpenSpiel's best meld group of the 11 cards; at a knock
  the melds we offer are OpenSpiel's all_melds of the hand, and the final score is
  checked with its deadwood.
- Melds: OpenSpiel's runs have at most 5 cards (a longer run is two melds there); the
  sheet's runs are any 3 or more consecutive cards, so runs of 6 or more are ours only.
- Lay-offs: ours are the cards that fit (all_layoffs); OpenSpiel's defender also melds.
- The wall: OpenSpiel stops drawing at 2 stock cards, we at fewer than 2; the lockstep
  stops when OpenSpiel reaches its wall.
- OpenSpiel ends the hand after two turns in a row that took the upcard and discarded
  it again, and caps the upcard draws; the study's variant has no such limits, so the
  lockstep stops there (after checking that this is why OpenSpiel ended).
"""

import random

from tests.oracles.lockstep import pyspiel, reference

TRAJECTORIES = 120


def load():
    spiel = pyspiel()
    game = spiel.load_game("gin_rummy(hand_size=10,knock_card=10,gin_bonus=25,"
                           "undercut_bonus=25,num_ranks=13,num_suits=4)")
    return spiel, game, spiel.gin_rummy.GinRummyUtils(13, 4, 10)


def to_ours(name):
    action = name.split(" Action: ", 1)[1]
    return action if action in ("Draw upcard", "Draw stock", "Pass") else f"Action: {action}"


def deadwood_of_all(utils, cards):
    """OpenSpiel's least deadwood of every card given (no discard first)."""
    ints = utils.card_strings_to_card_ints(cards)
    melded = sum(utils.total_card_value(meld) for meld in utils.best_meld_group(ints))
    return utils.total_card_value(ints) - melded


def choose(module, state, rng):
    """Random play that knocks when it can and keeps its deadwood low, to reach knocks."""
    legal = module.get_legal_actions(state)
    if "Action: Knock" in legal and rng.random() < 0.9:
        return "Action: Knock"
    if state["phase"] == "discard" and rng.random() < 0.8:
        # keep the card just drawn (discarding it back is what OpenSpiel limits)
        hand = state["hands"][state["to_move"]]
        return min((f"Action: {c}" for c in hand[:-1]), key=lambda a: (
            module._deadwood(frozenset(c for c in hand if c != a[8:])), rng.random()))
    return rng.choice(legal)


def finish_after_knock(module, utils, state, rng, where):
    """Play our knock and lay-off to the end, checking melds, lay-offs and the score."""
    knocker = state["knocker"]
    while module.get_current_player(state) != -4:
        legal = module.get_legal_actions(state)
        hand = state["hands"][state["to_move"]]
        if state["phase"] == "knock":
            # OpenSpiel's melds stop at runs of 5 cards; ours are runs of any length
            offered = {a[8:] for a in legal if a != "Action: Done" and len(a) <= 8 + 10}
            melds = utils.all_melds(utils.card_strings_to_card_ints(hand))
            expected = {"".join(sorted(utils.card_ints_to_card_strings(m),
                                       key=module.ORDER.get)) for m in melds}
            assert offered == expected, where
        else:
            declared = [[name[i:i + 2] for i in range(0, len(name), 2)]
                        for name in state["declared"]]
            melds = [utils.meld_to_int(utils.card_strings_to_card_ints(m)) for m in declared]
            laid = [c for meld in state["melds"] for c in meld
                    if not any(c in d for d in declared)]
            fits = set(utils.card_ints_to_card_strings(
                utils.all_layoffs(melds, utils.card_strings_to_card_ints(laid))))
            assert {a[8:] for a in legal if a != "Action: Done"} == fits & set(hand), where
        state = module.apply_action(state, rng.choice(legal))
    undeclared = utils.total_card_value(utils.card_strings_to_card_ints(state["hands"][knocker]))
    defender = utils.min_deadwood(utils.card_strings_to_card_ints(state["hands"][1 - knocker]))
    payoffs = [0.0, 0.0]
    if undeclared == 0:
        payoffs[knocker] = 25 + defender
    elif undeclared < defender:
        payoffs[knocker] = defender - undeclared
    else:
        payoffs[1 - knocker] = 25 + undeclared - defender
    assert module.get_rewards(state) == payoffs, where


def play_along(spiel, game, utils, module, rng, where):
    """One trajectory; returns how the lockstep ended: "knock", "wall", "limit" (an
    OpenSpiel-only end) or "over"."""
    state = module.get_initial_state()
    deck = list(module.DECK)
    rng.shuffle(deck)
    for card in deck:
        state = module.apply_action(state, f"deal:{card}")
    os_state = game.new_initial_state()
    for card in deck[10:20] + deck[:10] + [deck[20]]:
        os_state.apply_action(utils.card_int(card))
    history, upcards = [], []
    while True:
        at = f"{where}, after {history}"
        if os_state.is_chance_node():  # a stock draw: our stock's top card
            drawn = state["hands"][state["to_move"]][-1]
            os_state.apply_action(utils.card_int(drawn))
            continue
        if str(os_state.current_phase()) == "Phase.WALL":
            return "wall"
        if os_state.is_terminal():
            # OpenSpiel's own limits: two turns in a row that took the upcard and
            # discarded it, or 50 draws of the upcard
            repeated = history[-4] == history[-2] == "Draw upcard" and history[-3:] == [
                f"Action: {upcards[-2]}", "Draw upcard", f"Action: {upcards[-1]}"]
            assert repeated or history.count("Draw upcard") >= 50, at
            return "limit"
        player = module.get_current_player(state)
        assert player == 1 - os_state.current_player(), at
        os_legal = {to_ours(os_state.action_to_string(a)): a for a in os_state.legal_actions()}
        if set(os_legal) == {"Draw stock"} and state["phase"] == "discard":
            os_state.apply_action(os_legal["Draw stock"])  # our automatic draw
            continue
        ours = module.get_legal_actions(state)
        if state["phase"] == "discard":
            hand = state["hands"][player]
            assert {a for a in ours if a != "Action: Knock"} == {
                a for a in os_legal if a != "Action: Knock"}, at
            can_knock = deadwood_of_all(utils, hand) <= 10
            assert ("Action: Knock" in ours) == can_knock, at
            assert not can_knock or "Action: Knock" in os_legal, at
        else:
            assert set(ours) == set(os_legal), at
        action = choose(module, state, rng)
        if action == "Draw upcard":
            upcards.append(state["discards"][-1])
        state = module.apply_action(state, action)
        history.append(action)
        if action == "Action: Knock":
            finish_after_knock(module, utils, state, rng, at)
            return "knock"
        os_state.apply_action(os_legal[action])
        if module.get_current_player(state) == -4:
            return "over"


def test_gin_rummy_agrees_with_openspiel():
    spiel, game, utils = load()
    module = reference("gin_rummy")
    rng = random.Random(0)
    ends = [play_along(spiel, game, utils, module, rng, f"trajectory {t}")
            for t in range(TRAJECTORIES)]
    assert ends.count("knock") > TRAJECTORIES // 4
    assert "wall" in ends


def test_deadwood_agrees_with_openspiel():
    """Our least deadwood of random 10- and 11-card hands against OpenSpiel's."""
    _, _, utils = load()
    module = reference("gin_rummy")
    rng = random.Random(1)
    for _ in range(2000):
        cards = rng.sample(module.DECK, rng.choice([3, 7, 10, 11]))
        assert module._deadwood(frozenset(cards)) == deadwood_of_all(utils, cards), cards
