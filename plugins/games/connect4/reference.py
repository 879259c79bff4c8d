"""Connect Four as a game code world model.

Player 0 plays x and moves first, player 1 plays o. The board is a list of six
rows, row 0 at the bottom, each a list of seven cells holding "x", "o" or ""
for empty. A disc dropped into a column lands in the lowest empty cell.
"""

ROWS, COLS = 6, 7
MARKS = ["x", "o"]
# Directions to scan for four in a row: right, up, up-right, up-left.
DIRECTIONS = [(0, 1), (1, 0), (1, 1), (1, -1)]


def get_initial_state():
    return {
        "board": [[""] * COLS for _ in range(ROWS)],
        "to_move": 0,
        "winner": None,
        "moves": 0,
    }


def _is_over(state):
    return state["winner"] is not None or state["moves"] == ROWS * COLS


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
    # A column is open while its top cell is empty.
    return [f"{mark}{c}" for c in range(COLS) if not state["board"][ROWS - 1][c]]


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
    new = dict(state, board=[row[:] for row in state["board"]])
    col = int(action[1:])
    row = next(r for r in range(ROWS) if not new["board"][r][col])
    new["board"][row][col] = MARKS[state["to_move"]]
    new["moves"] += 1
    if _makes_four(new["board"], row, col):
        new["winner"] = state["to_move"]
    new["to_move"] = 1 - state["to_move"]
    return new


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def get_observations(state):
    return [
        {"board": [row[:] for row in state["board"]], "to_move": get_current_player(state)}
        for _ in range(2)
    ]
