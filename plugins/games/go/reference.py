"""Go on a 9x9 board as a game code world model.

Player 0 is Black ("B") and moves first, player 1 is White ("W"). The board is a
string of 81 characters, row by row from row 0 (the top row), each "B", "W" or "."
for an empty point; point (r, c) has index r * 9 + c and is played by "place_r_c".

Rules in short: suicide is illegal unless the stone captures, a placement may not
recreate the board as it was before the opponent's last action (simple ko), the game
ends after two passes in a row (there is no move cap), and the board is scored by area
(stones plus empty regions touching one colour only) with komi 6.5 for White. The
score is judged on the current board at every state, so rewards are running.
"""

SIZE = 9
POINTS = SIZE * SIZE
KOMI = 6.5
EMPTY = "."
COLOURS = ["B", "W"]
NAMES = ["Black", "White"]


def _neighbours(point):
    row, col = divmod(point, SIZE)
    result = []
    if row > 0:
        result.append(point - SIZE)
    if row < SIZE - 1:
        result.append(point + SIZE)
    if col > 0:
        result.append(point - 1)
    if col < SIZE - 1:
        result.append(point + 1)
    return tuple(result)


NEIGHBOURS = [_neighbours(p) for p in range(POINTS)]
ACTIONS = [f"place_{p // SIZE}_{p % SIZE}" for p in range(POINTS)]
POINT_OF = {name: p for p, name in enumerate(ACTIONS)}


def get_initial_state():
    return {
        "board": EMPTY * POINTS,
        "to_move": 0,
        "previous_board": None,  # the board before the last action (None at the start)
        "passes": 0,             # consecutive passes just played
        "captured": [0, 0],      # enemy stones captured so far by Black and by White
    }


def _is_over(state):
    return state["passes"] >= 2


def get_current_player(state):
    return -4 if _is_over(state) else state["to_move"]


def get_player_name(player_id):
    return NAMES[player_id]


def _liberties(board, point, enough):
    """The number of liberties of the chain on point, counting no further than enough."""
    colour = board[point]
    chain, stack, empty = {point}, [point], set()
    while stack:
        for q in NEIGHBOURS[stack.pop()]:
            if board[q] == EMPTY:
                empty.add(q)
                if len(empty) >= enough:
                    return len(empty)
            elif board[q] == colour and q not in chain:
                chain.add(q)
                stack.append(q)
    return len(empty)


def _chain(board, point):
    """The stones of the chain on point."""
    colour = board[point]
    chain, stack = {point}, [point]
    while stack:
        for q in NEIGHBOURS[stack.pop()]:
            if board[q] == colour and q not in chain:
                chain.add(q)
                stack.append(q)
    return chain


def _place(board, point, colour):
    """The board after a stone of colour on point, with the enemy chains left without
    liberties removed; also returns the number of stones captured."""
    cells = list(board)
    cells[point] = colour
    captured = 0
    for q in NEIGHBOURS[point]:
        if cells[q] not in (EMPTY, colour) and _liberties(cells, q, 1) == 0:
            for stone in _chain(cells, q):
                cells[stone] = EMPTY
                captured += 1
    return "".join(cells), captured


def _has_empty_neighbour(board, point):
    for q in NEIGHBOURS[point]:
        if board[q] == EMPTY:
            return True
    return False


def _is_legal_when_crowded(state, point):
    """Whether the mover may play on an empty point whose neighbours are all stones."""
    board = state["board"]
    colour = COLOURS[state["to_move"]]
    captures = breathes = False
    for q in NEIGHBOURS[point]:
        if board[q] == colour:
            breathes = breathes or _liberties(board, q, 2) > 1
        elif _liberties(board, q, 2) == 1:
            captures = True
    if captures:
        # Only a capture can bring back the board from before the opponent's move.
        return _place(board, point, colour)[0] != state["previous_board"]
    return breathes


def _is_legal(state, point):
    """Whether the mover may place a stone on point. A stone with an empty neighbour
    always has a liberty, and it cannot retake a ko either: the stone that was just
    captured on that point had no empty neighbour."""
    if state["board"][point] != EMPTY:
        return False
    return (_has_empty_neighbour(state["board"], point)
            or _is_legal_when_crowded(state, point))


def get_legal_actions(state):
    if _is_over(state):
        return []
    board = state["board"]
    return ["pass"] + [ACTIONS[p] for p in range(POINTS) if board[p] == EMPTY and (
        _has_empty_neighbour(board, p) or _is_legal_when_crowded(state, p))]


def apply_action(state, action):
    if _is_over(state):
        raise ValueError(f"illegal action {action!r}: the game is over")
    player = state["to_move"]
    new = dict(state)
    new["to_move"] = 1 - player
    new["previous_board"] = state["board"]
    if action == "pass":
        new["passes"] = state["passes"] + 1
        return new
    point = POINT_OF.get(action)
    if point is None or not _is_legal(state, point):
        raise ValueError(f"illegal action {action!r}")
    new["board"], taken = _place(state["board"], point, COLOURS[player])
    new["passes"] = 0
    captured = list(state["captured"])
    captured[player] += taken
    new["captured"] = captured
    return new


def _area_difference(board):
    """Black's area minus White's: stones plus empty regions that touch one colour only."""
    difference = board.count("B") - board.count("W")
    seen = set()
    for start in range(POINTS):
        if board[start] != EMPTY or start in seen:
            continue
        region, stack, borders = {start}, [start], set()
        while stack:
            for q in NEIGHBOURS[stack.pop()]:
                if board[q] == EMPTY:
                    if q not in region:
                        region.add(q)
                        stack.append(q)
                else:
                    borders.add(board[q])
        seen |= region
        if borders == {"B"}:
            difference += len(region)
        elif borders == {"W"}:
            difference -= len(region)
    return difference


def get_rewards(state):
    if _area_difference(state["board"]) > KOMI:
        return [1.0, -1.0]
    return [-1.0, 1.0]


def _view(state):
    board = state["board"]
    return {
        "board": [board[r * SIZE:(r + 1) * SIZE] for r in range(SIZE)],
        "captured": {"B": state["captured"][0], "W": state["captured"][1]},
        "consecutive_passes": state["passes"],
    }


def get_observations(state):
    return [_view(state), _view(state)]
