"""Gardner minichess (chess on a 5x5 board) as a game code world model.

Files a-e, ranks 1-5. White (player 0, moving first) has R N B Q K on a1-e1 and pawns
on rank 2; Black mirrors this on ranks 5 and 4. Chess moves without castling; a pawn
on its starting rank may advance two squares when both are empty (with en passant),
and promotes on the last rank to Q, R, B or N. Drawn by stalemate, after 100 plies
without a pawn move or capture, and when only K v K, K+B v K or K+N v K is left.

The board is a string of 25 cells indexed rank * 5 + file (a1 = 0, e1 = 4, a5 = 20),
each a piece letter (upper case White, lower case Black) or "." when empty. Actions
name the moving piece in upper case for both sides: "N_b1_a3", "P_a2_a3", and a
promotion "P_d4_c5_B".
"""

import functools

SIZE = 5
FILES = "abcde"
SQUARE_NAMES = [f + r for r in "12345" for f in FILES]
SQUARES = {name: square for square, name in enumerate(SQUARE_NAMES)}
START = "RNBQK" + "PPPPP" + "....." + "ppppp" + "rnbqk"
CLOCK_LIMIT = 100  # plies without a pawn move or a capture
PROMOTIONS = "QRBN"
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
CELLS = range(SIZE * SIZE)
ROOK_RAYS = [[_ray(sq, df, dr) for df, dr in ROOK_DIRECTIONS] for sq in CELLS]
BISHOP_RAYS = [[_ray(sq, df, dr) for df, dr in BISHOP_DIRECTIONS] for sq in CELLS]
KNIGHT_TARGETS = [_steps(sq, KNIGHT_JUMPS) for sq in CELLS]
KING_TARGETS = [_steps(sq, ROOK_DIRECTIONS + BISHOP_DIRECTIONS) for sq in CELLS]


def _pieces(side):
    """The piece letters of `side` (0 White, 1 Black) and of its opponent."""
    return ("PNBRQK", "pnbrqk") if side == 0 else ("pnbrqk", "PNBRQK")


def _attacked(board, square, by):
    """Whether any piece of side `by` attacks `square`."""
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
    f, r = square % SIZE, square // SIZE + (-1 if by == 0 else 1)
    if not 0 <= r < SIZE:
        return False
    return (f > 0 and board[r * SIZE + f - 1] == pawn) or \
        (f < SIZE - 1 and board[r * SIZE + f + 1] == pawn)


def _destinations(board, frm, kind, side, ep, own, enemy):
    """(to, promotion) for every move of the piece on `frm` that follows the piece
    rules, ignoring whether it leaves the mover's king in check."""
    if kind == "P":
        return _pawn_moves(board, frm, side, ep, enemy)
    if kind in "NK":
        targets = (KNIGHT_TARGETS if kind == "N" else KING_TARGETS)[frm]
        return [(to, "") for to in targets if board[to] not in own]
    rays = (ROOK_RAYS[frm] if kind != "B" else []) + (BISHOP_RAYS[frm] if kind != "R" else [])
    out = []
    for ray in rays:
        for to in ray:
            if board[to] == ".":
                out.append((to, ""))
                continue
            if board[to] in enemy:
                out.append((to, ""))
            break
    return out


def _pawn_moves(board, frm, side, ep, enemy):
    forward, start_rank, last_rank = (SIZE, 1, SIZE - 1) if side == 0 else (-SIZE, SIZE - 2, 0)
    f, r = frm % SIZE, frm // SIZE
    targets = []
    one = frm + forward
    if board[one] == ".":
        targets.append(one)
        if r == start_rank and board[one + forward] == ".":
            targets.append(one + forward)
    for df in (-1, 1):
        if 0 <= f + df < SIZE:
            to = one + df
            if to == ep or board[to] in enemy:
                targets.append(to)
    if one // SIZE == last_rank:
        return [(to, promotion) for to in targets for promotion in PROMOTIONS]
    return [(to, "") for to in targets]


