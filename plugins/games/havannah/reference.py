"""Havannah on a hexagon of side 10 (271 cells) as a game code world model.

A cell is labelled by a letter A-S and a number 1-19. With x = letter index - 9 and
z = number - 10 the label exists when |x + z| <= 9; J10 is the centre. Neighbours of
(letter L, number n): (L-1, n), (L+1, n), (L, n-1), (L, n+1), (L+1, n-1), (L-1, n+1).
The edge is every cell with |x|, |z| or |x + z| equal to 9; the corners are A10, A19,
J1, J19, S1 and S10.

The mover wins when the new stone's group holds two corners (a bridge) or when some
connected region of cells without the mover's stones holds no edge cell (a ring).
There is no fork rule. 150 stones without a win is a draw. The board is a string of
271 characters, one per cell in CELLS: "." for empty, "0" or "1" for a player's stone.
"""

SIDE = 10
LETTERS = "ABCDEFGHIJKLMNOPQRS"
EMPTY = "."
STONES = "01"  # the board character of each player's stones
MAX_STONES = 150
NAMES = ["White", "Black"]

CELLS = [(x, z) for x in range(-SIDE + 1, SIDE) for z in range(-SIDE + 1, SIDE)
         if abs(x + z) < SIDE]
INDEX = {cell: i for i, cell in enumerate(CELLS)}
LABELS = [f"{LETTERS[x + SIDE - 1]}{z + SIDE}" for x, z in CELLS]
LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}
NEIGHBOURS = [
    [INDEX[(x + dx, z + dz)] for dx, dz in ((-1, 0), (1, 0), (0, -1), (0, 1), (1, -1), (-1, 1))
     if (x + dx, z + dz) in INDEX]
    for x, z in CELLS
]
EDGE = [SIDE - 1 in (abs(x), abs(z), abs(x + z)) for x, z in CELLS]
CORNER = [len(NEIGHBOURS[i]) == 3 for i in range(len(CELLS))]
# The order of the legal list: by label length, then alphabetically.
ORDER = sorted(range(len(CELLS)), key=lambda i: (len(LABELS[i]), LABELS[i]))


def get_initial_state():
    return {"board": EMPTY * len(CELLS), "to_move": 0, "stones": 0,
            "winner": None, "over": False}


def get_current_player(state):
    return -4 if state["over"] else state["to_move"]


def get_player_name(player_id):
    return NAMES[player_id]


def get_legal_actions(state):
    if state["over"]:
        return []
    board = state["board"]
    return [LABELS[i] for i in ORDER if board[i] == EMPTY]


def _is_bridge(board, cell, stone):
    """Whether the group of the stone on cell holds at least two corners."""
    group, stack, corners = {cell}, [cell], 0
    while stack:
        here = stack.pop()
        corners += CORNER[here]
        for n in NEIGHBOURS[here]:
            if board[n] == stone and n not in group:
                group.add(n)
                stack.append(n)
    return corners >= 2


def _is_ring(board, cell, stone):
    """Whether some region of cells without the mover's stones is cut off from the edge.
    Only a region next to the new stone can have just been cut off, and a stone can
    only close a ring if at least two of its neighbours are the mover's."""
    if sum(board[n] == stone for n in NEIGHBOURS[cell]) < 2:
        return False
    seen = set()
    for start in NEIGHBOURS[cell]:
        if board[start] == stone or start in seen:
            continue
        region, stack, open_to_edge = {start}, [start], False
        while stack and not open_to_edge:
            here = stack.pop()
            if EDGE[here]:
                open_to_edge = True
            for n in NEIGHBOURS[here]:
                if board[n] != stone and n not in region:
                    region.add(n)
                    stack.append(n)
        if not open_to_edge:
            return True
        seen |= region
    return False


def apply_action(state, action):
    cell = LABEL_INDEX.get(action)
    if state["over"] or cell is None or state["board"][cell] != EMPTY:
        raise ValueError(f"illegal action {action!r}")
    player = state["to_move"]
    stone = STONES[player]
    board = state["board"][:cell] + stone + state["board"][cell + 1:]
    stones = state["stones"] + 1
    won = _is_bridge(board, cell, stone) or _is_ring(board, cell, stone)
    return {"board": board, "to_move": 1 - player, "stones": stones,
            "winner": player if won else None, "over": won or stones >= MAX_STONES}


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _view(state):
    board = state["board"]
    return {
        "board": {LABELS[i]: int(owner) for i, owner in enumerate(board) if owner != EMPTY},
        "current_player": get_current_player(state),
        "terminal": state["over"],
    }


def get_observations(state):
    return [_view(state), _view(state)]
