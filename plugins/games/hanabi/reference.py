"""Two-player Hanabi with the full 50-card deck as a game code world model.

Five colours (R, Y, G, B, W); in each, three 1s, two each of 2, 3 and 4, and one 5.
Cards are named by colour and rank, "R1" to "W5"; copies of a kind are interchangeable,
so the deck is kept as a count per kind and a chance outcome names a kind,
"deal:R,1": every kind still in the deck is one equally likely outcome, whatever its
number of copies. The state holds both hands (oldest card first), the stacks, the
discard pile, the clue and life counts, whose turn it is, who receives the pending
draw and, once the final round has begun, how many turns are left.
"""

import random

COLOURS = "RYGBW"
RANKS = "12345"
COPIES = {"1": 3, "2": 2, "3": 2, "4": 2, "5": 1}
KINDS = [c + r for c in COLOURS for r in RANKS]
HAND_SIZE = 5
MAX_CLUES = 8
LIVES = 3


def get_initial_state():
    return {
        "deck": {kind: COPIES[kind[1]] for kind in KINDS},
        "hands": [[], []],
        "stacks": {c: 0 for c in COLOURS},
        "discards": [],
        "clues": MAX_CLUES,
        "lives": LIVES,
        "to_move": 0,
        "deal_to": 0,        # who gets the pending draw; None when no draw is due
        "turns_left": None,  # turns left in the final round, once it has begun
    }


def _deck_size(state):
    return sum(state["deck"].values())


def _is_over(state):
    return (state["lives"] < 0 or state["turns_left"] == 0
            or all(height == 5 for height in state["stacks"].values()))


def get_current_player(state):
    if _is_over(state):
        return -4
    if state["deal_to"] is not None:
        return -1
    return state["to_move"]


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return sorted(f"deal:{kind[0]},{kind[1]}" for kind, n in state["deck"].items() if n)
    size = len(state["hands"][player])
    actions = [f"Play {i}" for i in range(size)]
    if state["clues"] < MAX_CLUES:
        actions += [f"Discard {i}" for i in range(size)]
    if state["clues"] > 0:
        # a reveal must point at a colour or rank the partner holds
        partner = 1 - player
        held = state["hands"][partner]
        actions += [f"Reveal color {partner} {c}" for c in COLOURS
                    if any(card[0] == c for card in held)]
        actions += [f"Reveal rank {partner} {r}" for r in RANKS
                    if any(card[1] == r for card in held)]
    return actions


def _copy(state):
    new = dict(state)
    new["deck"] = dict(state["deck"])
    new["hands"] = [list(hand) for hand in state["hands"]]
    new["stacks"] = dict(state["stacks"])
    new["discards"] = list(state["discards"])
    return new


def _deal(state, kind):
    """Give one card of ``kind`` from the deck to the pending receiver, in place."""
    state["deck"][kind] -= 1
    state["hands"][state["deal_to"]].append(kind)
    if 50 - _deck_size(state) < 2 * HAND_SIZE:
        # the opening deal: five cards to player 0, then five to player 1
        state["deal_to"] = 0 if len(state["hands"][0]) < HAND_SIZE else 1
    else:
        state["deal_to"] = None


def _move(state, action):
    """Carry out a player's action in place (its legality is checked by the caller)."""
    player = state["to_move"]
    verb, rest = action.split(" ", 1)
    if verb == "Reveal":
        state["clues"] -= 1  # a reveal only spends a clue: nothing about it is recorded
    else:
        card = state["hands"][player].pop(int(rest))
        if verb == "Discard":
            state["clues"] += 1
            state["discards"].append(card)
        elif state["stacks"][card[0]] == int(card[1]) - 1:
            state["stacks"][card[0]] += 1
        else:
            state["lives"] -= 1
            state["discards"].append(card)
    if state["turns_left"] is not None:
        state["turns_left"] -= 1
    elif verb != "Reveal":
        if _deck_size(state):
            state["deal_to"] = player  # the player draws a replacement
        else:
            state["turns_left"] = 1    # the deck is out: the partner has one more turn
    state["to_move"] = 1 - player


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = _copy(state)
    if action.startswith("deal:"):
        colour, rank = action[len("deal:"):].split(",")
        _deal(new, colour + rank)
    else:
        _move(new, action)
    return new


def get_rewards(state):
    score = 0.0 if state["lives"] < 0 else float(sum(state["stacks"].values()))
    return [score, score]


def _view(state, player):
    """What a player sees: everything public and its partner's hand, of its own hand
    only the number of cards."""
    return {
        "stacks": dict(state["stacks"]),
        "discards": list(state["discards"]),
        "clues": state["clues"],
        "lives": state["lives"],
        "partner_hand": list(state["hands"][1 - player]),
        "hand_size": len(state["hands"][player]),
        "deck_size": _deck_size(state),
        "to_move": get_current_player(state),
        "game_over": _is_over(state),
    }


def get_observations(state):
    return [_view(state, p) for p in range(2)]


def _deal_action(kind):
    return f"deal:{kind[0]},{kind[1]}"


