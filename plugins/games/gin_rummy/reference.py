"""One hand of two-player gin rummy with the full 52-card deck as a game code world model.

Cards are "<rank><suit>", ranks A 2-9 T J Q K (worth 1, face value, 10 for T J Q K),
suits s c d h. The deal is 52 chance nodes, each naming one undealt card: deal k fills
position k of the layout (player 0's ten cards, player 1's ten, the upcard, then the
stock from the top), so the rest of the game is deterministic. The state keeps both
hands in the order the cards arrived, the discard pile (top last), the stock (top
first), the phase, the player to move, the knocker's declared melds and the payoffs.
"""

import functools
import itertools
import random

RANKS = "A23456789TJQK"
SUITS = "scdh"
DECK = [rank + suit for suit in SUITS for rank in RANKS]  # the deck order of the deal
HAND_SIZE = 10
KNOCK_LIMIT = 10
BONUS = 25


VALUES = {card: min(RANKS.index(card[0]) + 1, 10) for card in DECK}
ORDER = {card: i for i, card in enumerate(DECK)}  # suit (s, c, d, h) first, then rank


def _melds(cards):
    """Every meld among ``cards``: 3 or 4 of a rank, or 3 or more consecutive ranks of
    one suit (ace low only), each as a tuple in meld order."""
    found = []
    for rank in RANKS:
        same = sorted((c for c in cards if c[0] == rank), key=ORDER.get)
        for size in (3, 4):
            found.extend(itertools.combinations(same, size))
    for suit in SUITS:
        held = {RANKS.index(c[0]) for c in cards if c[1] == suit}
        for low in range(len(RANKS)):
            high = low
            while high in held:
                if high - low >= 2:
                    found.append(tuple(RANKS[r] + suit for r in range(low, high + 1)))
                high += 1
    return sorted(found, key=lambda meld: [ORDER[c] for c in meld])


@functools.lru_cache(maxsize=1 << 18)
def _deadwood(cards):
    """The least total value of the cards left out of melds, over every way of
    choosing disjoint melds among ``cards`` (a frozenset)."""
    if not cards:
        return 0
    # The lowest card (in meld order) is either deadwood or in a meld with cards of its
    # rank, or at the bottom of a run of its suit.
    first = min(cards, key=ORDER.__getitem__)
    rest = cards - {first}
    best = VALUES[first] + _deadwood(rest)
    same = [c for c in rest if c[0] == first[0]]
    for size in (2, 3):
        for others in itertools.combinations(same, size):
            best = min(best, _deadwood(rest.difference(others)))
    run = []
    for rank in RANKS[RANKS.index(first[0]) + 1:]:
        if rank + first[1] not in rest:
            break
        run.append(rank + first[1])
        if len(run) >= 2:
            best = min(best, _deadwood(rest.difference(run)))
    return best


def get_initial_state():
    return {
        "dealt": [],        # the deal so far, in layout order
        "hands": [[], []],  # in the order the cards arrived
        "discards": [],     # the discard pile, top card last
        "stock": [],        # top card first
        "phase": "deal",    # deal, first_turn, draw, discard, knock, layoff, wall, over
        "to_move": 1,
        "passes": 0,        # passes in the first turn
        "knocker": None,
        "melds": [],        # the knocker's declared melds, as card lists grown by lay-offs
        "declared": [],     # the same melds' names, as declared
        "payoffs": [0, 0],
    }


def get_current_player(state):
    if state["phase"] == "deal":
        return -1
    if state["phase"] == "over":
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return f"player {player_id}"


def _fits(card, meld):
    """Whether a card can be laid off on a meld: the fourth card of a set of three, or
    the next card of a run's suit at either end."""
    if all(c[0] == meld[0][0] for c in meld):
        return len(meld) == 3 and card[0] == meld[0][0]
    ranks = [RANKS.index(c[0]) for c in meld]
    return card[1] == meld[0][1] and RANKS.index(card[0]) in (min(ranks) - 1, max(ranks) + 1)


