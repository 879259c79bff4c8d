"""Havannah on a hexagonal board of base 4 (37 cells) as a game code world model.

Cells have coordinates (x, y) with 0 <= x, y <= 6 and |x - y| <= 3; a cell is
named by the letter of x ("a" to "g") and the number y + 1, e.g. "d4" is the
centre. Player 0 (White, "W") moves first, player 1 is Black ("B"). A player wins
by completing a ring, a bridge (two corners) or a fork (three edges).

The board is a string of 37 characters ("W", "B" or "." for empty), one per cell
in the order of CELLS: row by row (by number), letters in order inside a row.
"""

BASE = 4
LAST = 2 * BASE - 2          # largest coordinate, 6
LETTERS = "abcdefg"
MARKS = ["W", "B"]
NAMES = ["White", "Black"]
# The six directions, clockwise from the upper left.
DIRECTIONS = [(-1, -1), (0, -1), (1, 0), (1, 1), (0, 1), (-1, 0)]


def _on_board(x, y):
    return 0 <= x <= LAST and 0 <= y <= LAST and abs(x - y) < BASE


def _name(x, y):
    return f"{LETTERS[x]}{y + 1}"


COORDS = [(x, y) for y in range(LAST + 1) for x in range(LAST + 1) if _on_board(x, y)]
CELLS = [_name(x, y) for x, y in COORDS]
INDEX = {cell: i for i, cell in enumerate(CELLS)}
NEIGHBOURS = [[INDEX[_name(x + dx, y + dy)] for dx, dy in DIRECTIONS if _on_board(x + dx, y + dy)]
              for x, y in COORDS]
# Border cells are the corners and edges: they have fewer than six neighbours.
BORDER = {i for i in range(len(CELLS)) if len(NEIGHBOURS[i]) < 6}
# Where each row starts in the board string, for the observation.
ROW_STARTS = [next(i for i, (_, y) in enumerate(COORDS) if y == row) for row in range(LAST + 1)]


def _corner_and_edge(x, y):
    """The corner index (0-5) of a cell or None, and its edge index (0-5) or None.
    Corners belong to no edge."""
    m = BASE - 1
    corners = [(0, 0), (m, 0), (LAST, m), (LAST, LAST), (m, LAST), (0, m)]
    if (x, y) in corners:
        return corners.index((x, y)), None
    sides = [y == 0, x - y == m, x == LAST, y == LAST, y - x == m, x == 0]
    return None, sides.index(True) if any(sides) else None


CORNER, EDGE = zip(*(_corner_and_edge(x, y) for x, y in COORDS))


def get_initial_state():
    return {"board": "." * len(CELLS), "to_move": 0, "winner": None}


def _is_over(state):
    return state["winner"] is not None or "." not in state["board"]


def get_current_player(state):
    if _is_over(state):
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return NAMES[player_id]


def get_legal_actions(state):
    if _is_over(state):
        return []
    return [cell for cell, mark in zip(CELLS, state["board"]) if mark == "."]


def _group(board, cell):
    mark = board[cell]
    group, frontier = {cell}, [cell]
    while frontier:
        for n in NEIGHBOURS[frontier.pop()]:
            if board[n] == mark and n not in group:
                group.add(n)
                frontier.append(n)
    return group


def _encloses(board, cell, mark):
    """True if the stones of `mark`, not counting `cell` itself, cut `cell` off
    from the border of the board, i.e. a ring of `mark` surrounds it."""
    seen, frontier = {cell}, [cell]
    while frontier:
        current = frontier.pop()
        if current in BORDER:
            return False
        for n in NEIGHBOURS[current]:
            if board[n] != mark and n not in seen:
                seen.add(n)
                frontier.append(n)
    return True


def _wins(board, cell):
    """Does the stone just placed on `cell` complete a bridge, fork or ring?"""
    mark = board[cell]
    group = _group(board, cell)
    corners = {CORNER[c] for c in group if CORNER[c] is not None}
    edges = {EDGE[c] for c in group if EDGE[c] is not None}
    if len(corners) >= 2 or len(edges) >= 3:
        return True
    # A new ring passes through the new stone, and one of the cells next to it lies
    # inside the ring (that cell may be empty or hold a stone of either colour).
    return any(_encloses(board, n, mark) for n in NEIGHBOURS[cell])


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    cell = INDEX[action]
    board = state["board"][:cell] + MARKS[state["to_move"]] + state["board"][cell + 1:]
    winner = state["to_move"] if _wins(board, cell) else None
    return {"board": board, "to_move": 1 - state["to_move"], "winner": winner}


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _view(state):
    bounds = ROW_STARTS + [len(CELLS)]
    rows = [state["board"][bounds[r]:bounds[r + 1]] for r in range(LAST + 1)]
    return {"rows": rows, "to_move": get_current_player(state)}


def get_observations(state):
    return [_view(state), _view(state)]
