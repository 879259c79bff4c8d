"""Breakthrough on an 8x8 board as a game code world model.

Player 0 is White: it starts on ranks 1 and 2, moves first and moves up the board.
Player 1 is Black: it starts on ranks 7 and 8 and moves down. board[r][c] is the
square of rank r + 1 and file "abcdefgh"[c], holding 0 (a White piece), 1 (a Black
piece) or -1 (empty). A move is written "e2-e3" (to an empty square) or "f4xe3"
(a diagonal capture); captures are optional. Reaching the far rank or capturing the
last enemy piece wins.
"""

SIZE = 8
FILES = "abcdefgh"
EMPTY = -1
NAMES = ["White", "Black"]
FORWARD = [1, -1]         # rank step of a move: White goes up, Black goes down
GOAL_ROW = [SIZE - 1, 0]  # the rank each player wins by reaching


def get_initial_state():
    board = [[EMPTY] * SIZE for _ in range(SIZE)]
    for c in range(SIZE):
        board[0][c] = board[1][c] = 0
        board[SIZE - 2][c] = board[SIZE - 1][c] = 1
    return {"board": board, "to_move": 0, "winner": None}


def get_current_player(state):
    return -4 if state["winner"] is not None else state["to_move"]


def get_player_name(player_id):
    return NAMES[player_id]


def _square(r, c):
    return f"{FILES[c]}{r + 1}"


def _moves(board, player):
    """Every move of player as (action, from, to) with squares as (row, column)."""
    moves = []
    for r in range(SIZE):
        for c in range(SIZE):
            if board[r][c] != player:
                continue
            # A piece never stands on its goal rank (that ends the game), so the
            # rank ahead is always on the board.
            to_r = r + FORWARD[player]
            for to_c in (c - 1, c, c + 1):
                if not 0 <= to_c < SIZE:
                    continue
                target = board[to_r][to_c]
                if target == EMPTY:
                    sign = "-"
                elif target == 1 - player and to_c != c:
                    sign = "x"
                else:
                    continue
                action = _square(r, c) + sign + _square(to_r, to_c)
                moves.append((action, (r, c), (to_r, to_c)))
    return moves


def get_legal_actions(state):
    if state["winner"] is not None:
        return []
    return sorted(action for action, _, _ in _moves(state["board"], state["to_move"]))


def apply_action(state, action):
    if state["winner"] is not None:
        raise ValueError(f"illegal action {action!r}: the game is over")
    player = state["to_move"]
    board = state["board"]
    moves = {name: (origin, target) for name, origin, target in _moves(board, player)}
    if action not in moves:
        raise ValueError(f"illegal action {action!r}")
    (r, c), (to_r, to_c) = moves[action]
    new_board = [row[:] for row in board]
    new_board[r][c] = EMPTY
    new_board[to_r][to_c] = player
    opponent = 1 - player
    # A player with pieces always has a move (its most advanced piece can step
    # diagonally forward onto an empty or enemy square), so there is no stalemate.
    won = to_r == GOAL_ROW[player] or not any(opponent in row for row in new_board)
    return {"board": new_board, "to_move": opponent, "winner": player if won else None}


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _view(state):
    return {
        "board": [row[:] for row in state["board"]],
        "current_player": get_current_player(state),
        "terminal": state["winner"] is not None,
    }


def get_observations(state):
    return [_view(state), _view(state)]
