"""A small item-division negotiation as a game code world model.

Chance sets the pool (1-3 books, 1-3 hats) and each player's private values per item
(book + hat = 3). Players alternate proposals, player 0 first; a proposal names what
the proposer takes and the other player gets the rest. The player to move may accept
the standing proposal instead. After four proposals the last responder must accept or
reject. Agreement pays each player its value of its share; no agreement pays 0.
"""

import random

MAX_ITEMS = 3       # at most this many books, and as many hats
TOTAL_VALUE = 3     # a player's value of one book plus one hat
MAX_OFFERS = 4
VALUE_ACTIONS = [f"values book={b} hat={TOTAL_VALUE - b}" for b in range(TOTAL_VALUE + 1)]


def get_initial_state():
    return {
        "books": None,
        "hats": None,
        "values": [],   # per player: {"book": value, "hat": value}
        "offers": [],   # {"books": b, "hats": h} the proposer takes; proposers alternate
        "outcome": None,  # "agreed" or "rejected" once the game is over
    }


def get_current_player(state):
    if state["books"] is None or state["hats"] is None or len(state["values"]) < 2:
        return -1
    if state["outcome"] is not None:
        return -4
    return len(state["offers"]) % 2  # player 0 makes the even-numbered offers


def get_player_name(player_id):
    return f"negotiator {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if state["books"] is None:
        return [f"books {n}" for n in range(1, MAX_ITEMS + 1)]
    if state["hats"] is None:
        return [f"hats {n}" for n in range(1, MAX_ITEMS + 1)]
    if player == -1:
        return [f"p{len(state['values'])} {values}" for values in VALUE_ACTIONS]
    actions = ["accept"] if state["offers"] else []
    if len(state["offers"]) == MAX_OFFERS:
        return actions + ["reject"]
    return actions + [f"propose books={b} hats={h}"
                      for b in range(state["books"] + 1) for h in range(state["hats"] + 1)]


def _numbers(action):
    """The integers after each '=' in an action, e.g. "propose books=2 hats=0" -> [2, 0]."""
    return [int(part.split("=")[1]) for part in action.split() if "=" in part]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = {
        "books": state["books"],
        "hats": state["hats"],
        "values": [dict(v) for v in state["values"]],
        "offers": [dict(o) for o in state["offers"]],
        "outcome": state["outcome"],
    }
    if state["books"] is None:
        new["books"] = int(action.split()[1])
    elif state["hats"] is None:
        new["hats"] = int(action.split()[1])
    elif len(state["values"]) < 2:
        book, hat = _numbers(action)
        new["values"].append({"book": book, "hat": hat})
    elif action == "accept":
        new["outcome"] = "agreed"
    elif action == "reject":
        new["outcome"] = "rejected"
    else:
        books, hats = _numbers(action)
        new["offers"].append({"books": books, "hats": hats})
    return new


def get_rewards(state):
    if state["outcome"] != "agreed":
        return [0.0, 0.0]
    # The accepted offer is the last one: its proposer takes it, the other the rest.
    offer = state["offers"][-1]
    proposer = (len(state["offers"]) - 1) % 2
    shares = [None, None]
    shares[proposer] = (offer["books"], offer["hats"])
    shares[1 - proposer] = (state["books"] - offer["books"], state["hats"] - offer["hats"])
    return [float(books * state["values"][p]["book"] + hats * state["values"][p]["hat"])
            for p, (books, hats) in enumerate(shares)]


def get_observations(state):
    observations = []
    for player in (0, 1):
        mine = state["values"][player] if player < len(state["values"]) else None
        observations.append({
            "to_move": get_current_player(state),
            "books": state["books"],
            "hats": state["hats"],
            "my_values": dict(mine) if mine else None,  # the other's values stay hidden
            "offers": [dict(o) for o in state["offers"]],
            "outcome": state["outcome"],
        })
    return observations


def resample_history(obs_action_history, player_id):
    # Everything but the other player's values is public, and the last observation
    # holds every offer made so far.
    observation, action = obs_action_history[-1]
    mine = observation["my_values"]
    values = [f"values book={mine['book']} hat={mine['hat']}", random.choice(VALUE_ACTIONS)]
    if player_id == 1:
        values.reverse()
    history = [f"books {observation['books']}", f"hats {observation['hats']}",
               f"p0 {values[0]}", f"p1 {values[1]}"]
    history += [f"propose books={o['books']} hats={o['hats']}" for o in observation["offers"]]
    return history + [action]
