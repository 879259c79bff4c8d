"""Generalized tic-tac-toe (6x6 board, four in a line) as a game code world model.

Player 0 moves first and the players alternate; a move is the cell "r,c" to mark.
The board is a list of six rows, row 0 at the top, each cell holding the owner's
player id (0 or 1) or None while empty. Four or more marks in a line win.
"""

SIZE = 6
LINE = 4  # marks in a line needed to win
# Directions to scan from a new mark: along the row, the column and both diagonals.
DIRECTIONS = [(0, 1), (1, 0), (1, 1), (1, -1)]


def get_initial_state():
    return {
        "board": [[None] * SIZE for _ in range(SIZE)],
        "to_move": 0,
        "moves": 0,
        "winner": None,
    }


def _is_over(state):
    return state["winner"] is not None or state["moves"] == SIZE * SIZE


def get_current_player(state):
    return -4 if _is_over(state) else state["to_move"]


def get_player_name(player_id):
    return f"Player {player_id}"


def get_legal_actions(state):
    if _is_over(state):
        return []
    return [
        f"{r},{c}"
        for r in range(SIZE)
        for c in range(SIZE)
        if state["board"][r][c] is None
    ]


def _makes_line(board, row, col):
    """Whether the mark at (row, col) lies on LINE or more equal marks in a line."""
    owner = board[row][col]
    for dr, dc in DIRECTIONS:
        count = 1
        for sign in (1, -1):  # walk both ways from the new mark
            r, c = row + sign * dr, col + sign * dc
            while 0 <= r < SIZE and 0 <= c < SIZE and board[r][c] == owner:
                count += 1
                r, c = r + sign * dr, c + sign * dc
        if count >= LINE:
            return True
    return False


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    row, col = (int(part) for part in action.split(","))
    player = state["to_move"]
    board = [cells[:] for cells in state["board"]]
    board[row][col] = player
    return {
        "board": board,
        "to_move": 1 - player,
        "moves": state["moves"] + 1,
        "winner": player if _makes_line(board, row, col) else None,
    }


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _status(state):
    if state["winner"] is not None:
        return "won"
    return "draw" if _is_over(state) else "playing"


def get_observations(state):
    # Perfect information: both players get the same, complete view.
    return [
        {
            "board": [cells[:] for cells in state["board"]],
            "to_move": get_current_player(state),
            "status": _status(state),
            "winner": state["winner"],
        }
        for _ in range(2)
    ]
