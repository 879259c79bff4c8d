"""Two-player Hanabi (2 colours, ranks 1-3) as a game code world model.

The deck has 12 physical cards: in each colour (R, Y) three 1s, two 2s and one 3,
named like "R1a", "R1b", "R2a", "Y3a". Each hand holds 3 cards. The state keeps
the deck as the set of cards not yet drawn (a draw is a uniform chance outcome over
it), both hands with what each card's owner knows about it (the colours and ranks
it can still have, as strings like "RY" and "123"), and a log of events, one string
each, that the observations filter for each player.
"""

import itertools
import random

COLOURS = "RY"
RANKS = "123"
COPIES = {"1": "abc", "2": "ab", "3": "a"}
ALL_CARDS = [f"{c}{r}{x}" for c in COLOURS for r in RANKS for x in COPIES[r]]
HAND_SIZE = 3
MAX_HINTS = 8
MAX_FUSES = 3
MAX_SCORE = len(COLOURS) * len(RANKS)


def _kind(card):
    """The colour and rank of a physical card, e.g. "R1b" -> "R1"."""
    return card[:2]


def get_initial_state():
    return {
        "deck": list(ALL_CARDS),
        # each held card: its identity and what its owner knows (possible colours/ranks)
        "hands": [[], []],
        "fireworks": {c: 0 for c in COLOURS},  # height of each firework
        "discards": [],
        "hints": MAX_HINTS,
        "fuses": MAX_FUSES,
        "to_move": 0,
        "deal_to": 0,        # who receives the next card; None when no draw is pending
        "turns_left": None,  # set to 2 when the last card is drawn
        "log": [],
    }


def _score(state):
    # running out of fuses loses everything
    return 0 if state["fuses"] == 0 else sum(state["fireworks"].values())


def _is_over(state):
    return (state["fuses"] == 0 or sum(state["fireworks"].values()) == MAX_SCORE
            or state["turns_left"] == 0)


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
        return [f"deal {card}" for card in sorted(state["deck"])]
    size = len(state["hands"][player])
    actions = []
    if state["hints"] < MAX_HINTS:  # discarding is only allowed to win back a hint token
        actions += [f"discard {i}" for i in range(size)]
    actions += [f"play {i}" for i in range(size)]
    if state["hints"] > 0:
        # a hint must point at least one card of the partner's hand
        partner = [h["card"] for h in state["hands"][1 - player]]
        actions += [f"hint colour {c}" for c in COLOURS if any(k[0] == c for k in partner)]
        actions += [f"hint rank {r}" for r in RANKS if any(k[1] == r for k in partner)]
    return actions


def _deal(new, card):
    receiver = new["deal_to"]
    new["deck"].remove(card)
    new["hands"][receiver].append(
        {"card": card, "colours": COLOURS, "ranks": RANKS})
    new["log"].append(f"deal {_kind(card)} to {receiver}")
    if len(new["deck"]) == 0:
        new["turns_left"] = 2  # each player gets one more turn
    if len(new["log"]) < 2 * HAND_SIZE:
        # still in the opening deal (the log holds only deals): 3 cards to player 0, then 3 to 1
        new["deal_to"] = 0 if len(new["hands"][0]) < HAND_SIZE else 1
    else:
        new["deal_to"] = None


def _hint(new, player, kind, value):
    """Point out every partner card of one colour or rank; the others lose that option."""
    key, place = ("colours", 0) if kind == "colour" else ("ranks", 1)
    touched = []
    for i, held in enumerate(new["hands"][1 - player]):
        if held["card"][place] == value:
            held[key] = value
            touched.append(str(i))
        else:
            held[key] = held[key].replace(value, "")
    new["hints"] -= 1
    new["log"].append(f"{player} hint {kind} {value} points {','.join(touched)}")


