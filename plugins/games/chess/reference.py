"""Chess as a game code world model.

Standard chess with castling, en passant and promotion. The game is drawn by
stalemate, after 50 plies in a row without a pawn move or a capture, and when only
K v K, K+B v K or K+N v K is left; there is no repetition rule and no move cap.
Player 0 is White and moves first, player 1 is Black.

The board is a string of 64 cells indexed rank * 8 + file (a1 = 0, h1 = 7, a8 = 56,
h8 = 63), each a piece letter (upper case White, lower case Black) or "." when empty.
Actions name the moving piece in upper case for both sides: "P_e2_e4", "N_g1_f3", a
promotion "P_e7_e8_Q", castling "O-O" (king side) and "O-O-O" (queen side).

Move generation is the costly part and a position is queried several times, so the
generator is memoised: it is a pure function of the position.
"""

import functools

FILES = "abcdefgh"
SQUARE_NAMES = [f + r for r in "12345678" for f in FILES]
SQUARES = {name: square for square, name in enumerate(SQUARE_NAMES)}
START = "RNBQKBNR" + "P" * 8 + "." * 32 + "p" * 8 + "rnbqkbnr"
CLOCK_LIMIT = 50  # plies without a pawn move or a capture
PROMOTIONS = "QRBN"
ROOK_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1)]
BISHOP_DIRECTIONS = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
KNIGHT_JUMPS = [(1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2)]
# A move from or onto one of these squares ends the castling rights tied to it: the
# king or the rook has moved, or the rook has been captured on its home square.
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
    f, r = square % 8, square // 8 + (-1 if by == 0 else 1)
    if not 0 <= r < 8:
        return False
    return (f > 0 and board[r * 8 + f - 1] == pawn) or (f < 7 and board[r * 8 + f + 1] == pawn)


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


def _destinations(board, frm, kind, side, ep, own, enemy):
    """(to, promotion) for every move of the non-king piece on `frm` that follows the
    piece rules, ignoring whether it leaves the mover's king in check."""
    if kind == "P":
        return _pawn_moves(board, frm, side, ep, enemy)
    if kind == "N":
        return [(to, "") for to in KNIGHT_TARGETS[frm] if board[to] not in own]
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
    if r + forward // 8 == last_rank:
        return [(to, promotion) for to in targets for promotion in PROMOTIONS]
    return [(to, "") for to in targets]


def _castlings(board, side, castling):
    """The castlings allowed to a side that is not in check, as (name, king's
    landing square). A right still held means the king and that rook stand on their
    home squares. The square the king crosses is tested here, its landing square
    like that of any other king move."""
    home = 0 if side == 0 else 56
    short, long = "KQ" if side == 0 else "kq"
    if short in castling and board[home + 5] == board[home + 6] == "." \
            and not _attacked(board, home + 5, 1 - side):
        yield "O-O", home + 6
    if long in castling and board[home + 1] == board[home + 2] == board[home + 3] == "." \
            and not _attacked(board, home + 3, 1 - side):
        yield "O-O-O", home + 2


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
        piece = promotion if piece == "P" else promotion.lower()
    after[to] = piece
    return "".join(after)


@functools.lru_cache(maxsize=8192)
def _legal_moves(board, side, castling, ep):
    """The legal actions of a position as a tuple of strings, in list order; `ep` is
    the en passant target square (an index) or None."""
    own, enemy = _pieces(side)
    opponent = 1 - side
    king = board.index(own[5])
    in_check = _attacked(board, king, opponent)
    pinned = _pinned(board, king, side)
    # A king's move is safe when its landing square is not attacked once the king has
    # left its square (an enemy slider may see through where the king stood).
    kingless = board[:king] + "." + board[king + 1:]
    moves = []
    for frm, piece in enumerate(board):
        if piece not in own:
            continue
        kind = piece.upper()
        if kind == "K":
            for to in KING_TARGETS[frm]:
                if board[to] not in own and not _attacked(kingless, to, opponent):
                    moves.append(f"K_{SQUARE_NAMES[frm]}_{SQUARE_NAMES[to]}")
            continue
        # Other moves can only expose the king while it is in check, when the piece is
        # pinned, or by en passant (two pawns leave one rank): those are tried out.
        for to, promotion in _destinations(board, frm, kind, side, ep, own, enemy):
            if (in_check or frm in pinned or (to == ep and kind == "P")) and \
                    _attacked(_play(board, frm, to, promotion, ep), king, opponent):
                continue
            action = f"{kind}_{SQUARE_NAMES[frm]}_{SQUARE_NAMES[to]}"
            moves.append(f"{action}_{promotion}" if promotion else action)
    if not in_check:
        for name, to in _castlings(board, side, castling):
            if not _attacked(kingless, to, opponent):
                moves.append(name)
    return tuple(moves)


def _insufficient_material(board):
    """Only the kings are left, or the kings and one bishop or knight of either side."""
    others = [piece for piece in board if piece not in ".Kk"]
    return not others or (len(others) == 1 and others[0] in "BNbn")


def _position(board, side, castling, ep, clock):
    """The state of a position reached by a move, with the status of the game,
    decided in this order: no legal move, the clock, the material."""
    if not _legal_moves(board, side, castling, ep):
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
        "castling": castling,
        "en_passant": SQUARE_NAMES[ep] if ep is not None else None,
        "halfmove_clock": clock,
        "status": status,
    }


def get_initial_state():
    return _position(START, 0, "KQkq", None, 0)


def get_current_player(state):
    return state["to_move"] if state["status"] == "playing" else -4


def get_player_name(player_id):
    return ["White", "Black"][player_id]


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
    if action.startswith("O-O"):
        frm = board.index("K" if side == 0 else "k")
        to, promotion = frm + (2 if action == "O-O" else -2), ""
    else:
        _, frm_name, to_name, *promotion = action.split("_")
        frm, to, promotion = SQUARES[frm_name], SQUARES[to_name], "".join(promotion)
    pawn_move = board[frm] in "Pp"
    reset = pawn_move or board[to] != "."
    lost = CASTLING_SQUARES.get(frm, "") + CASTLING_SQUARES.get(to, "")
    castling = "".join(right for right in state["castling"] if right not in lost)
    new_ep = (frm + to) // 2 if pawn_move and abs(to - frm) == 16 else None
    return _position(_play(board, frm, to, promotion, ep), 1 - side, castling, new_ep,
                     0 if reset else state["halfmove_clock"] + 1)


def get_rewards(state):
    if state["status"] != "checkmate":
        return [0.0, 0.0]
    # The side to move has been mated.
    return [-1.0, 1.0] if state["to_move"] == 0 else [1.0, -1.0]


def get_observations(state):
    board = state["board"]
    view = {
        "board": [board[r * 8:r * 8 + 8] for r in range(8)],  # row 0 is rank 1
        "castling": state["castling"],
        "en_passant": state["en_passant"],
        "halfmove_clock": state["halfmove_clock"],
    }
    return [dict(view, board=list(view["board"])) for _ in range(2)]
