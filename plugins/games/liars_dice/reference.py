"""Liar's Dice for two players with two six-sided dice each, as a game code world model.

Chance rolls the four dice one at a time (player 0's two dice, then player 1's), each
roll a uniform "Roll 1".."Roll 6". Then player 0 opens the bidding. A bid "q-f" claims
that at least q of the four dice show face f, where sixes are wild: they count for
every face. Bids must strictly rise in the order 1-1, 1-2, ..., 1-6, 2-1, ..., 4-6.
Instead of bidding, a player may call "Liar" on the previous bid, which ends the game.
"""

import copy
import random

DICE_PER_PLAYER = 2
FACES = 6
WILD = 6
ROLLS = [f"Roll {face}" for face in range(1, FACES + 1)]
# Every bid, lowest first; a bid's index in this list is its rank.
BIDS = [f"{quantity}-{face}"
        for quantity in range(1, 2 * DICE_PER_PLAYER + 1)
        for face in range(1, FACES + 1)]
LIAR = "Liar"


def get_initial_state():
    return {"dice": [[], []], "bids": [], "caller": None}


def _rolling(state):
    return len(state["dice"][1]) < DICE_PER_PLAYER


def get_current_player(state):
    if state["caller"] is not None:
        return -4
    if _rolling(state):
        return -1
    # Player 0 makes the first bid, then the players alternate.
    return len(state["bids"]) % 2


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return list(ROLLS)
    if not state["bids"]:
        return list(BIDS)  # nothing to call yet
    last_rank = BIDS.index(state["bids"][-1])
    return BIDS[last_rank + 1:] + [LIAR]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = copy.deepcopy(state)
    if _rolling(state):
        # The first two rolls are player 0's dice, the next two player 1's.
        roller = 0 if len(state["dice"][0]) < DICE_PER_PLAYER else 1
        new["dice"][roller].append(ROLLS.index(action) + 1)
    elif action == LIAR:
        new["caller"] = get_current_player(state)
    else:
        new["bids"].append(action)
    return new


def _bid_holds(dice, bid):
    quantity, face = (int(part) for part in bid.split("-"))
    all_dice = dice[0] + dice[1]
    count = sum(1 for d in all_dice if d == face or (d == WILD and face != WILD))
    return count >= quantity


def get_rewards(state):
    caller = state["caller"]
    if caller is None:
        return [0.0, 0.0]
    bidder = 1 - caller
    winner = bidder if _bid_holds(state["dice"], state["bids"][-1]) else caller
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_observations(state):
    over = state["caller"] is not None
    observations = []
    for player in range(2):
        view = {
            "my_dice": list(state["dice"][player]),
            "bids": list(state["bids"]),
            "liar_called_by": state["caller"],
            "to_move": get_current_player(state),
        }
        if over:
            # Calling "Liar" lifts the cups: everyone sees every die.
            view["all_dice"] = copy.deepcopy(state["dice"])
        observations.append(view)
    return observations


def resample_history(obs_action_history, player_id):
    # The player acts only once all dice are rolled, so every observation it saw shows
    # its own two dice and the public bids so far. The opponent's dice are hidden and
    # played no part in what it saw: draw them uniformly.
    last_obs, last_action = obs_action_history[-1]
    dice = [None, None]
    dice[player_id] = last_obs["my_dice"]
    dice[1 - player_id] = [random.randint(1, FACES) for _ in range(DICE_PER_PLAYER)]
    rolls = [ROLLS[d - 1] for d in dice[0] + dice[1]]
    return rolls + list(last_obs["bids"]) + [last_action]
