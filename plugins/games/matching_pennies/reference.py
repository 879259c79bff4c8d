"""Matching Pennies as a game code world model.

The two simultaneous choices are made in turn: player 0 (the matcher) first, then
player 1 (the mismatcher), who must not learn player 0's choice before choosing.
"""

import random

SIDES = ["Heads", "Tails"]
NAMES = ["matcher", "mismatcher"]


def get_initial_state():
    return {"choices": []}


def get_current_player(state):
    if len(state["choices"]) == 2:
        return -4
    return len(state["choices"])


def get_player_name(player_id):
    return NAMES[player_id]


def get_legal_actions(state):
    if get_current_player(state) == -4:
        return []
    return list(SIDES)


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    return {"choices": state["choices"] + [action]}


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    first, second = state["choices"]
    return [1.0, -1.0] if first == second else [-1.0, 1.0]


def get_observations(state):
    over = get_current_player(state) == -4
    observations = []
    for player in range(2):
        mine = state["choices"][player] if player < len(state["choices"]) else None
        observations.append({
            "to_move": get_current_player(state),
            "my_choice": mine,
            # The other choice is hidden until both have chosen.
            "both_choices": list(state["choices"]) if over else None,
        })
    return observations


def resample_history(obs_action_history, player_id):
    _, action = obs_action_history[0]
    if player_id == 0:
        return [action]
    # Player 1 never saw player 0's choice before its own: any side is consistent.
    return [random.choice(SIDES), action]
