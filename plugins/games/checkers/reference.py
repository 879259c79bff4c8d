"""Checkers (8x8 draughts) as a game code world model.

Rows 0-7 from the top, columns 0-7 from the left; only the dark squares (row +
column odd) are used. Player 0 has the red men "r" on rows 5-7, moves first and
goes up the board (towards row 0); player 1 has the black men "b" on rows 0-2 and goes
down. A man reaching the far row is crowned ("R", "B") and a king moves both ways.

One action is a whole turn: a step "move_<r1>_<c1>_<r2>_<c2>", or a complete capture
sequence "jump_<r1>_<c1>_<r2>_<c2>[_<r3>_<c3>...]" listing every landing square.
Capturing is compulsory and a sequence must go on while the piece can capture again
(kings in all four directions); a man that is crowned stops there. The mover wins when
the opponent has no piece or no legal action; 40 actions in a row without a capture
draw.

The board is a string of 64 cells indexed row * 8 + column.
"""

import functools

QUIET_LIMIT = 40  # actions in a row without a capture
MEN = "rb"
KINGS = "RB"
ENEMIES = {"r": "bB", "R": "bB", "b": "rR", "B": "rR"}
UP, DOWN = [(-1, -1), (-1, 1)], [(1, -1), (1, 1)]
DIRECTIONS = {"r": UP, "b": DOWN, "R": UP + DOWN, "B": UP + DOWN}
CROWN_ROW = {"r": 0, "b": 7}
START = "".join(
    ("b" if row < 3 else "r" if row > 4 else ".") if (row + col) % 2 else "."
    for row in range(8) for col in range(8))


def _on_board(row, col):
    return 0 <= row < 8 and 0 <= col < 8


def _hop(board, row, col, dr, dc):
    """The board after the piece on (row, col) jumps over (row+dr, col+dc)."""
    cells = list(board)
    cells[(row + 2 * dr) * 8 + col + 2 * dc] = cells[row * 8 + col]
    cells[row * 8 + col] = "."
    cells[(row + dr) * 8 + col + dc] = "."
    return "".join(cells)


def _capture_paths(board, row, col):
    """Every complete capture sequence of the piece on (row, col), as lists of landing
    squares. Captured pieces leave the board at once, so none is jumped twice."""
    piece = board[row * 8 + col]
    paths = []
    for dr, dc in DIRECTIONS[piece]:
        land_row, land_col = row + 2 * dr, col + 2 * dc
        if not _on_board(land_row, land_col) or board[land_row * 8 + land_col] != "." \
                or board[(row + dr) * 8 + col + dc] not in ENEMIES[piece]:
            continue
        landing = (land_row, land_col)
        if piece in MEN and land_row == CROWN_ROW[piece]:
            paths.append([landing])  # crowning ends the turn
            continue
        rest = _capture_paths(_hop(board, row, col, dr, dc), land_row, land_col)
        if rest:
            paths.extend([landing] + path for path in rest)
        else:
            paths.append([landing])
    return paths


def _name(kind, squares):
    return kind + "_" + "_".join(f"{row}_{col}" for row, col in squares)


@functools.lru_cache(maxsize=8192)
def _legal_actions(board, side):
    """The actions of `side` (0 red, 1 black): its captures if it has any, else its
    steps; pieces are taken row by row from the top, left to right."""
    own = "rR" if side == 0 else "bB"
    jumps, steps = [], []
    for square, piece in enumerate(board):
        if piece not in own:
            continue
        row, col = divmod(square, 8)
        for path in _capture_paths(board, row, col):
            jumps.append(_name("jump", [(row, col)] + path))
        if jumps:
            continue  # steps are not legal any more
        for dr, dc in DIRECTIONS[piece]:
            if _on_board(row + dr, col + dc) and board[(row + dr) * 8 + col + dc] == ".":
                steps.append(_name("move", [(row, col), (row + dr, col + dc)]))
    return tuple(jumps or steps)


def get_initial_state():
    return {"board": START, "to_move": 0, "quiet": 0, "winner": None, "over": False}


def get_current_player(state):
    return -4 if state["over"] else state["to_move"]


def get_player_name(player_id):
    return ["Red", "Black"][player_id]


def get_legal_actions(state):
    if state["over"]:
        return []
    return list(_legal_actions(state["board"], state["to_move"]))


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    kind, *numbers = action.split("_")
    squares = [(int(numbers[i]), int(numbers[i + 1])) for i in range(0, len(numbers), 2)]
    board = state["board"]
    if kind == "jump":
        for (row, col), (next_row, next_col) in zip(squares, squares[1:]):
            board = _hop(board, row, col, (next_row - row) // 2, (next_col - col) // 2)
    else:
        (row, col), (next_row, next_col) = squares
        cells = list(board)
        cells[next_row * 8 + next_col], cells[row * 8 + col] = cells[row * 8 + col], "."
        board = "".join(cells)
    row, col = squares[-1]
    piece = board[row * 8 + col]
    if piece in MEN and row == CROWN_ROW[piece]:
        board = board[:row * 8 + col] + piece.upper() + board[row * 8 + col + 1:]
    side, opponent = state["to_move"], 1 - state["to_move"]
    quiet = 0 if kind == "jump" else state["quiet"] + 1
    winner, over = None, False
    if not _legal_actions(board, opponent):  # no piece left, or every piece blocked
        winner, over = side, True
    elif quiet >= QUIET_LIMIT:
        over = True
    return {"board": board, "to_move": opponent, "quiet": quiet, "winner": winner,
            "over": over}


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _status(state):
    if not state["over"]:
        return "ongoing"
    if state["winner"] is None:
        return "draw"
    return "red wins" if state["winner"] == 0 else "black wins"


def get_observations(state):
    board = state["board"]
    view = {
        "board": [board[row * 8:row * 8 + 8] for row in range(8)],
        "status": _status(state),
        "quiet_actions": state["quiet"],
    }
    return [dict(view, board=list(view["board"])) for _ in range(2)]
