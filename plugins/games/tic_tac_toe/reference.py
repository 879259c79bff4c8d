"""Tic-tac-toe as a game code world model.

Player 0 plays x and moves first, player 1 plays o. The board is three rows of three
cells, each "x", "o" or "." for empty. The first player to complete a row, a column or
a diagonal of its marks wins; a full board without such a line is a draw. The status
is "ongoing", "x won", "o won" or "draw".
"""

LINES = (
    [[(r, 0), (r, 1), (r, 2)] for r in range(3)]      # rows
    + [[(0, c), (1, c), (2, c)] for c in range(3)]    # columns
    + [[(0, 0), (1, 1), (2, 2)], [(0, 2), (1, 1), (2, 0)]]  # diagonals
)
MARKS = ["x", "o"]


def get_initial_state():
    return {"board": [["."] * 3 for _ in range(3)], "status": "ongoing"}


def _marks_played(board):
    return sum(cell != "." for row in board for cell in row)


def get_current_player(state):
    if state["status"] != "ongoing":
        return -4
    # x moves first and the players alternate, so the count of marks says who is next.
    return _marks_played(state["board"]) % 2


def get_player_name(player_id):
    return MARKS[player_id]


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    mark = MARKS[player]
    return [f"{mark}({r},{c})" for r in range(3) for c in range(3)
            if state["board"][r][c] == "."]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    mark = action[0]
    row, col = int(action[2]), int(action[4])
    board = [list(cells) for cells in state["board"]]
    board[row][col] = mark
    if any(all(board[r][c] == mark for r, c in line) for line in LINES):
        status = f"{mark} won"
    elif _marks_played(board) == 9:
        status = "draw"
    else:
        status = "ongoing"
    return {"board": board, "status": status}


def get_rewards(state):
    if state["status"] == "x won":
        return [1.0, -1.0]
    if state["status"] == "o won":
        return [-1.0, 1.0]
    return [0.0, 0.0]


def get_observations(state):
    # Perfect information: both players see the board and the status (no turn marker).
    return [{"board": [list(cells) for cells in state["board"]], "status": state["status"]}
            for _ in range(2)]