def get_legal_actions(state):
    phase, player = state["phase"], state["to_move"]
    if phase == "over":
        return []
    if phase == "deal":
        dealt = set(state["dealt"])
        return [f"deal:{card}" for card in DECK if card not in dealt]
    if phase == "first_turn":
        return ["Draw upcard", "Pass"]
    if phase == "draw":
        return ["Draw upcard", "Draw stock"]
    if phase == "wall":
        return ["Action: Pass"]
    hand = state["hands"][player]
    if phase == "discard":
        actions = [f"Action: {card}" for card in hand]
        if _deadwood(frozenset(hand)) <= KNOCK_LIMIT:
            actions.append("Action: Knock")
        return actions
    if phase == "knock":
        return [f"Action: {''.join(meld)}" for meld in _melds(hand)] + ["Action: Done"]
    # layoff: the defender's cards that fit one of the knocker's melds
    return [f"Action: {card}" for card in hand
            if any(_fits(card, meld) for meld in state["melds"])] + ["Action: Done"]


def _copy(state):
    new = dict(state)
    for key in ("dealt", "discards", "stock", "declared", "payoffs"):
        new[key] = list(state[key])
    new["hands"] = [list(hand) for hand in state["hands"]]
    new["melds"] = [list(meld) for meld in state["melds"]]
    return new


def _deal(state, card):
    state["dealt"].append(card)
    if len(state["dealt"]) == len(DECK):
        dealt = state["dealt"]
        state["hands"] = [dealt[:HAND_SIZE], dealt[HAND_SIZE:2 * HAND_SIZE]]
        state["discards"] = [dealt[2 * HAND_SIZE]]
        state["stock"] = dealt[2 * HAND_SIZE + 1:]
        state["dealt"] = []
        state["phase"] = "first_turn"  # player 0 dealt: player 1 speaks first


def _after_draw_or_discard(state, next_phase, next_player):
    """The wall: as soon as fewer than 2 cards are left in the stock, player 0 may
    only pass, which ends the hand with no score."""
    if len(state["stock"]) < 2:
        state["phase"], state["to_move"] = "wall", 0
    else:
        state["phase"], state["to_move"] = next_phase, next_player


def _score(state):
    knocker = state["knocker"]
    defender = 1 - knocker
    undeclared = sum(VALUES[card] for card in state["hands"][knocker])
    defender_deadwood = _deadwood(frozenset(state["hands"][defender]))
    if undeclared == 0:  # gin
        state["payoffs"][knocker] = BONUS + defender_deadwood
    elif undeclared < defender_deadwood:
        state["payoffs"][knocker] = defender_deadwood - undeclared
    else:  # the defender undercuts
        state["payoffs"][defender] = BONUS + undeclared - defender_deadwood
    state["phase"] = "over"


def _play(state, action):
    """Carry out a player's action in place."""
    phase, player = state["phase"], state["to_move"]
    hand = state["hands"][player]
    if action == "Draw upcard":
        hand.append(state["discards"].pop())
        state["phase"] = "discard"
    elif action == "Draw stock":
        hand.append(state["stock"].pop(0))
        _after_draw_or_discard(state, "discard", player)
    elif action == "Pass":  # the first turn
        state["passes"] += 1
        if state["passes"] == 1:
            state["to_move"] = 0
        else:
            # after two passes player 1 gets the top card of the stock and discards
            state["hands"][1].append(state["stock"].pop(0))
            _after_draw_or_discard(state, "discard", 1)
    elif action == "Action: Pass":  # the wall
        state["phase"] = "over"
    elif action == "Action: Knock":
        state["knocker"] = player
        state["phase"] = "knock"
    elif action == "Action: Done":
        if phase == "knock" and hand:
            state["phase"], state["to_move"] = "layoff", 1 - player
        else:
            _score(state)  # gin, or the defender has laid off
    elif phase == "knock":
        name = action[len("Action: "):]
        meld = [name[i:i + 2] for i in range(0, len(name), 2)]
        for card in meld:
            hand.remove(card)
        state["melds"].append(meld)
        state["declared"].append(name)
    elif phase == "layoff":
        card = action[len("Action: "):]
        hand.remove(card)
        # the card joins the first declared meld it fits
        next(meld for meld in state["melds"] if _fits(card, meld)).append(card)
    else:  # a discard
        card = action[len("Action: "):]
        hand.remove(card)
        state["discards"].append(card)
        _after_draw_or_discard(state, "draw", 1 - player)


