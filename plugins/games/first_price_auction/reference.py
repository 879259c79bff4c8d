"""First-price sealed-bid auction as a game code world model.

Chance deals each player a private valuation in 1..4; the players then bid in turn
(player 1 without seeing player 0's bid), each bid in 0..valuation-1. The higher bid
wins and pays its bid; equal bids are settled by a fair chance tie-break.
"""

import random

MAX_VALUE = 4


def get_initial_state():
    return {"values": [], "bids": [], "winner": None}


def _tied(state):
    return len(state["bids"]) == 2 and state["bids"][0] == state["bids"][1]


def get_current_player(state):
    if len(state["values"]) < 2:
        return -1
    if len(state["bids"]) < 2:
        return len(state["bids"])
    if state["winner"] is None:
        return -1  # equal bids: chance picks the winner
    return -4


def get_player_name(player_id):
    return f"bidder {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if len(state["values"]) < 2:
        dealt = len(state["values"])
        return [f"p{dealt} value {v}" for v in range(1, MAX_VALUE + 1)]
    if player == -1:
        return ["p0 wins tie", "p1 wins tie"]
    return [f"bid {b}" for b in range(state["values"][player])]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    values, bids = list(state["values"]), list(state["bids"])
    winner = state["winner"]
    if len(values) < 2:
        values.append(int(action.split()[-1]))
    elif len(bids) < 2:
        bids.append(int(action.split()[-1]))
        if len(bids) == 2 and bids[0] != bids[1]:
            winner = 0 if bids[0] > bids[1] else 1
    else:
        winner = int(action[1])  # "p0 wins tie" / "p1 wins tie"
    return {"values": values, "bids": bids, "winner": winner}


def get_rewards(state):
    rewards = [0.0, 0.0]
    winner = state["winner"]
    if winner is not None:
        rewards[winner] = float(state["values"][winner] - state["bids"][winner])
    return rewards


def get_observations(state):
    both_bid = len(state["bids"]) == 2
    observations = []
    for player in range(2):
        observations.append({
            "to_move": get_current_player(state),
            "my_value": state["values"][player] if player < len(state["values"]) else None,
            "my_bid": state["bids"][player] if player < len(state["bids"]) else None,
            # Sealed bids: neither is shown to the other player until both are in.
            "both_bids": list(state["bids"]) if both_bid else None,
            "winner": state["winner"],
        })
    return observations


def resample_history(obs_action_history, player_id):
    observation, bid = obs_action_history[0]
    my_value = observation["my_value"]
    if player_id == 0:
        other_value = random.randint(1, MAX_VALUE)
        return [f"p0 value {my_value}", f"p1 value {other_value}", bid]
    # Player 1 saw nothing of player 0: any (valuation, bid) pair of player 0 fits.
    other_value, other_bid = random.choice(
        [(v, b) for v in range(1, MAX_VALUE + 1) for b in range(v)])
    return [f"p0 value {other_value}", f"p1 value {my_value}", f"bid {other_bid}", bid]