def _play(board, frm, to, promotion, ep):
    """The board after a move."""
    after = list(board)
    piece = after[frm]
    after[frm] = "."
    if piece in "Pp" and to == ep:
        # En passant: the captured pawn stands beside the mover, behind the target square.
        after[to - SIZE if piece == "P" else to + SIZE] = "."
    if promotion:
        piece = promotion if piece == "P" else promotion.lower()
    after[to] = piece
    return "".join(after)


@functools.lru_cache(maxsize=8192)
def _legal_moves(board, side, ep):
    """The legal actions of a position as a tuple of strings, in list order; `ep` is
    the en passant target square (an index) or None."""
    own, enemy = _pieces(side)
    king = board.index(own[5])
    moves = []
    for frm, piece in enumerate(board):
        if piece not in own:
            continue
        kind = piece.upper()
        for to, promotion in _destinations(board, frm, kind, side, ep, own, enemy):
            after = _play(board, frm, to, promotion, ep)
            if _attacked(after, to if frm == king else king, 1 - side):
                continue  # the move would leave the mover's king in check
            action = f"{kind}_{SQUARE_NAMES[frm]}_{SQUARE_NAMES[to]}"
            moves.append(f"{action}_{promotion}" if promotion else action)
    return tuple(moves)


def _insufficient_material(board):
    """Only the kings are left, or the kings and one bishop or knight of either side."""
    others = [piece for piece in board if piece not in ".Kk"]
    return not others or (len(others) == 1 and others[0] in "BNbn")


def _position(board, side, ep, clock):
    """The state of a position reached by a move, with the status of the game,
    decided in this order: no legal move, the clock, the material."""
    if not _legal_moves(board, side, ep):
        king = board.index("K" if side == 0 else "k")
        status = "checkmate" if _attacked(board, king, 1 - side) else "stalemate"
    elif clock >= CLOCK_LIMIT:
        status = "clock"
    elif _insufficient_material(board):
        status = "insufficient material"
    else:
        status = "playing"
    return {
        "board": board,
        "to_move": side,
        "en_passant": SQUARE_NAMES[ep] if ep is not None else None,
        "halfmove_clock": clock,
        "status": status,
    }


def get_initial_state():
    return _position(START, 0, None, 0)


def get_current_player(state):
    return state["to_move"] if state["status"] == "playing" else -4


def get_player_name(player_id):
    return ["White", "Black"][player_id]


def _ep_square(state):
    return SQUARES[state["en_passant"]] if state["en_passant"] else None


def get_legal_actions(state):
    if state["status"] != "playing":
        return []
    return list(_legal_moves(state["board"], state["to_move"], _ep_square(state)))


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    board, side, ep = state["board"], state["to_move"], _ep_square(state)
    _, frm_name, to_name, *promotion = action.split("_")
    frm, to, promotion = SQUARES[frm_name], SQUARES[to_name], "".join(promotion)
    pawn_move = board[frm] in "Pp"
    reset = pawn_move or board[to] != "."
    new_ep = (frm + to) // 2 if pawn_move and abs(to - frm) == 2 * SIZE else None
    return _position(_play(board, frm, to, promotion, ep), 1 - side, new_ep,
                     0 if reset else state["halfmove_clock"] + 1)


def get_rewards(state):
    if state["status"] != "checkmate":
        return [0.0, 0.0]
    # The side to move has been mated.
    return [-1.0, 1.0] if state["to_move"] == 0 else [1.0, -1.0]


def get_observations(state):
    board = state["board"]
    view = {
        "board": [board[r * SIZE:r * SIZE + SIZE] for r in range(SIZE)],  # row 0 is rank 1
        "en_passant": state["en_passant"],
        "halfmove_clock": state["halfmove_clock"],
    }
    return [dict(view, board=list(view["board"])) for _ in range(2)]
