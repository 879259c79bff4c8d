"""Gin rummy on a short deck (ranks A-7 in four suits, 7-card hands) as a game code world model.

Cards are strings like "As", "7h": rank A, 2..7 then suit s, c, d, h. The state keeps
the cards not yet dealt (each deal is a uniform chance outcome over them), both hands,
the discard pile (its last card is the upcard), the phase of the turn, and a log of
events ("deal 5s to 0; upcard 2h; 0 draw upcard 2h; 0 discard 7c; ..."), kept as one
string because it is copied at every step, that the observations filter for each
player. After a knock the lay-out is not played move by move: both players are
assumed to lay out perfectly and the hand is scored at once.
"""

import functools
import itertools
import random
import re

RANKS = "A234567"
SUITS = "scdh"
DECK = [r + s for s in SUITS for r in RANKS]
HAND_SIZE = 7
KNOCK_LIMIT = 7       # the most deadwood a knocker may keep
GIN_BONUS = 25
UNDERCUT_BONUS = 25
WALL = 2              # the stock is never drawn below this many cards
MAX_UPCARD_DRAWS = 50


def _rank(card):
    return RANKS.index(card[0]) + 1


def _value(cards):
    return sum(_rank(c) for c in cards)


def _melds(cards):
    """Every meld among the cards: 3 or 4 of a rank, or 3+ consecutive cards of a suit."""
    held = set(cards)
    found = []
    for rank in RANKS:
        same = [rank + suit for suit in SUITS if rank + suit in held]
        for size in range(3, len(same) + 1):
            found += [frozenset(m) for m in itertools.combinations(same, size)]
    for suit in SUITS:
        for low in range(len(RANKS) - 2):
            run = []
            for rank in RANKS[low:]:
                if rank + suit not in held:
                    break
                run.append(rank + suit)
                if len(run) >= 3:
                    found.append(frozenset(run))
    return found


def _arrangements(cards):
    """Every way to pick disjoint melds from the cards (the empty choice included)."""
    melds = _melds(cards)

    def extend(start, used, chosen):
        yield chosen
        for i in range(start, len(melds)):
            if not melds[i] & used:
                yield from extend(i + 1, used | melds[i], chosen + [melds[i]])

    return list(extend(0, frozenset(), []))


def _deadwood(cards):
    """The least deadwood of a hand."""
    return min(_value(set(cards).difference(*a)) for a in _arrangements(cards))


@functools.lru_cache(maxsize=200_000)
def _deadwood_after_discard(hand):
    """For an 8-card hand (a sorted tuple), the least deadwood left after discarding each
    card: {card: deadwood}. The arrangements of the 7 cards kept are exactly those of
    the whole hand that leave the discarded card out of the melds."""
    total = _value(hand)
    best = {}
    for melds in _arrangements(hand):
        used = frozenset().union(*melds)
        for card in hand:
            if card not in used:
                left = total - _value(used) - _rank(card)
                best[card] = min(best.get(card, left), left)
    return best


def _knock_discards(hand):
    """The cards the player may discard after knocking: those leaving at most
    KNOCK_LIMIT deadwood."""
    after = _deadwood_after_discard(tuple(sorted(hand)))
    return [card for card in hand if after[card] <= KNOCK_LIMIT]


def _fits(card, meld):
    """Whether a card can be laid off on a meld: the missing card of a set, or the next
    card of a run's suit at either end."""
    if len({c[0] for c in meld}) == 1:
        return card[0] == meld[0][0]
    ranks = [_rank(c) for c in meld]
    return card[1] == meld[0][1] and _rank(card) in (min(ranks) - 1, max(ranks) + 1)


def _after_lay_off(cards, melds):
    """The least deadwood left in cards after laying off on the melds (lists of cards).

    Where to lay a card off matters (a 4 may complete a set of 4s or extend a run that
    a 5 could then extend too), so every choice is tried.
    """
    best = _value(cards)
    for card in cards:
        for i, meld in enumerate(melds):
            if _fits(card, meld):
                grown = melds[:i] + [meld + [card]] + melds[i + 1:]
                best = min(best, _after_lay_off([c for c in cards if c != card], grown))
    return best


