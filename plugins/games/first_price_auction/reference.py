"""First-price sealed-bid auction as a game code world model.

One chance action draws both private valuations (1-5 each), named by the two digits
("34": player 0 values the object at 3, player 1 at 4). Player 0 then bids, then
player 1 without seeing that bid; a bid "bid_<n>" is any whole number 0-5, whatever the
bidder's valuation. The higher bid wins, a tie goes to player 0. With u the winner's
valuation minus its bid, the winner gets u/2 and the loser -u/2.
"""

import random

VALUES = range(1, 6)
BIDS = range(0, 6)
VALUATION_DRAWS = [f"{mine}{theirs}" for mine in VALUES for theirs in VALUES]


def get_initial_state():
    return {"values": None, "bids": []}


def get_current_player(state):
    if state["values"] is None:
        return -1
    if len(state["bids"]) == 2:
        return -4
    return len(state["bids"])  # player 0 bids first, then player 1


def get_player_name(player_id):
    return f"Bidder {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -1:
        return list(VALUATION_DRAWS)
    if player == -4:
        return []
    return [f"bid_{amount}" for amount in BIDS]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    if state["values"] is None:
        return {"values": [int(action[0]), int(action[1])], "bids": []}
    amount = int(action.split("_")[1])
    return {"values": list(state["values"]), "bids": state["bids"] + [amount]}


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    bids = state["bids"]
    winner = 0 if bids[0] >= bids[1] else 1  # a tie goes to player 0
    surplus = state["values"][winner] - bids[winner]
    rewards = [-surplus / 2, -surplus / 2]
    rewards[winner] = surplus / 2
    return rewards


def get_observations(state):
    if state["values"] is None:
        return [{}, {}]
    over = get_current_player(state) == -4
    observations = []
    for player in range(2):
        bids = state["bids"]
        view = {"my_value": state["values"][player],
                "my_bid": bids[player] if player < len(bids) else None}
        if over:  # the sealed bids are opened at the end
            view["their_value"] = state["values"][1 - player]
            view["their_bid"] = bids[1 - player]
        observations.append(view)
    return observations


def resample_history(obs_action_history, player_id):
    # Before the end a bidder knows only its own valuation (and its own bid): the
    # opponent's valuation, and for player 1 also player 0's bid, can be anything.
    observation, action = obs_action_history[-1]
    values = [random.choice(VALUES), random.choice(VALUES)]
    values[player_id] = observation["my_value"]
    history = [f"{values[0]}{values[1]}"]
    if player_id == 1:
        history.append(f"bid_{random.choice(BIDS)}")
    return history + [action]