def apply_action(state, action):
    new = _copy(state)
    if state["phase"] == "deal" and not state["dealt"] and action.count(",") == len(DECK) - 1:
        # the whole deal in one action, "deal:<c1>,...,<c52>", as 52 single deals
        cards = action[len("deal:"):].split(",")
        if sorted(cards) != sorted(DECK):
            raise ValueError(f"not a deal of the 52 cards: {action!r}")
        for card in cards:
            _deal(new, card)
        return new
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    if state["phase"] == "deal":
        _deal(new, action[len("deal:"):])
    else:
        _play(new, action)
    return new


def get_rewards(state):
    return [float(p) for p in state["payoffs"]]


def get_observations(state):
    if state["phase"] == "deal":
        return [{}, {}]
    mover = get_current_player(state)
    legal = get_legal_actions(state)
    return [{
        "hand": sorted(state["hands"][player]),
        "upcard": state["discards"][-1] if state["discards"] else None,
        "melds": list(state["declared"]),
        "phase": state["phase"],
        "legal": list(legal) if player == mover else [],
    } for player in (0, 1)]


# --------------------------------------------------------------------------- resampling
#
# What a player cannot see: the opponent's hand, the order of the stock and, when it is
# player 0, the upcard player 1 took on the first turn. From consecutive observations it
# can tell what the opponent did on each turn except, sometimes, whether the opponent
# drew the player's last discard or the top of the stock: the discard's next sighting
# decides (back on top after the opponent's turn or in its melds: it was taken; seen
# under a later card: it was not); a discard never seen again leaves the draw free.
# Free draws are then chosen among the combinations that keep the stock count right
# (the wall comes after the 30th draw from the stock) and never ask the opponent for an
# unseen card it could not hold, and the unseen cards are dealt at random.