def _knock_score(knocker_hand, defender_hand):
    """The knocker's payoff when both lay out perfectly.

    The knocker chooses melds leaving at most KNOCK_LIMIT deadwood; the defender then
    lays off onto them (not after gin) and melds its other cards to keep as little
    deadwood as it can. The knocker picks the melds that score best for it.
    """
    defender_options = _arrangements(defender_hand)
    scores = []
    for melds in _arrangements(knocker_hand):
        knocker = _value(set(knocker_hand).difference(*melds))
        if knocker > KNOCK_LIMIT:
            continue
        if knocker == 0:
            score = GIN_BONUS + _deadwood(defender_hand)
        else:
            defender = min(
                _after_lay_off(sorted(set(defender_hand).difference(*own)),
                               [sorted(m) for m in melds])
                for own in defender_options)
            if defender <= knocker:  # undercut
                score = -(UNDERCUT_BONUS + knocker - defender)
            else:
                score = defender - knocker
        scores.append(score)
    return max(scores)


def get_initial_state():
    return {
        "deck": list(DECK),          # cards not dealt yet: the stock is drawn from these
        "hands": [[], []],
        "discards": [],              # the discard pile; its last card is the upcard
        # deal, first_upcard, first_draw, draw, stock, discard, knock_discard or over
        "phase": "deal",
        "to_move": 0,
        "drawn_upcard": None,        # the upcard taken this turn, if any
        "repeated": False,           # the previous turn took the upcard and discarded it
        "upcard_draws": 0,
        "payoffs": [0, 0],
        "log": "",                   # events separated by "; "
    }


def get_current_player(state):
    if state["phase"] == "over":
        return -4
    if state["phase"] in ("deal", "stock"):
        return -1
    return state["to_move"]


def get_player_name(player_id):
    return f"player {player_id}"


def _by_deck_order(cards):
    return sorted(cards, key=DECK.index)


def get_legal_actions(state):
    phase = state["phase"]
    if phase == "over":
        return []
    if phase in ("deal", "stock"):
        return [f"deal {c}" for c in _by_deck_order(state["deck"])]
    hand = state["hands"][state["to_move"]]
    if phase == "first_upcard":
        return ["draw upcard", "pass"]
    if phase == "first_draw":  # both passed the first upcard: player 0 draws from the stock
        return ["draw stock"]
    if phase == "draw":
        return ["draw upcard", "draw stock"]
    if phase == "discard":
        actions = [f"discard {c}" for c in _by_deck_order(hand)]
        return actions + ["knock"] if _knock_discards(hand) else actions
    if phase == "wall":  # the stock is down to the wall: take the upcard to knock, or stop
        upcard = state["discards"][-1]
        return ["pass", "knock"] if _knock_discards(hand + [upcard]) else ["pass"]
    # knock_discard: only discards that leave a hand the knocker can lay out
    return [f"discard {c}" for c in _by_deck_order(_knock_discards(hand))]


def _record(new, event):
    new["log"] = f"{new['log']}; {event}" if new["log"] else event


def _deal(new, card):
    new["deck"].remove(card)
    if new["phase"] == "stock":    # a draw from the stock
        receiver = new["to_move"]
        new["phase"] = "discard"
    elif len(new["hands"][1]) == HAND_SIZE:  # the deal ends by turning up the first upcard
        new["discards"].append(card)
        _record(new, f"upcard {card}")
        new["phase"] = "first_upcard"
        return
    else:                          # the deal: seven cards to player 0, then seven to player 1
        receiver = 0 if len(new["hands"][0]) < HAND_SIZE else 1
    new["hands"][receiver].append(card)
    _record(new, f"deal {card} to {receiver}")


def _end_turn(new, player, card):
    """The discard ends the turn: check for a repeated move and the wall, then pass the turn."""
    repeat = new["drawn_upcard"] == card
    new["drawn_upcard"] = None
    if repeat and new["repeated"]:
        new["phase"] = "over"   # a drawn hand: payoffs stay 0
        return
    new["repeated"] = repeat
    new["to_move"] = 1 - player
    new["phase"] = "wall" if len(new["deck"]) <= WALL else "draw"


