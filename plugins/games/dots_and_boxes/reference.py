"""Dots and Boxes on 3x3 dots (2x2 boxes, 12 lines) as a game code world model.

"h_<r>_<c>" is the horizontal line from dot (r,c) to dot (r,c+1) and "v_<r>_<c>" the
vertical line from dot (r,c) to dot (r+1,c), rows and columns counted from the top left.
Box (r,c) is bounded by h_r_c above, h_(r+1)_c below, v_r_c on the left and v_r_(c+1) on
the right. Whoever draws the fourth side of a box owns it and moves again. The rewards
are running: +1/-1 to whoever owns more boxes so far, 0 when level.
"""

SIZE = 2  # boxes per row and per column
# Every line, in the order of the legal list: horizontal ones row by row, then vertical.
LINES = ([f"h_{r}_{c}" for r in range(SIZE + 1) for c in range(SIZE)]
         + [f"v_{r}_{c}" for r in range(SIZE) for c in range(SIZE + 1)])


def _sides(r, c):
    return {f"h_{r}_{c}", f"h_{r + 1}_{c}", f"v_{r}_{c}", f"v_{r}_{c + 1}"}


def get_initial_state():
    return {
        "drawn": [],  # drawn lines, kept in the order of LINES
        "owner": [[None] * SIZE for _ in range(SIZE)],  # who completed each box
        "to_move": 0,
    }


def _counts(state):
    flat = [owner for row in state["owner"] for owner in row]
    return [flat.count(0), flat.count(1)]


def _is_over(state):
    return sum(_counts(state)) == SIZE * SIZE


def get_current_player(state):
    if _is_over(state):
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    # Every line borders a box, so once all boxes are owned no line is left.
    return [line for line in LINES if line not in state["drawn"]]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    drawn = set(state["drawn"]) | {action}
    owner = [row[:] for row in state["owner"]]
    mover = state["to_move"]
    completed = False
    for r in range(SIZE):
        for c in range(SIZE):
            if owner[r][c] is None and _sides(r, c) <= drawn:
                owner[r][c] = mover
                completed = True
    return {
        "drawn": [line for line in LINES if line in drawn],
        "owner": owner,
        # Completing one or two boxes earns one more move; otherwise the turn passes.
        "to_move": mover if completed else 1 - mover,
    }


def get_rewards(state):
    mine, theirs = _counts(state)
    if mine == theirs:
        return [0.0, 0.0]
    return [1.0, -1.0] if mine > theirs else [-1.0, 1.0]


def _view(state):
    return {
        "drawn": list(state["drawn"]),
        "owner": [row[:] for row in state["owner"]],
        "boxes": _counts(state),
    }


def get_observations(state):
    # Perfect information, without a turn marker: lines, box owners and box counts.
    return [_view(state), _view(state)]
