"""Tic-tac-toe as a game code world model.

Player 0 plays x and moves first, player 1 plays o. The board is a list of
nine cells, row by row, each "x", "o" or "" for empty.
"""

import copy

LINES = [
    (0, 1, 2), (3, 4, 5), (6, 7, 8),  # rows
    (0, 3, 6), (1, 4, 7), (2, 5, 8),  # columns
    (0, 4, 8), (2, 4, 6),             # diagonals
]
MARKS = ["x", "o"]


def get_initial_state():
    return {"board": [""] * 9, "to_move": 0, "winner": None}


def _is_over(state):
    return state["winner"] is not None or all(state["board"])


def get_current_player(state):
    if _is_over(state):
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return MARKS[player_id]


def get_legal_actions(state):
    if _is_over(state):
        return []
    mark = MARKS[state["to_move"]]
    return [f"{mark}({i // 3},{i % 3})" for i, cell in enumerate(state["board"]) if not cell]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = copy.deepcopy(state)
    row, col = int(action[2]), int(action[4])
    mark = MARKS[state["to_move"]]
    new["board"][row * 3 + col] = mark
    if any(all(new["board"][i] == mark for i in line) for line in LINES):
        new["winner"] = state["to_move"]
    new["to_move"] = 1 - state["to_move"]
    return new


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def get_observations(state):
    view = {
        "board": [state["board"][r * 3:r * 3 + 3] for r in range(3)],
        "to_move": get_current_player(state),
    }
    return [copy.deepcopy(view), copy.deepcopy(view)]