def _timeline(views, mine, me):
    """The game as the player can reconstruct it, a list of steps: ("me", action, the
    card it drew from the stock or None, phase); ("first", action) for the opponent's
    first-turn choice; ("auto", 1, card or None) for the stock card player 1 gets after
    two passes (None when it is the opponent's); ("draw", how, offered card) for an
    opponent's draw, how being "upcard", "stock" or "free"; ("discard", card) and
    ("knock", melds) for the opponent's discard or knock; ("check", wall) at each
    observation of the player after the first."""
    sightings = []  # per observation: the top card, how it got there, the melds shown
    for view in views:
        kind = "after_opponent" if view["phase"] == "draw" else "in_pile"
        melds = {name[i:i + 2] for name in view["melds"] for i in range(0, len(name), 2)}
        sightings.append((view["upcard"], kind, melds if view["phase"] == "layoff" else set()))

    def taken(card, after):
        """Whether the opponent drew ``card``, the player's discard at observation
        ``after``: "upcard", "stock" or "free" (nothing tells)."""
        nxt = views[after + 1]
        if nxt["phase"] == "layoff" or (
                after + 2 < len(views) and mine[after + 1] == "Draw upcard"):
            # The card under the opponent's discard (or under nothing, after a knock)
            # shows: the player's discard if the opponent drew from the stock.
            shown = nxt["upcard"] if nxt["phase"] == "layoff" else views[after + 2]["upcard"]
            return "stock" if shown == card else "upcard"
        for top, kind, melds in sightings[after + 1:]:
            if card in melds or (card == top and kind == "after_opponent"):
                return "upcard"
            if card == top:
                return "stock"
        return "free"

    def opponent_moves(view):
        if view["phase"] == "layoff":
            return [("knock", list(view["melds"]))]
        if view["phase"] == "draw":
            return [("discard", view["upcard"])]
        return []

    steps = []
    if me == 0:  # player 1 spoke first
        if views[0]["phase"] != "first_turn":
            steps += [("first", "Draw upcard")] + opponent_moves(views[0])
        else:
            steps.append(("first", "Pass"))
    steps.append(("check", False))
    for j, action in enumerate(mine):
        if j + 1 == len(views):
            steps.append(("me", action, None, views[j]["phase"]))
            break
        view, nxt = views[j], views[j + 1]
        new = set(nxt["hand"]) - set(view["hand"])
        if action == "Draw stock":
            steps.append(("me", action, new.pop(), view["phase"]))
        elif action == "Pass" and me == 1:
            steps.append(("me", action, None, view["phase"]))
            if nxt["phase"] == "discard":  # player 0 passed too: the stock card is ours
                steps += [("first", "Pass"), ("auto", 1, new.pop())]
            else:
                steps += [("first", "Draw upcard")] + opponent_moves(nxt)
        elif action == "Pass":
            steps += [("me", action, None, view["phase"]), ("auto", 1, None)]
            steps += opponent_moves(nxt)
        elif view["phase"] == "discard" and action != "Action: Knock":
            card = action[len("Action: "):]
            steps.append(("me", action, None, view["phase"]))
            how = "stock" if nxt["phase"] == "wall" else taken(card, j)
            steps += [("draw", how, card)] + opponent_moves(nxt)
        else:
            steps.append(("me", action, None, view["phase"]))
        steps.append(("check", nxt["phase"] == "wall"))
    return steps


def _meld_cards(names):
    return [name[i:i + 2] for name in names for i in range(0, len(name), 2)]


def _choose_free_draws(steps, upcard, prefer_stock):
    """Decide the free draws, uniformly among the choices that keep the stock count
    right at every observation and leave the opponent enough unseen cards for those it
    shows; or, with ``prefer_stock``, from the stock whenever possible (a knocker's
    hand must stay low, and a card it drew from the stock can be any low card, while a
    card it took from the discards is known). ``upcard`` is the first upcard, None when
    the player never saw it. Returns one decision per free draw, True for the stock."""
    events = []     # (kind, fixed stock draws so far, the opponent's unseen cards left)
    fixed = 0       # stock draws that are not free
    unseen = HAND_SIZE  # cards the opponent holds that the player has not seen
    held = set()    # cards the opponent holds that the player has seen
    for step in steps:
        if step[0] == "first" and step[1] == "Draw upcard":
            if upcard is None:
                unseen += 1
            else:
                held.add(upcard)
        elif step[0] == "me" and step[1] == "Draw stock" or step[0] == "auto":
            fixed += 1
            unseen += step[0] == "auto" and step[2] is None
        elif step[0] == "draw" and step[1] == "stock":
            fixed += 1
            unseen += 1
        elif step[0] == "draw" and step[1] == "upcard":
            held.add(step[2])
        elif step[0] == "draw":
            events.append(("free", fixed, unseen))
        elif step[0] in ("discard", "knock"):
            for card in [step[1]] if step[0] == "discard" else _meld_cards(step[1]):
                if card in held:
                    held.discard(card)
                else:
                    unseen -= 1
            events.append(("shown", fixed, unseen))
        elif step[0] == "check":
            events.append(("wall" if step[1] else "check", fixed, unseen))

    @functools.lru_cache(maxsize=None)
    def ways(i, free_stock):
        """The number of valid choices for the free draws from event i on."""
        if i == len(events):
            return 1
        kind, fixed_draws, left = events[i]
        if kind == "free":
            return ways(i + 1, free_stock) + ways(i + 1, free_stock + 1)
        if (kind == "shown" and left + free_stock < 0
                or kind == "check" and fixed_draws + free_stock > 29
                or kind == "wall" and fixed_draws + free_stock != 30):
            return 0
        return ways(i + 1, free_stock)

    decisions, free_stock = [], 0
    for i, (kind, _, _) in enumerate(events):
        if kind == "free":
            if prefer_stock:
                stock = ways(i + 1, free_stock + 1) > 0
            else:
                stock = random.random() * ways(i, free_stock) >= ways(i + 1, free_stock)
            decisions.append(stock)
            free_stock += stock
    return decisions