def _copy(state):
    """A copy sharing nothing mutable with the original (cheaper than copy.deepcopy)."""
    new = dict(state)
    for key in ("deck", "discards", "payoffs"):
        new[key] = list(state[key])
    new["hands"] = [list(hand) for hand in state["hands"]]
    return new


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = _copy(state)
    if state["phase"] in ("deal", "stock"):
        _deal(new, action.split()[1])
        return new
    player = state["to_move"]
    hand = new["hands"][player]
    if action != "draw upcard":
        _record(new, f"{player} {action}")
    if action == "pass" and state["phase"] == "wall":
        new["phase"] = "over"   # nobody knocked before the wall: a drawn hand
    elif action == "pass":
        # player 0 may pass the first upcard to player 1; if both pass, player 0 draws
        new["to_move"] = 1 - player
        new["phase"] = "first_draw" if player == 1 else "first_upcard"
    elif action == "draw upcard":
        card = new["discards"].pop()
        hand.append(card)
        _record(new, f"{player} draw upcard {card}")
        new["drawn_upcard"] = card
        new["upcard_draws"] += 1
        # endless swapping of discards is cut off: a drawn hand
        new["phase"] = "over" if new["upcard_draws"] > MAX_UPCARD_DRAWS else "discard"
    elif action == "draw stock":
        new["phase"] = "stock"
    elif action == "knock":
        if state["phase"] == "wall":  # knocking at the wall takes the upcard first
            hand.append(new["discards"].pop())
        new["phase"] = "knock_discard"
    else:
        card = action.split()[1]
        hand.remove(card)
        new["discards"].append(card)
        if state["phase"] == "knock_discard":
            score = _knock_score(hand, new["hands"][1 - player])
            new["payoffs"][player], new["payoffs"][1 - player] = score, -score
            new["phase"] = "over"
        else:
            _end_turn(new, player, card)
    return new


def get_rewards(state):
    return [float(p) for p in state["payoffs"]]


def _view_of(state, player):
    """A player sees its own cards and the public events; the opponent's cards drawn
    from the stock or dealt stay hidden until the game ends after a knock."""
    opponent = 1 - player
    log = re.sub(rf"deal \w\w to {opponent}\b", f"deal ? to {opponent}", state["log"])
    knocked = state["phase"] == "over" and any(state["payoffs"])  # a knock never scores 0
    return {
        "player": player,
        "to_move": get_current_player(state),
        "phase": state["phase"],
        "hand": _by_deck_order(state["hands"][player]),
        "opponent_hand": (_by_deck_order(state["hands"][1 - player]) if knocked
                          else len(state["hands"][1 - player])),
        "discards": list(state["discards"]),
        "stock_size": len(state["deck"]),
        "payoffs": list(state["payoffs"]),
        "log": log,
    }


def get_observations(state):
    return [_view_of(state, p) for p in range(2)]


def resample_history(obs_action_history, player_id):
    """Rebuild the history from the log of the player's latest observation.

    Only the opponent's cards from the deal and the stock are hidden. Each card the
    opponent later discarded without having taken it from the pile must have come from
    one of those hidden deals before the discard; it is given the earliest such deal
    still free. The other hidden deals get random cards the player has not seen.
    """
    last_obs, last_action = obs_action_history[-1]
    log = [event.split() for event in last_obs["log"].split("; ")]
    opponent = str(1 - player_id)
    hidden = [i for i, words in enumerate(log) if words[:2] == ["deal", "?"]]
    known = {w[1] for w in log if w[0] in ("deal", "upcard") and w[1] != "?"}
    taken = set()                  # cards the opponent holds from the discard pile
    dealt = {}                     # hidden deal index -> card
    for i, words in enumerate(log):
        if words[0] != opponent:
            continue
        if words[1:3] == ["draw", "upcard"]:
            taken.add(words[3])
        elif words[1] == "discard":
            card = words[2]
            if card in taken:
                taken.discard(card)
            else:
                dealt[next(j for j in hidden if j < i and j not in dealt)] = card
            known.add(card)
    unseen = [c for c in DECK if c not in known and c not in last_obs["hand"]]
    free = [j for j in hidden if j not in dealt]
    dealt.update(zip(free, random.sample(unseen, len(free)), strict=True))

    actions = []
    for i, words in enumerate(log):
        if words[0] in ("deal", "upcard"):
            actions.append(f"deal {dealt.get(i, words[1])}")
        elif words[1] == "draw":
            actions.append(" ".join(words[1:3]))
        else:
            actions.append(" ".join(words[1:]))
    return actions + [last_action]
