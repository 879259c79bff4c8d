"""Go on a 5x5 board as a game code world model.

Player 0 is Black ("B") and moves first, player 1 is White ("W"). The board is a
string of 25 characters, row by row from row 1, each "B", "W" or "." for empty.
Points are named by a column letter a-e and a row number 1-5, so "c3" is the
centre and index = (row - 1) * 5 + column.

Rules in short: suicide is illegal, simple ko, a stone move that recreates an
earlier board ends the game as a draw (superko), the game ends after two passes in
a row or 50 moves, and it is scored by area (Tromp-Taylor) with komi 0.5 for White.
"""

SIZE = 5
KOMI = 0.5
MAX_MOVES = 50
COLOURS = ["B", "W"]
COLUMNS = "abcde"


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
    return result


NEIGHBOURS = [_neighbours(p) for p in range(SIZE * SIZE)]


def _name(point):
    row, col = divmod(point, SIZE)
    return f"{COLUMNS[col]}{row + 1}"


NAMES = [_name(p) for p in range(SIZE * SIZE)]


def get_initial_state():
    empty = "." * (SIZE * SIZE)
    return {
        "board": empty,
        "to_move": 0,
        "ko": None,          # point the player to move may not play on, or None
        "passes": 0,         # consecutive passes just played
        "moves": 0,          # actions played so far, passes included
        "seen": empty + "/",  # every board that has occurred, each followed by "/"
        "superko": False,    # True once a stone move repeated an earlier board
    }


def _is_over(state):
    return state["superko"] or state["passes"] >= 2 or state["moves"] >= MAX_MOVES


def get_current_player(state):
    if _is_over(state):
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return COLOURS[player_id]


def _group(board, point):
    """The chain of stones containing point and the set of its liberties."""
    colour = board[point]
    stones, liberties, frontier = {point}, set(), [point]
    while frontier:
        for n in NEIGHBOURS[frontier.pop()]:
            if board[n] == ".":
                liberties.add(n)
            elif board[n] == colour and n not in stones:
                stones.add(n)
                frontier.append(n)
    return stones, liberties


def _is_legal_stone(board, point, colour, ko):
    if board[point] != "." or point == ko:
        return False
    if any(board[n] == "." for n in NEIGHBOURS[point]):
        return True
    # Every neighbour is a stone: the move is legal only if it joins a friendly
    # chain that keeps another liberty, or captures an enemy chain (no suicide).
    for n in NEIGHBOURS[point]:
        _, liberties = _group(board, n)
        if board[n] == colour and len(liberties) > 1:
            return True
        if board[n] != colour and len(liberties) == 1:
            return True
    return False


def get_legal_actions(state):
    if _is_over(state):
        return []
    board, colour = state["board"], COLOURS[state["to_move"]]
    moves = [f"{colour} {NAMES[p]}" for p in range(SIZE * SIZE)
             if _is_legal_stone(board, p, colour, state["ko"])]
    return moves + [f"{colour} PASS"]


def _place(board, point, colour):
    """Put a stone and remove the enemy chains left without liberties.
    Returns the new board and the list of captured points."""
    cells = list(board)
    cells[point] = colour
    captured = []
    for n in NEIGHBOURS[point]:
        if cells[n] not in (".", colour) and n not in captured:
            stones, liberties = _group(cells, n)
            if not liberties:
                captured.extend(stones)
    for p in captured:
        cells[p] = "."
    return "".join(cells), captured


def apply_action(state, action):
    if _is_over(state):
        raise ValueError(f"illegal action {action!r}: the game is over")
    colour = COLOURS[state["to_move"]]
    if not action.startswith(colour + " "):
        raise ValueError(f"illegal action {action!r}")
    target = action[2:]
    # Every value in the state is a string, a number, a bool or None, so a shallow
    # copy shares nothing mutable with the input.
    new = dict(state)
    new["moves"] += 1
    new["to_move"] = 1 - state["to_move"]
    if target == "PASS":
        new["passes"] += 1
        new["ko"] = None
        return new
    if target not in NAMES:
        raise ValueError(f"illegal action {action!r}")
    point = NAMES.index(target)
    if not _is_legal_stone(state["board"], point, colour, state["ko"]):
        raise ValueError(f"illegal action {action!r}")
    # A stone played where every neighbour is an enemy stone that captures exactly
    # one stone creates a ko: the opponent may not retake on that point at once.
    in_enemy_eye = all(state["board"][n] not in (".", colour) for n in NEIGHBOURS[point])
    board, captured = _place(state["board"], point, colour)
    new["ko"] = captured[0] if in_enemy_eye and len(captured) == 1 else None
    new["board"] = board
    new["passes"] = 0
    # All boards have the same length and no "/", so this finds whole boards only.
    if board + "/" in state["seen"]:
        new["superko"] = True
    else:
        new["seen"] = state["seen"] + board + "/"
    return new


def _area_score(board):
    """Black's area minus White's: stones plus empty regions touching one colour only."""
    score = board.count("B") - board.count("W")
    visited = set()
    for start in range(SIZE * SIZE):
        if board[start] != "." or start in visited:
            continue
        region, borders, frontier = {start}, set(), [start]
        while frontier:
            for n in NEIGHBOURS[frontier.pop()]:
                if board[n] == "." and n not in region:
                    region.add(n)
                    frontier.append(n)
                elif board[n] != ".":
                    borders.add(board[n])
        visited |= region
        if borders == {"B"}:
            score += len(region)
        elif borders == {"W"}:
            score -= len(region)
    return score


def get_rewards(state):
    if not _is_over(state) or state["superko"]:
        return [0.0, 0.0]
    if _area_score(state["board"]) - KOMI > 0:
        return [1.0, -1.0]
    return [-1.0, 1.0]


def _view(state):
    return {
        "board": [state["board"][r * SIZE:(r + 1) * SIZE] for r in range(SIZE)],
        "to_move": get_current_player(state),
        "ko": None if state["ko"] is None else _name(state["ko"]),
        "consecutive_passes": state["passes"],
        "moves_played": state["moves"],
    }


def get_observations(state):
    return [_view(state), _view(state)]
