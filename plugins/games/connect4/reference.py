"""Connect Four as a game code world model.

Player 0 plays x and moves first, player 1 plays o. The board is a list of six rows,
row 0 at the top and row 5 at the bottom, each a list of seven cells holding "x", "o"
or "." for empty. A disc dropped into a column lands in its lowest empty cell, so a
column fills from row 5 upwards. Four or more of the mover's discs in a line win.
"""

ROWS, COLS = 6, 7
MARKS = ["x", "o"]
# Directions to scan for four in a line: along a row, along a column, both diagonals.
DIRECTIONS = [(0, 1), (1, 0), (1, 1), (1, -1)]


def get_initial_state():
    return {
        "board": [["."] * COLS for _ in range(ROWS)],
        "to_move": 0,
        "winner": None,
        "discs": 0,
    }


def _is_over(state):
    return state["winner"] is not None or state["discs"] == ROWS * COLS


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
    # A column is open while its top cell (row 0) is empty.
    return [f"{mark}{c}" for c in range(COLS) if state["board"][0][c] == "."]


def _makes_four(board, row, col):
    """Whether the disc at (row, col) is part of four or more in a line."""
    mark = board[row][col]
    for dr, dc in DIRECTIONS:
        count = 1
        for sign in (1, -1):  # walk both ways from the new disc
            r, c = row + sign * dr, col + sign * dc
            while 0 <= r < ROWS and 0 <= c < COLS and board[r][c] == mark:
                count += 1
                r, c = r + sign * dr, c + sign * dc
        if count >= 4:
            return True
    return False


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    board = [row[:] for row in state["board"]]
    col = int(action[1:])
    # The disc falls to the lowest empty cell: the largest empty row index.
    row = max(r for r in range(ROWS) if board[r][col] == ".")
    board[row][col] = MARKS[state["to_move"]]
    return {
        "board": board,
        "to_move": 1 - state["to_move"],
        "winner": state["to_move"] if _makes_four(board, row, col) else None,
        "discs": state["discs"] + 1,
    }


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def get_observations(state):
    # Perfect information: both see the board (row 0 on top) and the player to move.
    return [
        {"board": [row[:] for row in state["board"]], "to_move": get_current_player(state)}
        for _ in range(2)
    ]