def _play_or_discard(new, player, verb, index):
    card = _kind(new["hands"][player].pop(index)["card"])
    colour, rank = card[0], int(card[1])
    outcome = ""
    if verb == "play" and new["fireworks"][colour] == rank - 1:
        new["fireworks"][colour] = rank
        outcome = " succeeds"
        if rank == len(RANKS) and new["hints"] < MAX_HINTS:
            new["hints"] += 1  # completing a firework wins back a hint token
    else:
        if verb == "play":
            new["fuses"] -= 1
            outcome = " fails"
        else:
            new["hints"] += 1
        new["discards"].append(card)
    new["log"].append(f"{player} {verb} {index} {card}{outcome}")
    if new["deck"]:
        new["deal_to"] = player  # the mover draws a replacement


def _copy(state):
    """A copy sharing nothing mutable with the original (cheaper than copy.deepcopy)."""
    new = dict(state)
    for key in ("deck", "discards", "log"):
        new[key] = list(state[key])
    new["hands"] = [[dict(card) for card in hand] for hand in state["hands"]]
    new["fireworks"] = dict(state["fireworks"])
    return new


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = _copy(state)
    words = action.split()
    if words[0] == "deal":
        _deal(new, words[1])
        return new
    player = state["to_move"]
    if words[0] == "hint":
        _hint(new, player, words[1], words[2])
    else:
        _play_or_discard(new, player, words[0], int(words[1]))
    if new["turns_left"] is not None:
        new["turns_left"] -= 1
    new["to_move"] = 1 - player
    return new


def get_rewards(state):
    score = float(_score(state))
    return [score, score]


def _view_of(state, player):
    """A player sees its partner's cards and every public event, but not its own cards."""
    hidden = f" to {player}"
    log = [f"deal ?{hidden}" if event.startswith("deal") and event.endswith(hidden) else event
           for event in state["log"]]
    own = [{"colours": h["colours"], "ranks": h["ranks"]} for h in state["hands"][player]]
    partner = [{"card": _kind(h["card"]), "colours": h["colours"], "ranks": h["ranks"]}
               for h in state["hands"][1 - player]]
    return {
        "player": player,
        "to_move": get_current_player(state),
        "my_hand": own,
        "partner_hand": partner,
        "fireworks": dict(state["fireworks"]),
        "discards": list(state["discards"]),
        "hints": state["hints"],
        "fuses": state["fuses"],
        "deck_size": len(state["deck"]),
        "turns_left": state["turns_left"],
        "log": log,
    }


def get_observations(state):
    return [_view_of(state, p) for p in range(2)]


def resample_history(obs_action_history, player_id):
    """Rebuild the history from the public log of the player's latest observation.

    Every move and every card drawn by the partner is in that log; only the cards
    drawn by the player itself are hidden. Those later played or discarded are
    revealed by the log; those still held are drawn uniformly among the unseen
    physical cards that agree with the hints the player received about them.
    """
    last_obs, last_action = obs_action_history[-1]
    log = [event.split() for event in last_obs["log"]]
    kinds = [None] * len(log)  # the kind of card drawn at each draw event, when known
    held = []                  # indices of the draws still in the player's hand
    for i, words in enumerate(log):
        if words[0] == "deal":
            if words[1] == "?":
                held.append(i)
            else:
                kinds[i] = words[1]
        elif words[0] == str(player_id) and words[1] in ("play", "discard"):
            kinds[held.pop(int(words[2]))] = words[3]

    # give the known cards physical copies, then draw the held ones from the rest
    unused = list(ALL_CARDS)
    physical = [None] * len(log)
    for i, kind in enumerate(kinds):
        if kind is not None:
            physical[i] = next(c for c in unused if _kind(c) == kind)
            unused.remove(physical[i])
    fits = [
        combo for combo in itertools.permutations(unused, len(held))
        if all(card[0] in known["colours"] and card[1] in known["ranks"]
               for card, known in zip(combo, last_obs["my_hand"], strict=True))
    ]
    for i, card in zip(held, random.choice(fits), strict=True):
        physical[i] = card

    # a move event "P verb ..." replays as "verb i" or "hint kind value"
    actions = [f"deal {physical[i]}" if words[0] == "deal"
               else " ".join(words[1:4] if words[1] == "hint" else words[1:3])
               for i, words in enumerate(log)]
    return actions + [last_action]
