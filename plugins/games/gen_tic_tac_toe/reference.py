"""Generalised tic-tac-toe (6x6 board, four in a row) as a game code world model.

Player 0 plays x and moves first, player 1 plays o. The board is a list of six
rows, row 0 at the top, each a list of six cells holding "x", "o" or "" for empty.
"""

SIZE = 6
LINE = 4  # marks in a row needed to win
MARKS = ["x", "o"]
# Directions to scan from a new mark: along the row, the column and both diagonals.
DIRECTIONS = [(0, 1), (1, 0), (1, 1), (1, -1)]


def get_initial_state():
    return {
        "board": [[""] * SIZE for _ in range(SIZE)],
        "to_move": 0,
        "winner": None,
        "moves": 0,
    }


def _is_over(state):
    return state["winner"] is not None or state["moves"] == SIZE * SIZE


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
    return [
        f"{mark}({r},{c})"
        for r in range(SIZE)
        for c in range(SIZE)
        if not state["board"][r][c]
    ]


def _completes_line(board, row, col):
    """Whether the mark at (row, col) is part of LINE or more in a line."""
    mark = board[row][col]
    for dr, dc in DIRECTIONS:
        count = 1
        for sign in (1, -1):  # walk both ways from the new mark
            r, c = row + sign * dr, col + sign * dc
            while 0 <= r < SIZE and 0 <= c < SIZE and board[r][c] == mark:
                count += 1
                r, c = r + sign * dr, c + sign * dc
        if count >= LINE:
            return True
    return False


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    row, col = int(action[2]), int(action[4])
    new = dict(state, board=[cells[:] for cells in state["board"]])
    new["board"][row][col] = MARKS[state["to_move"]]
    new["moves"] += 1
    if _completes_line(new["board"], row, col):
        new["winner"] = state["to_move"]
    new["to_move"] = 1 - state["to_move"]
    return new


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def get_observations(state):
    return [
        {"board": [cells[:] for cells in state["board"]], "to_move": get_current_player(state)}
        for _ in range(2)
    ]
