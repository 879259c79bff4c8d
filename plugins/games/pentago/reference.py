"""Pentago as a game code world model.

The 6x6 board is a list of six rows, row 0 at the top (row "1" in action strings),
each a list of six cells holding "W" (player 0, white), "B" (player 1, black) or
"" for empty. It is made of four 3x3 quadrants. A move places a marble on an
empty cell and then turns one quadrant a quarter turn; only after the turn is the
board checked for five in a row.
"""

SIZE = 6
FILES = "abcdef"
MARBLES = ["W", "B"]
PLAYER_NAMES = ["white", "black"]
# Rotation letter -> (top row, left column of the quadrant, clockwise?).
ROTATIONS = {
    "s": (0, 0, False), "t": (0, 0, True),  # top-left
    "u": (0, 3, False), "v": (0, 3, True),  # top-right
    "w": (3, 3, False), "x": (3, 3, True),  # bottom-right
    "y": (3, 0, False), "z": (3, 0, True),  # bottom-left
}


def _lines():
    """Every run of five cells in a straight line: rows, columns and diagonals."""
    lines = []
    for dr, dc in [(0, 1), (1, 0), (1, 1), (1, -1)]:
        for r in range(SIZE):
            for c in range(SIZE):
                cells = [(r + k * dr, c + k * dc) for k in range(5)]
                if all(0 <= rr < SIZE and 0 <= cc < SIZE for rr, cc in cells):
                    lines.append(cells)
    return lines


LINES = _lines()
CELL_NAMES = [[f"{FILES[c]}{r + 1}" for c in range(SIZE)] for r in range(SIZE)]


def get_initial_state():
    return {
        "board": [[""] * SIZE for _ in range(SIZE)],
        "to_move": 0,
        "result": None,  # once over: the winner's marble ("W" or "B") or "draw"
    }


def get_current_player(state):
    if state["result"] is not None:
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return PLAYER_NAMES[player_id]


def get_legal_actions(state):
    if state["result"] is not None:
        return []
    return [
        CELL_NAMES[r][c] + rotation
        for r, cells in enumerate(state["board"])
        for c, cell in enumerate(cells)
        if not cell
        for rotation in ROTATIONS
    ]


def _rotate(board, rotation):
    top, left, clockwise = ROTATIONS[rotation]
    old = [row[left:left + 3] for row in board[top:top + 3]]
    for i in range(3):
        for j in range(3):
            # Clockwise, the left column becomes the top row; counter-clockwise,
            # the right column does.
            board[top + i][left + j] = old[2 - j][i] if clockwise else old[j][2 - i]


def _fives(board):
    """The marbles that have five in a row somewhere on the board."""
    found = []
    for (r0, c0), *rest in LINES:
        marble = board[r0][c0]
        if marble and marble not in found and all(board[r][c] == marble for r, c in rest):
            found.append(marble)
    return found


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    col, row, rotation = FILES.index(action[0]), int(action[1]) - 1, action[2]
    board = [cells[:] for cells in state["board"]]
    board[row][col] = MARBLES[state["to_move"]]
    _rotate(board, rotation)
    # The turn can complete a five for either player, or for both at once.
    fives = _fives(board)
    if len(fives) == 2:
        result = "draw"
    elif fives:
        result = fives[0]
    elif all(all(cells) for cells in board):
        result = "draw"
    else:
        result = None
    return {"board": board, "to_move": 1 - state["to_move"], "result": result}


def get_rewards(state):
    if state["result"] == "W":
        return [1.0, -1.0]
    if state["result"] == "B":
        return [-1.0, 1.0]
    return [0.0, 0.0]


def get_observations(state):
    return [
        {"board": [cells[:] for cells in state["board"]], "to_move": get_current_player(state)}
        for _ in range(2)
    ]
