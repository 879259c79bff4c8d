"""Chess as a game code world model.

Player 0 is White and moves first, player 1 is Black. The board is a string of
64 cells indexed rank * 8 + file (a1 = 0, h1 = 7, a8 = 56, h8 = 63), each a piece
letter (K Q R B N P, upper case for White, lower case for Black) or "." when empty.
Moves are UCI strings: "e2e4", "e7e8q" for a promotion, "e1g1" for castling.

Generating legal moves is the costly part and every position is queried several
times, so the generator is memoised (it is a pure function of the position).
"""

import functools

FILES = "abcdefgh"
SQUARE_NAMES = [f + r for r in "12345678" for f in FILES]
SQUARES = {name: square for square, name in enumerate(SQUARE_NAMES)}
START = "RNBQKBNR" + "P" * 8 + "." * 32 + "p" * 8 + "rnbqkbnr"
MAX_PLIES = 200
FIFTY_MOVE_PLIES = 100
PROMOTIONS = "qrbn"
ROOK_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1)]
BISHOP_DIRECTIONS = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
KNIGHT_JUMPS = [(1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2)]
# A move from or onto one of these squares ends the castling rights tied to it: the
# king or the rook has moved, or the rook has been captured.
CASTLING_SQUARES = {0: "Q", 4: "KQ", 7: "K", 56: "q", 60: "kq", 63: "k"}


def _ray(square, df, dr):
    """The squares from `square` (excluded) to the edge of the board in one direction."""
    f, r = square % 8 + df, square // 8 + dr
    squares = []
    while 0 <= f < 8 and 0 <= r < 8:
        squares.append(r * 8 + f)
        f, r = f + df, r + dr
    return squares


def _steps(square, offsets):
    return [ray[0] for ray in (_ray(square, df, dr) for df, dr in offsets) if ray]


# Precomputed geometry: for every square, the rays of the sliding pieces and the
# targets of the knight and the king.
ROOK_RAYS = [[_ray(sq, df, dr) for df, dr in ROOK_DIRECTIONS] for sq in range(64)]
BISHOP_RAYS = [[_ray(sq, df, dr) for df, dr in BISHOP_DIRECTIONS] for sq in range(64)]
KNIGHT_TARGETS = [_steps(sq, KNIGHT_JUMPS) for sq in range(64)]
KING_TARGETS = [_steps(sq, ROOK_DIRECTIONS + BISHOP_DIRECTIONS) for sq in range(64)]


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
    f, r = square % 8, square // 8
    r += -1 if by == 0 else 1
    return 0 <= r < 8 and any(
        0 <= pf < 8 and board[r * 8 + pf] == pawn for pf in (f - 1, f + 1))


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


def _pseudo_moves(board, side, castling, ep, in_check):
    """(from, to, promotion) for every move that follows the piece rules, ignoring
    whether it leaves the mover's own king in check."""
    own, enemy = _pieces(side)
    for frm, piece in enumerate(board):
        if piece not in own:
            continue
        kind = piece.upper()
        if kind == "P":
            yield from _pawn_moves(board, side, frm, ep, enemy)
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
    if not in_check:
        yield from _castling_moves(board, side, castling)


def _pawn_moves(board, side, frm, ep, enemy):
    forward, start_rank, last_rank = (8, 1, 7) if side == 0 else (-8, 6, 0)
    f, r = frm % 8, frm // 8
    targets = []
    one = frm + forward
    if board[one] == ".":
        targets.append(one)
        if r == start_rank and board[one + forward] == ".":
            targets.append(one + forward)
    for df in (-1, 1):
        if 0 <= f + df < 8:
            to = one + df
            if to == ep or board[to] in enemy:
                targets.append(to)
    for to in targets:
        if to // 8 == last_rank:
            for promotion in PROMOTIONS:
                yield frm, to, promotion
        else:
            yield frm, to, ""


def _castling_moves(board, side, castling):
    """Castling while not in check. The square the king crosses is tested here; its
    landing square is tested like that of any other king move."""
    home = 0 if side == 0 else 56
    short, long = "KQ" if side == 0 else "kq"
    # A right still held means the king and that rook stand on their home squares.
    if short in castling and board[home + 5] == board[home + 6] == "." \
            and not _attacked(board, home + 5, 1 - side):
        yield home + 4, home + 6, ""
    if long in castling and board[home + 1] == board[home + 2] == board[home + 3] == "." \
            and not _attacked(board, home + 3, 1 - side):
        yield home + 4, home + 2, ""


