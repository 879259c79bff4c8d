"""Matching Pennies as a game code world model.

The two simultaneous choices are made in turn: player 0 (the matcher) picks a side,
"H" or "T", then player 1 (the mismatcher) picks one without seeing player 0's. The
matcher wins on equal sides, the mismatcher on different ones. There is no chance.
"""

import random

SIDES = ["H", "T"]
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
    choices = state["choices"]
    over = len(choices) == 2
    observations = []
    for player in range(2):
        observations.append({
            "my_choice": choices[player] if player < len(choices) else None,
            # The other side is hidden until both have chosen.
            "opponent_choice": choices[1 - player] if over else None,
        })
    return observations


def resample_history(obs_action_history, player_id):
    _, action = obs_action_history[-1]
    if player_id == 0:
        return [action]
    # Player 1 chose without seeing player 0's side: either side is consistent.
    return [random.choice(SIDES), action]
