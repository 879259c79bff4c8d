"""Converge, an original sliding game, as a game code world model.

A 5x5 board; player 0 ("X") starts with pieces on a1, c1 and e1 and moves first,
player 1 ("O") starts on a5, c5 and e5. A move slides one of the mover's pieces in
one of the eight directions as far as it can go: it stops on the last empty square
before the board edge or another piece. A player wins when, after its move, its
three pieces form one king-connected group that occupies the centre square c3.
After 60 actions without a winner the game is a draw.

The board is a string of 25 characters, row by row from row 1 and from column a
inside a row: "X", "O" or "." for empty. A square's index is (row - 1) * 5 + column.
"""

SIZE = 5
CENTRE = 12                 # index of c3
MAX_ACTIONS = 60
MARKS = ["X", "O"]
COLUMNS = "abcde"
DIRECTIONS = [(dc, dr) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dc, dr) != (0, 0)]
SQUARES = [f"{COLUMNS[i % SIZE]}{i // SIZE + 1}" for i in range(SIZE * SIZE)]


def _adjacent(a, b):
    """King adjacency: the squares touch by a side or a corner."""
    return a != b and abs(a % SIZE - b % SIZE) <= 1 and abs(a // SIZE - b // SIZE) <= 1


def get_initial_state():
    board = "X.X.X" + "." * 15 + "O.O.O"
    return {"board": board, "to_move": 0, "actions": 0, "winner": None}


def _is_over(state):
    return state["winner"] is not None or state["actions"] >= MAX_ACTIONS


def get_current_player(state):
    if _is_over(state):
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return MARKS[player_id]


def _slide(board, start, dc, dr):
    """Where a piece on `start` stops when it slides in direction (dc, dr)."""
    col, row = start % SIZE, start // SIZE
    while (0 <= col + dc < SIZE and 0 <= row + dr < SIZE
           and board[(row + dr) * SIZE + col + dc] == "."):
        col, row = col + dc, row + dr
    return row * SIZE + col


def _stops(board, start):
    """The squares where the piece on `start` can stop, in board order."""
    ends = {_slide(board, start, dc, dr) for dc, dr in DIRECTIONS}
    return sorted(ends - {start})


def get_legal_actions(state):
    if _is_over(state):
        return []
    board, mark = state["board"], MARKS[state["to_move"]]
    return [f"{SQUARES[start]}-{SQUARES[end]}"
            for start in range(SIZE * SIZE) if board[start] == mark
            for end in _stops(board, start)]


def _converged(board, mark):
    """Are the pieces of `mark` one king-connected group that includes c3?"""
    pieces = [i for i, m in enumerate(board) if m == mark]
    if CENTRE not in pieces:
        return False
    group, frontier = {CENTRE}, [CENTRE]
    while frontier:
        current = frontier.pop()
        for other in pieces:
            if other not in group and _adjacent(current, other):
                group.add(other)
                frontier.append(other)
    return len(group) == len(pieces)


def apply_action(state, action):
    squares = action.split("-")
    if _is_over(state) or len(squares) != 2 or not set(squares) <= set(SQUARES):
        raise ValueError(f"illegal action {action!r}")
    start, end = (SQUARES.index(square) for square in squares)
    mark = MARKS[state["to_move"]]
    if state["board"][start] != mark or end not in _stops(state["board"], start):
        raise ValueError(f"illegal action {action!r}")
    cells = list(state["board"])
    cells[start], cells[end] = ".", mark
    board = "".join(cells)
    return {
        "board": board,
        "to_move": 1 - state["to_move"],
        "actions": state["actions"] + 1,
        "winner": state["to_move"] if _converged(board, mark) else None,
    }


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _view(state):
    rows = [state["board"][r * SIZE:(r + 1) * SIZE] for r in range(SIZE)]
    return {"rows": rows, "to_move": get_current_player(state),
            "actions_played": state["actions"]}


def get_observations(state):
    return [_view(state), _view(state)]
