"""Checkers (8x8 English draughts) as a game code world model.

Player 0 is Black: its men start on ranks 1-3 and move up the board, and it moves
first. Player 1 is White: its men start on ranks 6-8 and move down. The board is a
string of 64 cells indexed rank * 8 + file (a1 = 0, h8 = 63): "b" and "w" are men,
"B" and "W" kings, "." an empty square. Only the dark squares (a1, c1, ..., b2, ...)
are ever used.

One action is one step or one jump, written from-square then to-square ("c3d4",
"c3e5"). After a jump that can be continued, the same player moves again with the
same piece, so a multi-jump is a sequence of actions.

Every position is queried several times, so the legal move generator (a pure
function of the position) is memoised.
"""

import functools

FILES = "abcdefgh"
SQUARE_NAMES = [f + r for r in "12345678" for f in FILES]
SQUARES = {name: square for square, name in enumerate(SQUARE_NAMES)}
QUIET_LIMIT = 40  # actions in a row without a capture that draw the game
MAX_PLIES = 200  # actions in all that draw the game
OWN = ["bB", "wW"]
# The diagonal directions (file step, rank step) each kind of piece moves in.
DIRECTIONS = {
    "b": [(-1, 1), (1, 1)],
    "w": [(-1, -1), (1, -1)],
    "B": [(-1, 1), (1, 1), (-1, -1), (1, -1)],
    "W": [(-1, 1), (1, 1), (-1, -1), (1, -1)],
}


def _initial_board():
    cells = []
    for rank in range(8):
        for file in range(8):
            dark = (rank + file) % 2 == 0
            if dark and rank < 3:
                cells.append("b")
            elif dark and rank > 4:
                cells.append("w")
            else:
                cells.append(".")
    return "".join(cells)


def _targets(board, square, jump):
    """The squares the piece on `square` can step to (jump=False) or jump to
    (jump=True, over an adjacent enemy piece onto the empty square beyond it)."""
    piece = board[square]
    enemy = OWN[1] if piece in OWN[0] else OWN[0]
    f, r = square % 8, square // 8
    distance = 2 if jump else 1
    targets = []
    for df, dr in DIRECTIONS[piece]:
        tf, tr = f + distance * df, r + distance * dr
        if not (0 <= tf < 8 and 0 <= tr < 8) or board[tr * 8 + tf] != ".":
            continue
        if jump and board[(r + dr) * 8 + f + df] not in enemy:
            continue
        targets.append(tr * 8 + tf)
    return targets


@functools.lru_cache(maxsize=4096)
def _legal_moves(board, side, chain):
    """The legal actions as a tuple; `chain` is the square of a piece in the middle
    of a multi-jump, which must go on jumping, or None."""
    if chain is not None:
        return tuple(SQUARE_NAMES[chain] + SQUARE_NAMES[t] for t in _targets(board, chain, True))
    mine = [sq for sq, piece in enumerate(board) if piece in OWN[side]]
    # Jumping is compulsory: steps are legal only when no piece can jump.
    jumps = tuple(SQUARE_NAMES[sq] + SQUARE_NAMES[t]
                  for sq in mine for t in _targets(board, sq, True))
    if jumps:
        return jumps
    return tuple(SQUARE_NAMES[sq] + SQUARE_NAMES[t]
                 for sq in mine for t in _targets(board, sq, False))


def _position(board, side, chain, quiet, ply):
    """The state reached by an action, with the status of the game."""
    legal = _legal_moves(board, side, chain)
    if not legal:
        status = "no moves"  # the player to move loses
    elif quiet >= QUIET_LIMIT:
        status = "no capture limit"
    elif ply >= MAX_PLIES:
        status = "ply limit"
    else:
        status = "playing"
    return {
        "board": board,
        "to_move": side,
        "chain": SQUARE_NAMES[chain] if chain is not None else None,
        "quiet": quiet,
        "ply": ply,
        "status": status,
    }


def get_initial_state():
    return _position(_initial_board(), 0, None, 0, 0)


def get_current_player(state):
    return state["to_move"] if state["status"] == "playing" else -4


def get_player_name(player_id):
    return ["black", "white"][player_id]


def get_legal_actions(state):
    if state["status"] != "playing":
        return []
    chain = SQUARES[state["chain"]] if state["chain"] else None
    return list(_legal_moves(state["board"], state["to_move"], chain))


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    side = state["to_move"]
    frm, to = SQUARES[action[:2]], SQUARES[action[2:]]
    cells = list(state["board"])
    piece = cells[frm]
    cells[frm] = "."
    jump = abs(to - frm) > 9  # a step changes the index by 7 or 9, a jump by 14 or 18
    if jump:
        cells[(frm + to) // 2] = "."
    crowned = piece in "bw" and to // 8 == (7 if piece == "b" else 0)
    cells[to] = piece.upper() if crowned else piece
    board = "".join(cells)
    # A jump continues while the same piece can jump again, unless it was just
    # crowned: crowning always ends the turn.
    if jump and not crowned and _targets(board, to, True):
        next_side, chain = side, to
    else:
        next_side, chain = 1 - side, None
    return _position(board, next_side, chain, 0 if jump else state["quiet"] + 1,
                     state["ply"] + 1)


def get_rewards(state):
    if state["status"] != "no moves":
        return [0.0, 0.0]
    return [-1.0, 1.0] if state["to_move"] == 0 else [1.0, -1.0]


def get_observations(state):
    board = state["board"]
    view = {
        "board": [board[r * 8:r * 8 + 8] for r in range(7, -1, -1)],  # rank 8 first
        "to_move": get_current_player(state),
        "chain": state["chain"],
        "quiet": state["quiet"],
        "ply": state["ply"],
        "status": state["status"],
    }
    return [dict(view, board=list(view["board"])) for _ in range(2)]
