"""Prisoner's Dilemma as a game code world model.

The two simultaneous decisions are made in turn: player 0 picks "C" (cooperate) or
"D" (defect), then player 1 picks without seeing player 0's choice. The payoffs are
the classic table (3/3, 0/5, 5/0, 1/1) minus the mean of the two entries, which makes
the game zero-sum.
"""

import random

MOVES = ["C", "D"]
# BASE[(player 0's move, player 1's move)] = (player 0's points, player 1's points)
BASE = {
    ("C", "C"): (3.0, 3.0),
    ("C", "D"): (0.0, 5.0),
    ("D", "C"): (5.0, 0.0),
    ("D", "D"): (1.0, 1.0),
}


def get_initial_state():
    return {"moves": []}


def get_current_player(state):
    if len(state["moves"]) == 2:
        return -4
    return len(state["moves"])


def get_player_name(player_id):
    return f"prisoner {player_id}"


def get_legal_actions(state):
    if get_current_player(state) == -4:
        return []
    return list(MOVES)


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    return {"moves": state["moves"] + [action]}


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    points = BASE[tuple(state["moves"])]
    mean = sum(points) / 2
    return [p - mean for p in points]


def get_observations(state):
    moves = state["moves"]
    over = len(moves) == 2
    observations = []
    for player in range(2):
        observations.append({
            "my_move": moves[player] if player < len(moves) else None,
            # The other decision is hidden until both have decided.
            "opponent_move": moves[1 - player] if over else None,
        })
    return observations


def resample_history(obs_action_history, player_id):
    _, action = obs_action_history[-1]
    if player_id == 0:
        return [action]
    # Player 1 decided without seeing player 0's move: either move is consistent.
    return [random.choice(MOVES), action]