def _knock_hand(known, count, pool):
    """``count`` cards from ``pool`` that, with the knocker's ``known`` cards (declared
    or not), make an 11-card hand with at most 10 deadwood, so that it could knock: a
    search over sets of melds using pool cards, in random order, topped up with the
    lowest cards."""
    in_pool = set(pool)
    melds = [meld for meld in _melds(pool + known) if in_pool & set(meld)]
    random.shuffle(melds)
    pool = random.sample(pool, len(pool))
    pool.sort(key=VALUES.get)  # the lowest cards first, in random order among equals
    budget = [2000]

    def search(start, used):
        budget[0] -= 1
        taken = [c for c in used if c in in_pool]
        if len(taken) > count or budget[0] < 0:
            return None
        fill = [c for c in pool if c not in used][:count - len(taken)]
        if _deadwood(frozenset(known + taken + fill)) <= KNOCK_LIMIT:
            return taken + fill
        for i in range(start, len(melds)):
            if not used & set(melds[i]):
                found = search(i + 1, used | set(melds[i]))
                if found is not None:
                    return found
        return None

    found = search(0, frozenset())
    if found is None:
        raise ValueError("no hand found that lets the opponent knock")
    return found


def _plan_knock(steps, upcard, seen):
    """For an opponent that knocks: the cards of its hand the player never saw, chosen
    so that it could knock, and the steps with the free draws of the discards it must
    have taken (to hold them when it knocks) made draws of the upcard."""
    held = set()  # the seen cards the opponent holds
    for step in steps:
        if step == ("first", "Draw upcard") and upcard is not None:
            held.add(upcard)
        elif step[0] == "draw" and step[1] == "upcard":
            held.add(step[2])
        elif step[0] == "discard":
            held.discard(step[1])
        elif step[0] == "knock":
            declared = _meld_cards(step[1])
    known = declared + sorted(held - set(declared))
    free = [step[2] for step in steps if step[0] == "draw" and step[1] == "free"]
    unseen = [card for card in DECK if card not in seen]
    chosen = _knock_hand(known, 11 - len(known), unseen + free)
    steps = [("draw", "upcard", step[2]) if step[0] == "draw" and step[1] == "free"
             and step[2] in chosen else step for step in steps]
    return [card for card in chosen if card not in free], steps


