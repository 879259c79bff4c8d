"""Gardner minichess (5x5) as a game code world model.

Player 0 is White and moves first, player 1 is Black. The board is a string of
25 cells indexed rank * 5 + file (a1 = 0, e1 = 4, a5 = 20, e5 = 24), each a piece
letter (K Q R B N P, upper case for White, lower case for Black) or "." when empty.
Moves are UCI strings: "b2b3", "a4a5q" for a promotion. There is no castling, no
two-square pawn advance and no en passant.

Generating legal moves is the costly part and every position is queried several
times, so the generator is memoised (it is a pure function of the position).
"""

import functools

SIZE = 5
FILES = "abcde"
SQUARE_NAMES = [f + r for r in "12345" for f in FILES]
SQUARES = {name: square for square, name in enumerate(SQUARE_NAMES)}
START = "RNBQK" + "PPPPP" + "....." + "ppppp" + "rnbqk"
MAX_PLIES = 100
PROMOTIONS = "qrbn"
ROOK_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1)]
BISHOP_DIRECTIONS = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
KNIGHT_JUMPS = [(1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2)]


def _ray(square, df, dr):
    """The squares from `square` (excluded) to the edge of the board in one direction."""
    f, r = square % SIZE + df, square // SIZE + dr
    squares = []
    while 0 <= f < SIZE and 0 <= r < SIZE:
        squares.append(r * SIZE + f)
        f, r = f + df, r + dr
    return squares


def _steps(square, offsets):
    return [ray[0] for ray in (_ray(square, df, dr) for df, dr in offsets) if ray]


# Precomputed geometry: for every square, the rays of the sliding pieces and the
# targets of the knight and the king.
ROOK_RAYS = [[_ray(sq, df, dr) for df, dr in ROOK_DIRECTIONS] for sq in range(SIZE * SIZE)]
BISHOP_RAYS = [[_ray(sq, df, dr) for df, dr in BISHOP_DIRECTIONS] for sq in range(SIZE * SIZE)]
KNIGHT_TARGETS = [_steps(sq, KNIGHT_JUMPS) for sq in range(SIZE * SIZE)]
KING_TARGETS = [_steps(sq, ROOK_DIRECTIONS + BISHOP_DIRECTIONS) for sq in range(SIZE * SIZE)]


def _pieces(side):
    """The piece letters of `side` and of its opponent."""
    return ("PNBRQK", "pnbrqk") if side == 0 else ("pnbrqk", "PNBRQK")


def _attacked(board, square, by):
    """Whether any piece of side `by` (0 White, 1 Black) attacks `square`."""
    pawn, knight, bishop, rook, queen, king = _pieces(by)[0]
    for t in KNIGHT_TARGETS[square]:
        if board[t] == knight:
            return True
    for t in KING_TARGETS[square]:
        if board[t] == king:
            return True
    for rays, slider in ((ROOK_RAYS, rook), (BISHOP_RAYS, bishop)):
        for ray in rays[square]:
            for t in ray:
                if board[t] != ".":
                    if board[t] == slider or board[t] == queen:
                        return True
                    break
    # A White pawn attacks diagonally upwards, so it stands one rank below the square.
    f, r = square % SIZE, square // SIZE
    r += -1 if by == 0 else 1
    return 0 <= r < SIZE and any(
        0 <= pf < SIZE and board[r * SIZE + pf] == pawn for pf in (f - 1, f + 1))


def _pinned(board, king, side):
    """The squares of the mover's pieces that stand alone between its king and an
    enemy slider on the same line: moving them may expose the king."""
    own, enemy = _pieces(side)
    _, _, bishop, rook, queen, _ = enemy
    pinned = set()
    for rays, sliders in ((ROOK_RAYS, rook + queen), (BISHOP_RAYS, bishop + queen)):
        for ray in rays[king]:
            shield = None
            for t in ray:
                if board[t] == ".":
                    continue
                if shield is None and board[t] in own:
                    shield = t
                    continue
                if shield is not None and board[t] in sliders:
                    pinned.add(shield)
                break
    return pinned


