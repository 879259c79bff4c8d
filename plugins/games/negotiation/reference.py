"""Negotiation over a pool of 2 books, 2 hats and 2 balls, as a game code world model.

One chance action gives both players private values of 0-3 per item type. Player 0
proposes first and the players alternate; the player to move may reject (no deal),
accept the standing proposal, or make a new proposal naming its own share. The 10th
proposal ends the game without a deal. An accepted deal pays each player its value
of its share minus the mean of both players' values (zero-sum); no deal pays 0.
"""

import itertools
import random

POOL = [2, 2, 2]            # books, hats, balls
MAX_VALUE = 3               # a player values each item type 0..3
MAX_PROPOSALS = 10          # the 10th proposal ends the game with no deal
VALUE_CHOICES = list(itertools.product(range(MAX_VALUE + 1), repeat=3))
SHARES = list(itertools.product(*(range(n + 1) for n in POOL)))
CHANCE_ACTIONS = [
    "v0_{}_{}_{}_v1_{}_{}_{}".format(*mine, *theirs)
    for mine in VALUE_CHOICES for theirs in VALUE_CHOICES
]
PROPOSALS = ["propose_{}_{}_{}".format(*share) for share in SHARES]


def get_initial_state():
    return {
        "values": None,       # [player 0's, player 1's], each [book, hat, ball]
        "proposal": None,     # the standing proposal: the proposer's share
        "proposer": None,
        "proposals": 0,       # proposals made so far
        "to_move": 0,
        "outcome": None,      # "accepted", "rejected" or "no_deal" once over
    }


def get_current_player(state):
    if state["outcome"] is not None:
        return -4
    if state["values"] is None:
        return -1
    return state["to_move"]


def get_player_name(player_id):
    return f"Player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return list(CHANCE_ACTIONS)
    # Turns alternate, so a standing proposal is always the opponent's.
    accept = ["accept"] if state["proposal"] is not None else []
    return ["reject"] + accept + PROPOSALS


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = dict(state)
    player = get_current_player(state)
    if player == -1:
        numbers = [int(part) for part in action.split("_") if part.isdigit()]
        new["values"] = [numbers[:3], numbers[3:]]
    elif action == "reject":
        new["outcome"] = "rejected"
    elif action == "accept":
        new["outcome"] = "accepted"
    else:
        new["proposal"] = [int(n) for n in action.split("_")[1:]]
        new["proposer"] = player
        new["proposals"] = state["proposals"] + 1
        new["to_move"] = 1 - player
        if new["proposals"] == MAX_PROPOSALS:
            new["outcome"] = "no_deal"
    return new


def get_rewards(state):
    if state["outcome"] != "accepted":
        return [0.0, 0.0]
    proposer = state["proposer"]
    shares = [None, None]
    shares[proposer] = state["proposal"]
    shares[1 - proposer] = [total - taken for total, taken in zip(POOL, state["proposal"])]
    worth = [sum(v * n for v, n in zip(state["values"][p], shares[p])) for p in range(2)]
    mean = sum(worth) / 2
    return [worth[0] - mean, worth[1] - mean]


def get_observations(state):
    if state["values"] is None:
        return [{}, {}]
    proposal = state["proposal"]
    observations = []
    for player in range(2):
        observation = {
            "my_values": list(state["values"][player]),
            "standing_proposal": list(proposal) if proposal is not None else None,
            "proposer": state["proposer"],
            "proposals_made": state["proposals"],
        }
        if state["outcome"] is not None:
            observation["opponent_values"] = list(state["values"][1 - player])
            observation["outcome"] = state["outcome"]
        observations.append(observation)
    return observations


def resample_history(obs_action_history, player_id):
    # The opponent's values are the only hidden fact, and no observation before the
    # end depends on them: any values do. The opponent's moves are its proposals, each
    # standing when the player next moves (player 0's first turn has none before it).
    mine = obs_action_history[0][0]["my_values"]
    theirs = random.choice(VALUE_CHOICES)
    values = (mine, theirs) if player_id == 0 else (theirs, mine)
    history = ["v0_{}_{}_{}_v1_{}_{}_{}".format(*values[0], *values[1])]
    for turn, (observation, action) in enumerate(obs_action_history):
        if player_id == 1 or turn > 0:
            history.append("propose_{}_{}_{}".format(*observation["standing_proposal"]))
        history.append(action)
    return history
