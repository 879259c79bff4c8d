"""Goofspiel with thirteen cards as a game code world model.

Each of the 13 rounds, chance turns up one of the remaining prize cards
("prize:<n>"), then player 0 bids a card from its hand ("bid:<n>") and player 1 bids
one of its own without seeing player 0's. The higher bid scores the prize's value,
equal bids discard it. Every round, the last one included, is played with actions.
Rewards follow the sign of the points difference at every moment; at the end the
player with more points gets 1 and the other -1.

The state records the finished rounds and the current one; hands, remaining prize
cards and points are derived from them.
"""

import random

CARDS = list(range(1, 14))


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
    return f"Player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return [f"prize:{card}" for card in _prizes_left(state)]
    return [f"bid:{card}" for card in _hand(state, player)]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    card = int(action.split(":")[1])
    rounds = [{"prize": r["prize"], "bids": list(r["bids"])} for r in state["rounds"]]
    if state["prize"] is None:
        return {"rounds": rounds, "prize": card, "bids": []}
    bids = state["bids"] + [card]
    if len(bids) < 2:
        return {"rounds": rounds, "prize": state["prize"], "bids": bids}
    rounds.append({"prize": state["prize"], "bids": bids})
    return {"rounds": rounds, "prize": None, "bids": []}


def get_rewards(state):
    # The sign of the points difference, during the game as at its end.
    mine, theirs = _points(state)
    if mine == theirs:
        return [0.0, 0.0]
    return [1.0, -1.0] if mine > theirs else [-1.0, 1.0]


def get_observations(state):
    observations = []
    for player in (0, 1):
        observations.append({
            "round": min(len(state["rounds"]) + 1, len(CARDS)),
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
    # except player 0's sealed bid in the round where player 1 is bidding: any card
    # still in player 0's hand fits.
    observation, action = obs_action_history[-1]
    history = []
    for played in observation["rounds"]:
        history.append(f"prize:{played['prize']}")
        history.extend(f"bid:{card}" for card in played["bids"])
    history.append(f"prize:{observation['prize']}")
    if player_id == 1:
        spent = [played["bids"][0] for played in observation["rounds"]]
        history.append(f"bid:{random.choice([c for c in CARDS if c not in spent])}")
    history.append(action)
    return history
