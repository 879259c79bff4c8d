"""The Game of Y on a triangular board of side 5 (15 cells) as a game code world model.

Cells are (x, y) with x, y >= 0 and x + y <= 4, named "x,y". Neighbours of (x, y):
(x, y-1), (x+1, y-1), (x+1, y), (x, y+1), (x-1, y+1), (x-1, y). The three sides are
x = 0, y = 0 and x + y = 4; a corner lies on two sides. Player 0 (Black) moves first;
the mover wins when the group of its new stone touches all three sides.

The board is a string of 15 characters, one per cell in the order of CELLS (by y,
then x): "." for empty, "0" or "1" for a player's stone.
"""

SIDE = 5
EMPTY = "."
STONES = "01"  # the board character of each player's stones
NAMES = ["Black", "White"]
DIRECTIONS = [(0, -1), (1, -1), (1, 0), (0, 1), (-1, 1), (-1, 0)]

COORDS = [(x, y) for y in range(SIDE) for x in range(SIDE - y)]
CELLS = [f"{x},{y}" for x, y in COORDS]
INDEX = {coord: i for i, coord in enumerate(COORDS)}
CELL_INDEX = {name: i for i, name in enumerate(CELLS)}
NEIGHBOURS = [[INDEX[(x + dx, y + dy)] for dx, dy in DIRECTIONS if (x + dx, y + dy) in INDEX]
              for x, y in COORDS]
# The sides each cell lies on: 0 for x = 0, 1 for y = 0, 2 for x + y = 4.
SIDES = [{side for side, on in enumerate((x == 0, y == 0, x + y == SIDE - 1)) if on}
         for x, y in COORDS]


def get_initial_state():
    return {"board": EMPTY * len(CELLS), "to_move": 0, "winner": None, "over": False}


def get_current_player(state):
    return -4 if state["over"] else state["to_move"]


def get_player_name(player_id):
    return NAMES[player_id]


def get_legal_actions(state):
    if state["over"]:
        return []
    return [CELLS[i] for i, cell in enumerate(state["board"]) if cell == EMPTY]


def _touches_all_sides(board, cell):
    """Whether the group of the stone on cell holds cells of all three sides."""
    stone = board[cell]
    group, stack, sides = {cell}, [cell], set()
    while stack:
        here = stack.pop()
        sides |= SIDES[here]
        for n in NEIGHBOURS[here]:
            if board[n] == stone and n not in group:
                group.add(n)
                stack.append(n)
    return len(sides) == 3


def apply_action(state, action):
    cell = CELL_INDEX.get(action)
    if state["over"] or cell is None or state["board"][cell] != EMPTY:
        raise ValueError(f"illegal action {action!r}")
    player = state["to_move"]
    board = state["board"][:cell] + STONES[player] + state["board"][cell + 1:]
    won = _touches_all_sides(board, cell)
    return {"board": board, "to_move": 1 - player, "winner": player if won else None,
            "over": won or EMPTY not in board}


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _view(state):
    board = state["board"]
    return {
        "board": {CELLS[i]: int(stone) for i, stone in enumerate(board) if stone != EMPTY},
        "current_player": get_current_player(state),
        "terminal": state["over"],
    }


def get_observations(state):
    return [_view(state), _view(state)]