def _play(board, frm, to, promotion, ep):
    """The board after a move."""
    after = list(board)
    piece = after[frm]
    after[frm] = "."
    if piece in "Pp" and to == ep:
        # En passant: the captured pawn stands beside the mover, behind the target square.
        after[to - 8 if piece == "P" else to + 8] = "."
    if piece in "Kk" and abs(to - frm) == 2:
        rook_from, rook_to = (frm + 3, frm + 1) if to > frm else (frm - 4, frm - 1)
        after[rook_to], after[rook_from] = after[rook_from], "."
    if promotion:
        piece = promotion.upper() if piece == "P" else promotion
    after[to] = piece
    return "".join(after)


@functools.lru_cache(maxsize=4096)
def _legal_moves(board, side, castling, ep):
    """The legal moves as a tuple of UCI strings; `ep` is the en passant target
    square or None."""
    king = board.index("K" if side == 0 else "k")
    in_check = _attacked(board, king, 1 - side)
    pinned = _pinned(board, king, side)
    moves = []
    for frm, to, promotion in _pseudo_moves(board, side, castling, ep, in_check):
        # Only some moves can leave the king attacked: king moves, any move while in
        # check, moves of pinned pieces, and en passant (two pawns leave one rank).
        if frm == king or in_check or frm in pinned or (to == ep and board[frm] in "Pp"):
            after = _play(board, frm, to, promotion, ep)
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
        len({(sq % 8 + sq // 8) % 2 for sq in minors}) == 1


def _position(board, side, castling, ep, clock, ply, earlier):
    """The state for a position reached by a move, with the status of the game.

    `earlier` lists the keys of the positions since the last capture or pawn move;
    only those can repeat."""
    legal = _legal_moves(board, side, castling, ep)
    ep_name = SQUARE_NAMES[ep] if ep is not None else None
    # For repetition an en passant square only counts when the capture is legal.
    ep_capture = ep_name is not None and any(
        m[2:4] == ep_name and board[SQUARES[m[:2]]] in "Pp" for m in legal)
    key = board + "wb"[side] + castling + (ep_name if ep_capture else "-")
    positions = earlier + [key]
    if not legal:
        king = board.index("K" if side == 0 else "k")
        status = "checkmate" if _attacked(board, king, 1 - side) else "stalemate"
    elif _insufficient_material(board):
        status = "insufficient material"
    elif clock >= FIFTY_MOVE_PLIES:
        status = "fifty-move rule"
    elif positions.count(key) >= 3:
        status = "threefold repetition"
    elif ply >= MAX_PLIES:
        status = "ply limit"
    else:
        status = "playing"
    return {
        "board": board,
        "to_move": side,
        "castling": castling,
        "en_passant": ep_name,
        "halfmove_clock": clock,
        "ply": ply,
        "positions": positions,
        "status": status,
    }


def get_initial_state():
    return _position(START, 0, "KQkq", None, 0, 0, [])


def get_current_player(state):
    return state["to_move"] if state["status"] == "playing" else -4


def get_player_name(player_id):
    return ["white", "black"][player_id]


def _ep_square(state):
    return SQUARES[state["en_passant"]] if state["en_passant"] else None


def get_legal_actions(state):
    if state["status"] != "playing":
        return []
    return list(_legal_moves(state["board"], state["to_move"], state["castling"],
                             _ep_square(state)))


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    board, side, ep = state["board"], state["to_move"], _ep_square(state)
    frm, to, promotion = SQUARES[action[:2]], SQUARES[action[2:4]], action[4:]
    pawn_move = board[frm] in "Pp"
    irreversible = pawn_move or board[to] != "."
    lost = CASTLING_SQUARES.get(frm, "") + CASTLING_SQUARES.get(to, "")
    castling = "".join(c for c in state["castling"] if c not in lost)
    new_ep = (frm + to) // 2 if pawn_move and abs(to - frm) == 16 else None
    return _position(_play(board, frm, to, promotion, ep), 1 - side, castling, new_ep,
                     0 if irreversible else state["halfmove_clock"] + 1,
                     state["ply"] + 1,
                     [] if irreversible else state["positions"])


def get_rewards(state):
    if state["status"] != "checkmate":
        return [0.0, 0.0]
    # The side to move has been mated.
    return [-1.0, 1.0] if state["to_move"] == 0 else [1.0, -1.0]


def get_observations(state):
    board = state["board"]
    view = {
        "board": [board[r * 8:r * 8 + 8] for r in range(7, -1, -1)],  # rank 8 first
        "to_move": get_current_player(state),
        "castling": state["castling"],
        "en_passant": state["en_passant"],
        "halfmove_clock": state["halfmove_clock"],
        "ply": state["ply"],
        "repetitions": state["positions"].count(state["positions"][-1]),
        "status": state["status"],
    }
    return [dict(view, board=list(view["board"])) for _ in range(2)]
