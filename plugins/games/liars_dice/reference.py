"""Liar's Dice for two players with three dice each, as a game code world model.

Chance rolls the six dice one at a time, player 0's three first, each a uniform
"roll:1".."roll:6". Player 0 opens the bidding and the players alternate. A bid
"bid:<q>:<f>" claims that at least q of the six dice show face f, ones being wild
(a 1 counts for every face; a bid on 1s counts the 1s only). Each bid must beat the
previous one: a higher quantity, or the same quantity and a higher face. Instead of
bidding a player may call "liar", which ends the single round.
"""

import random

DICE_PER_PLAYER = 3
FACES = range(1, 7)
ROLLS = [f"roll:{face}" for face in FACES]
# Every bid from lowest to highest: a bid's index in this list is its rank.
BIDS = [f"bid:{quantity}:{face}"
        for quantity in range(1, 2 * DICE_PER_PLAYER + 1) for face in FACES]
LIAR = "liar"


def get_initial_state():
    return {"dice": [[], []], "calls": []}


def _rolling(state):
    return len(state["dice"][1]) < DICE_PER_PLAYER


def get_current_player(state):
    if _rolling(state):
        return -1
    if state["calls"] and state["calls"][-1] == LIAR:
        return -4
    # Player 0 makes the first bid, then the players alternate.
    return len(state["calls"]) % 2


def get_player_name(player_id):
    return f"Player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return list(ROLLS)
    if not state["calls"]:
        return list(BIDS)  # nothing to challenge yet
    rank = BIDS.index(state["calls"][-1])
    return [LIAR] + BIDS[rank + 1:]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    dice = [list(state["dice"][0]), list(state["dice"][1])]
    calls = list(state["calls"])
    if _rolling(state):
        # The first three rolls are player 0's dice, the next three player 1's.
        roller = 0 if len(dice[0]) < DICE_PER_PLAYER else 1
        dice[roller].append(int(action.split(":")[1]))
    else:
        calls.append(action)
    return {"dice": dice, "calls": calls}


def _bid_holds(dice, bid):
    _, quantity, face = bid.split(":")
    quantity, face = int(quantity), int(face)
    count = sum(1 for die in dice[0] + dice[1] if die == face or die == 1)
    return count >= quantity


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    calls = state["calls"]
    caller = (len(calls) - 1) % 2
    bidder = 1 - caller
    winner = bidder if _bid_holds(state["dice"], calls[-2]) else caller
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_observations(state):
    bids = [call for call in state["calls"] if call != LIAR]
    return [
        {
            "player": player,
            "my_dice": list(state["dice"][player]),
            "calls": list(state["calls"]),
            "last_bid": bids[-1] if bids else None,
            "dice_counts": [DICE_PER_PLAYER, DICE_PER_PLAYER],
            "terminal": get_current_player(state) == -4,
        }
        for player in range(2)
    ]


def resample_history(obs_action_history, player_id):
    # A player first acts once all dice are rolled, so its observations show its own
    # three dice and the public calls. The opponent's dice never influenced anything
    # the player saw, so they are drawn uniformly.
    observation, action = obs_action_history[-1]
    dice = [None, None]
    dice[player_id] = observation["my_dice"]
    dice[1 - player_id] = [random.choice(FACES) for _ in range(DICE_PER_PLAYER)]
    rolls = [f"roll:{die}" for die in dice[0] + dice[1]]
    return rolls + list(observation["calls"]) + [action]
