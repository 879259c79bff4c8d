"""Dots and Boxes on a grid of 2 rows by 3 columns of boxes, as a game code world model.

The dots form a 3x4 grid. A horizontal line "h(r,c)" joins dot (r,c) to dot (r,c+1)
and a vertical line "v(r,c)" joins dot (r,c) to dot (r+1,c). Box (r,c) is bounded by
h(r,c) above, h(r+1,c) below, v(r,c) on the left and v(r,c+1) on the right.
Whoever draws the fourth side of a box owns it and moves again.
"""

ROWS, COLS = 2, 3  # boxes
PLAYER_NAMES = ["player 0", "player 1"]


def get_initial_state():
    return {
        "h": [[False] * COLS for _ in range(ROWS + 1)],
        "v": [[False] * (COLS + 1) for _ in range(ROWS)],
        "owner": [[None] * COLS for _ in range(ROWS)],  # who completed each box
        "to_move": 0,
    }


def _is_over(state):
    return all(owner is not None for row in state["owner"] for owner in row)


def _scores(state):
    flat = [owner for row in state["owner"] for owner in row]
    return [flat.count(0), flat.count(1)]


def get_current_player(state):
    if _is_over(state):
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return PLAYER_NAMES[player_id]


def get_legal_actions(state):
    # Every line belongs to some box, so once all boxes are owned no line is left.
    horizontal = [
        f"h({r},{c})" for r in range(ROWS + 1) for c in range(COLS) if not state["h"][r][c]
    ]
    vertical = [
        f"v({r},{c})" for r in range(ROWS) for c in range(COLS + 1) if not state["v"][r][c]
    ]
    return horizontal + vertical


def _closed(state, r, c):
    h, v = state["h"], state["v"]
    return h[r][c] and h[r + 1][c] and v[r][c] and v[r][c + 1]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = {
        "h": [row[:] for row in state["h"]],
        "v": [row[:] for row in state["v"]],
        "owner": [row[:] for row in state["owner"]],
        "to_move": state["to_move"],
    }
    kind, r, c = action[0], int(action[2]), int(action[4])
    new[kind][r][c] = True
    # A line borders at most two boxes: above and below it, or left and right of it.
    if kind == "h":
        neighbours = [(r - 1, c), (r, c)]
    else:
        neighbours = [(r, c - 1), (r, c)]
    completed = False
    for br, bc in neighbours:
        if 0 <= br < ROWS and 0 <= bc < COLS and _closed(new, br, bc):
            new["owner"][br][bc] = state["to_move"]
            completed = True
    # Completing one or two boxes earns one more move; otherwise the turn passes.
    if not completed:
        new["to_move"] = 1 - state["to_move"]
    return new


def get_rewards(state):
    if not _is_over(state):
        return [0.0, 0.0]
    mine, theirs = _scores(state)
    if mine == theirs:
        return [0.0, 0.0]
    return [1.0, -1.0] if mine > theirs else [-1.0, 1.0]


def _view(state):
    return {
        "h": [row[:] for row in state["h"]],
        "v": [row[:] for row in state["v"]],
        "owner": [row[:] for row in state["owner"]],
        "scores": _scores(state),
        "to_move": get_current_player(state),
    }


def get_observations(state):
    return [_view(state), _view(state)]
