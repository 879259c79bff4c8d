"""Prisoner's Dilemma as a game code world model.

The two simultaneous decisions are made in turn: player 0 first, then player 1, who
must not learn player 0's decision before deciding.
"""

import random

MOVES = ["Cooperate", "Defect"]
# PAYOFFS[(player 0's move, player 1's move)] = [player 0's payoff, player 1's payoff]
PAYOFFS = {
    ("Cooperate", "Cooperate"): [5.0, 5.0],
    ("Cooperate", "Defect"): [0.0, 10.0],
    ("Defect", "Cooperate"): [10.0, 0.0],
    ("Defect", "Defect"): [1.0, 1.0],
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
    return list(PAYOFFS[tuple(state["moves"])])


def get_observations(state):
    over = get_current_player(state) == -4
    observations = []
    for player in range(2):
        mine = state["moves"][player] if player < len(state["moves"]) else None
        observations.append({
            "to_move": get_current_player(state),
            "my_move": mine,
            # The other decision is hidden until both have decided.
            "both_moves": list(state["moves"]) if over else None,
        })
    return observations


def resample_history(obs_action_history, player_id):
    _, action = obs_action_history[0]
    if player_id == 0:
        return [action]
    # Player 1 never saw player 0's decision before its own: either is consistent.
    return [random.choice(MOVES), action]
