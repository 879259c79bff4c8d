"""Pentago as a game code world model.

The 6x6 board is made of four 3x3 quadrants: 0 top-left, 1 top-right, 2 bottom-left
and 3 bottom-right. A turn places a marble ("x" for player 0, "o" for player 1) on an
empty cell and then turns one quadrant a quarter turn, clockwise or counter-clockwise:
"x(4,0)_rotate_2_CCW". Only after the turn is the board judged: five in a line for
exactly one player wins for that player (even if it is not the mover), fives for both
or a full board without a five is a draw. board[r][c] is "." (empty), "x" or "o".
"""

SIZE = 6
MARKS = ["x", "o"]
NAMES = ["x", "o"]
EMPTY = "."
QUADRANT_CORNERS = [(0, 0), (0, 3), (3, 0), (3, 3)]  # top-left cell of each quadrant
DIRECTIONS = ["CW", "CCW"]


def _lines():
    """Every run of five cells in a row, a column or a diagonal."""
    lines = []
    for r in range(SIZE):
        for c in range(SIZE):
            for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
                cells = [(r + k * dr, c + k * dc) for k in range(5)]
                if all(0 <= rr < SIZE and 0 <= cc < SIZE for rr, cc in cells):
                    lines.append(cells)
    return lines


LINES = _lines()


# The eight actions of every mark and cell, in legal-list order, and what each means.
TURNS = [(quadrant, direction) for quadrant in range(4) for direction in DIRECTIONS]
ACTIONS = {(mark, r, c): [f"{mark}({r},{c})_rotate_{q}_{d}" for q, d in TURNS]
           for mark in MARKS for r in range(SIZE) for c in range(SIZE)}
MEANING = {action: (mark, r, c) + TURNS[k]
           for (mark, r, c), actions in ACTIONS.items() for k, action in enumerate(actions)}


def get_initial_state():
    return {"board": [[EMPTY] * SIZE for _ in range(SIZE)], "to_move": 0, "status": "ongoing"}


def get_current_player(state):
    return -4 if state["status"] != "ongoing" else state["to_move"]


def get_player_name(player_id):
    return NAMES[player_id]


def get_legal_actions(state):
    if state["status"] != "ongoing":
        return []
    mark, board = MARKS[state["to_move"]], state["board"]
    return [action for r in range(SIZE) for c in range(SIZE) if board[r][c] == EMPTY
            for action in ACTIONS[(mark, r, c)]]


def _rotate(board, quadrant, direction):
    """Turn one quadrant a quarter turn in place. Clockwise takes the quadrant's
    top-left cell to its top-right cell."""
    r0, c0 = QUADRANT_CORNERS[quadrant]
    old = [[board[r0 + i][c0 + j] for j in range(3)] for i in range(3)]
    for i in range(3):
        for j in range(3):
            board[r0 + i][c0 + j] = old[2 - j][i] if direction == "CW" else old[j][2 - i]


def _has_five(board, mark):
    return any(all(board[r][c] == mark for r, c in line) for line in LINES)


def _status(board):
    x_five, o_five = _has_five(board, "x"), _has_five(board, "o")
    if x_five and o_five:
        return "draw"
    if x_five:
        return "x won"
    if o_five:
        return "o won"
    if all(cell != EMPTY for row in board for cell in row):
        return "draw"
    return "ongoing"


def apply_action(state, action):
    mark, r, c, quadrant, direction = MEANING.get(action, (None, 0, 0, 0, ""))
    if (state["status"] != "ongoing" or mark != MARKS[state["to_move"]]
            or state["board"][r][c] != EMPTY):
        raise ValueError(f"illegal action {action!r}")
    board = [row[:] for row in state["board"]]
    board[r][c] = mark
    _rotate(board, quadrant, direction)
    return {"board": board, "to_move": 1 - state["to_move"], "status": _status(board)}


def get_rewards(state):
    if state["status"] == "x won":
        return [1.0, -1.0]
    if state["status"] == "o won":
        return [-1.0, 1.0]
    return [0.0, 0.0]


def _view(state):
    return {"board": ["".join(row) for row in state["board"]], "status": state["status"]}


def get_observations(state):
    return [_view(state), _view(state)]
