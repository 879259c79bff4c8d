"""Goofspiel with four cards as a game code world model.

Each round chance turns up a prize card, then both players bid one card from their
hands in turn (player 1 without seeing player 0's bid); the higher bid takes the
prize, equal bids discard it. The last round needs no choice and resolves by itself.
The player with more prize points wins.

The state records only the finished rounds and the current one; hands, remaining
prize cards and points are derived from them.
"""

import random

CARDS = [1, 2, 3, 4]


def get_initial_state():
    return {
        "rounds": [],    # finished rounds: {"prize": card, "bids": [bid 0, bid 1]}
        "prize": None,   # the prize card of the current round, once turned up
        "bids": [],      # the bids made so far in the current round
    }


def _hand(state, player):
    spent = [played["bids"][player] for played in state["rounds"]]
    spent += state["bids"][player:player + 1]
    return [card for card in CARDS if card not in spent]


def _prizes_left(state):
    used = [played["prize"] for played in state["rounds"]] + [state["prize"]]
    return [card for card in CARDS if card not in used]


def _points(state):
    points = [0, 0]
    for played in state["rounds"]:
        bid0, bid1 = played["bids"]
        if bid0 != bid1:  # equal bids: the prize is discarded
            points[0 if bid0 > bid1 else 1] += played["prize"]
    return points


def get_current_player(state):
    if len(state["rounds"]) == len(CARDS):
        return -4
    if state["prize"] is None:
        return -1
    return len(state["bids"])


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return [f"prize {card}" for card in _prizes_left(state)]
    return [f"bid {card}" for card in _hand(state, player)]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    card = int(action.split()[1])
    rounds = [{"prize": r["prize"], "bids": list(r["bids"])} for r in state["rounds"]]
    new = {"rounds": rounds, "prize": state["prize"], "bids": list(state["bids"])}
    if state["prize"] is None:
        new["prize"] = card
        return new
    new["bids"].append(card)
    if len(new["bids"]) == 2:
        rounds.append({"prize": new["prize"], "bids": new["bids"]})
        new["prize"], new["bids"] = None, []
        # One card left everywhere: the last round has no choice, so play it now.
        if len(rounds) == len(CARDS) - 1:
            rounds.append({"prize": _prizes_left(new)[0],
                           "bids": [_hand(new, 0)[0], _hand(new, 1)[0]]})
    return new


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    mine, theirs = _points(state)
    if mine == theirs:
        return [0.0, 0.0]
    return [1.0, -1.0] if mine > theirs else [-1.0, 1.0]


def get_observations(state):
    observations = []
    for player in (0, 1):
        observations.append({
            "to_move": get_current_player(state),
            "prize": state["prize"],
            "my_hand": _hand(state, player),
            # The current round's bids stay sealed: a player sees only its own.
            "my_bid": state["bids"][player] if player < len(state["bids"]) else None,
            "rounds": [{"prize": r["prize"], "bids": list(r["bids"])} for r in state["rounds"]],
            "points": _points(state),
        })
    return observations


def resample_history(obs_action_history, player_id):
    # Each observation holds every finished round, so the last one tells everything
    # except player 0's sealed bid in the round where player 1 is bidding.
    observation, action = obs_action_history[-1]
    history = []
    for played in observation["rounds"]:
        history.append(f"prize {played['prize']}")
        history.extend(f"bid {card}" for card in played["bids"])
    history.append(f"prize {observation['prize']}")
    if player_id == 1:
        spent = [played["bids"][0] for played in observation["rounds"]]
        history.append(f"bid {random.choice([c for c in CARDS if c not in spent])}")
    history.append(action)
    return history
