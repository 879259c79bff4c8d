"""Breakthrough on a 6x6 board as a game code world model.

Player 0 is black ("b"): it starts on rows 5 and 6 at the top, moves first and
moves down the board. Player 1 is white ("w"): it starts on rows 1 and 2 and moves
up. board[r][c] is the square in row r + 1 (counted from the bottom) and column
"abcdef"[c], holding "b", "w" or "" for empty.
"""

SIZE = 6
FILES = "abcdef"
PIECES = ["b", "w"]
PLAYER_NAMES = ["black", "white"]
FORWARD = [-1, 1]       # row step of a move: black goes down, white goes up
GOAL_ROW = [0, SIZE - 1]  # the row each player must reach


def get_initial_state():
    board = [[""] * SIZE for _ in range(SIZE)]
    for c in range(SIZE):
        board[0][c] = board[1][c] = "w"
        board[SIZE - 2][c] = board[SIZE - 1][c] = "b"
    return {"board": board, "to_move": 0, "winner": None}


def get_current_player(state):
    if state["winner"] is not None:
        return -4
    return state["to_move"]


def get_player_name(player_id):
    return PLAYER_NAMES[player_id]


def _square(r, c):
    return f"{FILES[c]}{r + 1}"


def get_legal_actions(state):
    if state["winner"] is not None:
        return []
    player = state["to_move"]
    board, mine, theirs = state["board"], PIECES[player], PIECES[1 - player]
    actions = []
    for r in range(SIZE):
        for c in range(SIZE):
            if board[r][c] != mine:
                continue
            to_r = r + FORWARD[player]  # never off the board: the goal row ends the game
            for to_c in (c - 1, c, c + 1):
                if not 0 <= to_c < SIZE:
                    continue
                target = board[to_r][to_c]
                move = _square(r, c) + _square(to_r, to_c)
                if target == "":
                    actions.append(move)
                elif target == theirs and to_c != c:  # captures are diagonal only
                    actions.append(move + "*")
    return actions


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    player = state["to_move"]
    from_c, from_r = FILES.index(action[0]), int(action[1]) - 1
    to_c, to_r = FILES.index(action[2]), int(action[3]) - 1
    board = [row[:] for row in state["board"]]
    board[from_r][from_c] = ""
    board[to_r][to_c] = PIECES[player]  # a captured piece is simply replaced
    enemy_left = any(PIECES[1 - player] in row for row in board)
    winner = player if to_r == GOAL_ROW[player] or not enemy_left else None
    return {"board": board, "to_move": 1 - player, "winner": winner}


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def get_observations(state):
    return [
        {"board": [row[:] for row in state["board"]], "to_move": get_current_player(state)}
        for _ in range(2)
    ]
