"""The Game of Y on a triangular board of side 7 (28 cells) as a game code world model.

Cells have coordinates (x, y) with x, y >= 0 and x + y <= 6; a cell is named by
the letter of x ("a" to "g") and the number y + 1, so row 1 is a1..g1 and row 7 is
the single cell a7. The three sides are x = 0, y = 0 and x + y = 6; a corner cell
lies on two sides. Player 0 (Black, "B") moves first, player 1 is White ("W"). The
first player whose group touches all three sides wins.

The board is a string of 28 characters ("B", "W" or "." for empty), one per cell in
the order of CELLS: row by row, letters in order inside a row.
"""

SIDE = 7
LETTERS = "abcdefg"
MARKS = ["B", "W"]
NAMES = ["Black", "White"]
DIRECTIONS = [(0, -1), (1, -1), (1, 0), (0, 1), (-1, 1), (-1, 0)]


def _on_board(x, y):
    return x >= 0 and y >= 0 and x + y < SIDE


COORDS = [(x, y) for y in range(SIDE) for x in range(SIDE - y)]
CELLS = [f"{LETTERS[x]}{y + 1}" for x, y in COORDS]
INDEX = {coord: i for i, coord in enumerate(COORDS)}
NEIGHBOURS = [[INDEX[(x + dx, y + dy)] for dx, dy in DIRECTIONS if _on_board(x + dx, y + dy)]
              for x, y in COORDS]
# The sides each cell lies on, as a set of side numbers: 0 for x = 0, 1 for y = 0,
# 2 for x + y = 6. Corners lie on two sides, inner cells on none.
SIDES = [{side for side, on in enumerate([x == 0, y == 0, x + y == SIDE - 1]) if on}
         for x, y in COORDS]
# Where each row starts in the board string, for the observation.
ROW_STARTS = [INDEX[(0, y)] for y in range(SIDE)] + [len(CELLS)]


def get_initial_state():
    return {"board": "." * len(CELLS), "to_move": 0, "winner": None}


def get_current_player(state):
    # A full board always contains a winning group, so the game ends with a winner.
    if state["winner"] is not None:
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return NAMES[player_id]


def get_legal_actions(state):
    if state["winner"] is not None:
        return []
    return [cell for cell, mark in zip(CELLS, state["board"]) if mark == "."]


def _touches_all_sides(board, cell):
    """Does the group of the stone on `cell` reach all three sides?"""
    mark = board[cell]
    sides, seen, frontier = set(), {cell}, [cell]
    while frontier:
        current = frontier.pop()
        sides |= SIDES[current]
        for n in NEIGHBOURS[current]:
            if board[n] == mark and n not in seen:
                seen.add(n)
                frontier.append(n)
    return len(sides) == 3


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    cell = CELLS.index(action)
    board = state["board"][:cell] + MARKS[state["to_move"]] + state["board"][cell + 1:]
    winner = state["to_move"] if _touches_all_sides(board, cell) else None
    return {"board": board, "to_move": 1 - state["to_move"], "winner": winner}


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _view(state):
    rows = [state["board"][ROW_STARTS[y]:ROW_STARTS[y + 1]] for y in range(SIDE)]
    return {"rows": rows, "to_move": get_current_player(state)}


def get_observations(state):
    return [_view(state), _view(state)]