def _shadow_turn(shadow, me, action, kind, seen):
    """Play on from the player's turn in the shadow: its ``action`` (the card it plays
    or discards being of ``kind``), its draw, the partner's action and the partner's
    draw, the partner's part being read off the player's next observation ``seen``.
    Returns the new shadow and the actions after the player's own, with ("slot",) for
    the player's draw and ("reveal",) for a reveal by the partner; None when this does
    not lead to ``seen``."""
    new = _copy(shadow)
    if kind is not None:
        new["hands"][me][int(action.split()[1])] = kind
    _move(new, action)
    after = []
    if new["deal_to"] == me:
        _deal(new, "?")
        after.append(("slot",))
    partner = 1 - me
    change = seen["clues"] - new["clues"]  # -1: a reveal, +1: a discard, 0: a play
    if change == -1:
        _move(new, f"Reveal color {me} R")  # which reveal is chosen later
        after.append(("reveal",))
    else:
        hand = new["hands"][partner]
        fits = [j for j in range(len(hand))
                if seen["partner_hand"][:len(hand) - 1] == hand[:j] + hand[j + 1:]]
        if not fits:
            return None
        after.append(f"{'Discard' if change == 1 else 'Play'} {random.choice(fits)}")
        _move(new, after[-1])
    if new["deal_to"] == partner:
        _deal(new, "?")
        new["hands"][partner][-1] = seen["partner_hand"][-1]
        after.append(_deal_action(seen["partner_hand"][-1]))
    if _view(new, me) != seen:
        return None
    return new, after


def _opening(first, me):
    """The opening deal and, for player 1, player 0's first action, as seen at the
    player's first turn: (player 0's hand as dealt, player 0's action or None)."""
    hand = first["partner_hand"]
    if me == 0:
        return hand, None
    if first["clues"] < MAX_CLUES:
        return hand, ("reveal",)
    # Player 0 played (it could not discard with every clue left) and drew its fifth
    # card; the played card can have been at any place of its hand.
    played = (first["discards"] or [c + "1" for c in COLOURS if first["stacks"][c]])[0]
    index = random.randrange(HAND_SIZE)
    return hand[:index] + [played] + hand[index:HAND_SIZE - 1], f"Play {index}"


def resample_history(obs_action_history, player_id):
    """Replay the game in a shadow state where the player's own cards are unknown ("?")
    and the deck holds only unknown cards. Each observation of the player fixes what
    happened since its previous turn: the partner's actions and draws show, and the
    kind of a card the player played or discarded is read off the stacks and the
    discard pile. The player's cards never seen are then drawn at random from the
    copies nobody has seen, and each reveal by the partner is chosen among those the
    player's hand allowed at the time."""
    me, partner = player_id, 1 - player_id
    views = [observation for observation, _ in obs_action_history]
    mine = [action for _, action in obs_action_history]
    shadow = get_initial_state()
    shadow["deck"] = {"?": 50}
    # Actions, where ("slot", n) is a card dealt to the player (slot n) and
    # ("reveal", slots) a reveal of the partner while the player held those slots.
    history = []
    slots = []   # the player's hand, as slot numbers
    kinds = {}   # slot number -> kind, once known
    dealt = 0

    def record(entry):
        nonlocal dealt
        if entry == ("slot",):
            slots.append(dealt)
            entry = ("slot", dealt)
            dealt += 1
        elif entry == ("reveal",):
            entry = ("reveal", tuple(slots))
        history.append(entry)

    hand, first_action = _opening(views[0], me)
    for i in range(2 * HAND_SIZE):
        receiver = shadow["deal_to"]
        _deal(shadow, "?")
        if receiver == me:
            record(("slot",))
        else:
            shadow["hands"][partner][-1] = hand[i % HAND_SIZE]
            record(_deal_action(hand[i % HAND_SIZE]))
    if first_action is not None:
        _move(shadow, first_action if first_action != ("reveal",) else "Reveal color 1 R")
        record(first_action)
        if shadow["deal_to"] == 0:
            drawn = views[0]["partner_hand"][-1]
            _deal(shadow, "?")
            shadow["hands"][0][-1] = drawn
            record(_deal_action(drawn))

    for action, seen in zip(mine, views[1:]):
        played = None if action.startswith("Reveal") else int(action.split()[1])
        options = [None]
        if played is not None:
            # a card leaving the player's hand shows on the discards or a grown stack
            options = sorted(set(seen["discards"][len(shadow["discards"]):] + [
                c + str(shadow["stacks"][c] + 1) for c in COLOURS
                if seen["stacks"][c] > shadow["stacks"][c]]))
            random.shuffle(options)
        for kind in options:
            step = _shadow_turn(shadow, me, action, kind, seen)
            if step is not None:
                break
        else:
            raise ValueError("no history is consistent with these observations")
        shadow, after = step
        record(action)
        if played is not None:
            kinds[slots.pop(played)] = kind
        for entry in after:
            record(entry)
    history.append(mine[-1])

    # Draw the player's unknown cards from the copies nobody has seen.
    unseen = {kind: COPIES[kind[1]] for kind in KINDS}
    for entry in history:
        if isinstance(entry, str) and entry.startswith("deal:"):
            unseen[entry[5] + entry[7]] -= 1
    for kind in kinds.values():
        unseen[kind] -= 1
    for slot in range(dealt):
        if slot not in kinds:
            pool = [k for k, n in unseen.items() for _ in range(n)]
            kinds[slot] = random.choice(pool)
            unseen[kinds[slot]] -= 1
    actions = []
    for entry in history:
        if isinstance(entry, str):
            actions.append(entry)
        elif entry[0] == "slot":
            actions.append(_deal_action(kinds[entry[1]]))
        else:
            held = [kinds[slot] for slot in entry[1]]
            actions.append(random.choice(
                [f"Reveal color {me} {c}" for c in COLOURS if any(k[0] == c for k in held)]
                + [f"Reveal rank {me} {r}" for r in RANKS if any(k[1] == r for k in held)]))
    return actions