def _pseudo_moves(board, side):
    """(from, to, promotion) for every move that follows the piece rules, ignoring
    whether it leaves the mover's own king in check."""
    own, enemy = _pieces(side)
    for frm, piece in enumerate(board):
        if piece not in own:
            continue
        kind = piece.upper()
        if kind == "P":
            yield from _pawn_moves(board, side, frm, enemy)
        elif kind == "N" or kind == "K":
            for to in (KNIGHT_TARGETS if kind == "N" else KING_TARGETS)[frm]:
                if board[to] not in own:
                    yield frm, to, ""
        else:
            rays = []
            if kind in "RQ":
                rays += ROOK_RAYS[frm]
            if kind in "BQ":
                rays += BISHOP_RAYS[frm]
            for ray in rays:
                for to in ray:
                    if board[to] != ".":
                        if board[to] in enemy:
                            yield frm, to, ""
                        break
                    yield frm, to, ""


def _pawn_moves(board, side, frm, enemy):
    """One square straight forward onto an empty square, or one square diagonally
    forward onto an enemy piece; promotion on the last rank."""
    forward, last_rank = (SIZE, SIZE - 1) if side == 0 else (-SIZE, 0)
    f = frm % SIZE
    one = frm + forward
    targets = [one] if board[one] == "." else []
    for df in (-1, 1):
        if 0 <= f + df < SIZE and board[one + df] in enemy:
            targets.append(one + df)
    for to in targets:
        if to // SIZE == last_rank:
            for promotion in PROMOTIONS:
                yield frm, to, promotion
        else:
            yield frm, to, ""


def _play(board, frm, to, promotion):
    """The board after a move."""
    after = list(board)
    piece = after[frm]
    after[frm] = "."
    if promotion:
        piece = promotion.upper() if piece == "P" else promotion
    after[to] = piece
    return "".join(after)


@functools.lru_cache(maxsize=4096)
def _legal_moves(board, side):
    """The legal moves as a tuple of UCI strings."""
    king = board.index("K" if side == 0 else "k")
    in_check = _attacked(board, king, 1 - side)
    pinned = _pinned(board, king, side)
    moves = []
    for frm, to, promotion in _pseudo_moves(board, side):
        # Only king moves, moves made in check and moves of pinned pieces can leave
        # the king attacked; test those on the board after the move.
        if frm == king or in_check or frm in pinned:
            after = _play(board, frm, to, promotion)
            if _attacked(after, to if frm == king else king, 1 - side):
                continue
        moves.append(SQUARE_NAMES[frm] + SQUARE_NAMES[to] + promotion)
    return tuple(moves)


def _insufficient_material(board):
    """Neither side can ever checkmate: no pawn, rook or queen is left, and besides
    the kings there is at most one minor piece, or only bishops all standing on
    squares of one colour."""
    if any(piece in board for piece in "PpRrQq"):
        return False
    minors = [sq for sq, piece in enumerate(board) if piece in "NnBb"]
    if len(minors) <= 1:
        return True
    return all(board[sq] in "Bb" for sq in minors) and \
        len({(sq % SIZE + sq // SIZE) % 2 for sq in minors}) == 1


def _position(board, side, ply):
    """The state for a position reached by a move, with the status of the game."""
    legal = _legal_moves(board, side)
    if not legal:
        king = board.index("K" if side == 0 else "k")
        status = "checkmate" if _attacked(board, king, 1 - side) else "stalemate"
    elif _insufficient_material(board):
        status = "insufficient material"
    elif ply >= MAX_PLIES:
        status = "ply limit"
    else:
        status = "playing"
    return {
        "board": board,
        "to_move": side,
        "ply": ply,
        "status": status,
    }


def get_initial_state():
    return _position(START, 0, 0)


def get_current_player(state):
    return state["to_move"] if state["status"] == "playing" else -4


def get_player_name(player_id):
    return ["white", "black"][player_id]


def get_legal_actions(state):
    if state["status"] != "playing":
        return []
    return list(_legal_moves(state["board"], state["to_move"]))


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    frm, to, promotion = SQUARES[action[:2]], SQUARES[action[2:4]], action[4:]
    board = _play(state["board"], frm, to, promotion)
    return _position(board, 1 - state["to_move"], state["ply"] + 1)


def get_rewards(state):
    if state["status"] != "checkmate":
        return [0.0, 0.0]
    # The side to move has been mated.
    return [-1.0, 1.0] if state["to_move"] == 0 else [1.0, -1.0]


def get_observations(state):
    board = state["board"]
    view = {
        # rank 5 first, file a first; "." is an empty square
        "board": [board[r * SIZE:(r + 1) * SIZE] for r in range(SIZE - 1, -1, -1)],
        "to_move": get_current_player(state),
        "ply": state["ply"],
        "status": state["status"],
    }
    return [dict(view, board=list(view["board"])) for _ in range(2)]