def _sample(views, mine, me):
    """One consistent history: replay the timeline with the opponent's unseen cards as
    numbered placeholders, name each placeholder when the card shows, then deal the
    cards nobody saw at random."""
    steps = _timeline(views, mine, me)
    upcard = views[0]["upcard"] if me == 1 or steps[0] == ("first", "Pass") else None
    seen = {card for view in views for card in view["hand"] + _meld_cards(view["melds"])}
    seen |= {view["upcard"] for view in views if view["upcard"]}
    knocks = any(step[0] == "knock" for step in steps)
    if knocks:
        reserved, steps = _plan_knock(steps, upcard, seen)
    decisions = iter(_choose_free_draws(steps, upcard, knocks))
    slots = {}              # hidden card number -> the card chosen for it
    count = HAND_SIZE + 1   # numbers 0-9: the opponent's dealt hand, 10: the upcard
    opponent = list(range(HAND_SIZE))  # seen cards as strings, hidden ones as numbers
    pile = [upcard if upcard is not None else HAND_SIZE]
    stock = []              # the stock's cards in the order they were drawn
    actions = []

    def hidden():
        nonlocal count
        count += 1
        return count - 1

    def shows(card):
        """The opponent plays ``card``: a seen card it holds, or one of its hidden ones."""
        if card in opponent:
            opponent.remove(card)
            return
        numbers = [x for x in opponent if isinstance(x, int)]
        if not numbers:
            raise ValueError("the opponent holds no unseen card")
        number = random.choice(numbers)
        slots[number] = card
        opponent.remove(number)

    for step in steps:
        kind = step[0]
        if kind == "me":
            _, action, drawn, phase = step
            actions.append(action)
            if action == "Draw stock":
                stock.append(drawn if drawn is not None else hidden())
            elif action == "Draw upcard":
                pile.pop()
            elif phase == "discard" and action != "Action: Knock":
                pile.append(action[len("Action: "):])
        elif kind == "first":
            actions.append(step[1])
            if step[1] == "Draw upcard":
                opponent.append(pile.pop())
        elif kind == "auto":
            card = step[2] if step[2] is not None else hidden()
            stock.append(card)
            if step[2] is None:
                opponent.append(card)
        elif kind == "draw":
            how = step[1] if step[1] != "free" else ("stock" if next(decisions) else "upcard")
            if how == "upcard":
                actions.append("Draw upcard")
                opponent.append(pile.pop())
            else:
                actions.append("Draw stock")
                stock.append(hidden())
                opponent.append(stock[-1])
        elif kind == "discard":
            shows(step[1])
            pile.append(step[1])
            actions.append(f"Action: {step[1]}")
        elif kind == "knock":
            actions.append("Action: Knock")
            for card in _meld_cards(step[1]):
                shows(card)
            actions += [f"Action: {name}" for name in step[1]]
            numbers = [x for x in opponent if isinstance(x, int)]
            if len(numbers) != len(reserved):
                raise ValueError("the knocker's hand does not fit the planned one")
            slots.update(zip(numbers, reserved))
            actions.append("Action: Done")

    # Every hidden card still free gets a card nobody has seen, and so does the rest of
    # the stock; the player's own ten cards keep the order its first discard showed.
    pool = [c for c in DECK if c not in seen and c not in slots.values()]
    random.shuffle(pool)
    needed = list(range(HAND_SIZE)) + ([HAND_SIZE] if upcard is None else []) + [
        x for x in stock if isinstance(x, int)]
    for number in needed:
        if number not in slots:
            slots[number] = pool.pop()
    stock = [slots[x] if isinstance(x, int) else x for x in stock]
    stock += pool[:len(DECK) - 2 * HAND_SIZE - 1 - len(stock)]
    mine_dealt = list(views[0]["hand"])
    random.shuffle(mine_dealt)
    for view in views:
        if view["phase"] == "discard":
            mine_dealt = [a[len("Action: "):] for a in view["legal"]][:HAND_SIZE]
            break
    theirs = [slots[number] for number in range(HAND_SIZE)]
    hands = [mine_dealt, theirs] if me == 0 else [theirs, mine_dealt]
    first = upcard if upcard is not None else slots[HAND_SIZE]
    deal = hands[0] + hands[1] + [first] + stock
    return [f"deal:{card}" for card in deal] + actions


def resample_history(obs_action_history, player_id):
    """A random deal and opponent play consistent with what the player saw and did (see
    the comment above _timeline); a few tries, as a knocking opponent's unseen cards are
    found by a random search."""
    views = [observation for observation, _ in obs_action_history]
    mine = [action for _, action in obs_action_history]
    for _ in range(20):
        try:
            return _sample(views, mine, player_id)
        except ValueError:
            continue
    raise ValueError("no consistent history found")
