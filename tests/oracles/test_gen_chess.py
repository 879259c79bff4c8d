"""Gardner minichess move generation against OpenSpiel's ``chess``, by embedding.

OpenSpiel has no 5x5 chess, but its 8x8 chess generates the same moves for a 5x5
position set on an otherwise empty 8x8 board, once the moves that leave the 5x5 area
are dropped: no piece stands outside it, so nothing outside can attack, block or be
captured, and a ray that leaves the area never comes back. The player to move is made
OpenSpiel's White (for Black to move, the ranks are mirrored and the colours swapped),
so its pawns advance up the board as OpenSpiel's White pawns do. Two embeddings cover
what OpenSpiel ties to ranks:

- on ranks 1-5: OpenSpiel's two-square advance from rank 2 is ours; there a pawn
  reaching rank 5 is our promotion (one OpenSpiel move, our four choices), and
  en passant is missing (OpenSpiel only accepts an en passant square on rank 6);
- on ranks 4-8: our rank 3 is rank 6, so en passant works and promotions are
  OpenSpiel's own (rank 8), but the two-square advance is missing.

So our legal set must equal the first embedding's moves plus the second's en passant
captures, and also the second's moves plus the first's two-square advances. Compared
at every position of random games while ours plays on; positions that OpenSpiel's
wider insufficient material rule ends are skipped. The ends of the game (100-ply clock,
K v K / K+B v K / K+N v K only, no repetition rule, mate before the clock) are ours
and are pinned by the spec's scenarios. No castling rights, half-move clock 0.
"""

import random

from tests.oracles.lockstep import pyspiel, reference

TRAJECTORIES = 150
SIZE = 5
LETTERS = {"PAWN": "P", "KNIGHT": "N", "BISHOP": "B", "ROOK": "R", "QUEEN": "Q", "KING": "K"}


def embedded_fen(state, shift):
    """Our position on an 8x8 board, ranks shifted up by ``shift``, mover as White."""
    side = state["to_move"]
    grid = [["."] * 8 for _ in range(8)]
    for square, piece in enumerate(state["board"]):
        if piece == ".":
            continue
        f, r = square % SIZE, square // SIZE
        if side == 1:
            r, piece = SIZE - 1 - r, piece.swapcase()
        grid[r + shift][f] = piece
    ep = "-"
    if state["en_passant"] and shift:
        f, r = "abcde".index(state["en_passant"][0]), int(state["en_passant"][1]) - 1
        if side == 1:
            r = SIZE - 1 - r
        ep = "abcdefgh"[f] + str(r + shift + 1)
    rows = []
    for rank in range(7, -1, -1):
        row = "".join(grid[rank])
        for n in range(8, 0, -1):
            row = row.replace("." * n, str(n))
        rows.append(row)
    return "/".join(rows) + f" w - {ep} 0 1"


def our_square(x, y, side, shift):
    r = y - shift
    if side == 1:
        r = SIZE - 1 - r
    return "abcde"[x] + str(r + 1)


def embedded_moves(spiel, game, state, shift):
    """Our names of OpenSpiel's moves that stay inside the 5x5 area, or None when
    OpenSpiel's own material rule ends the embedded game."""
    os_state = game.new_initial_state(embedded_fen(state, shift))
    if os_state.is_terminal() and not any(p in state["board"] for p in "PpRrQq"):
        return None
    side = state["to_move"]
    board = os_state.board()
    moves = set()
    for action in os_state.legal_actions():
        move = spiel.chess.action_to_move(action, board)
        to = move.to_square
        if to.x >= SIZE or not shift <= to.y < shift + SIZE:
            continue
        frm = move.from_square
        name = "_".join([LETTERS[move.piece.type.name], our_square(frm.x, frm.y, side, shift),
                         our_square(to.x, to.y, side, shift)])
        if move.promotion_type.name != "EMPTY":
            moves.add(name + "_" + LETTERS[move.promotion_type.name])
        elif move.piece.type.name == "PAWN" and to.y == shift + SIZE - 1:
            moves.update(name + "_" + p for p in "QRBN")  # rank 5: our promotion
        else:
            moves.add(name)
    return moves


def is_double_step(action):
    parts = action.split("_")
    return parts[0] == "P" and abs(int(parts[1][1]) - int(parts[2][1])) == 2


def is_en_passant(state, action):
    return action.startswith("P_") and action.split("_")[2] == state["en_passant"]


def test_embedding_of_the_start():
    state = reference("gen_chess").get_initial_state()
    assert embedded_fen(state, 0) == "8/8/8/rnbqk3/ppppp3/8/PPPPP3/RNBQK3 w - - 0 1"
    assert embedded_fen(state, 3) == "rnbqk3/ppppp3/8/PPPPP3/RNBQK3/8/8/8 w - - 0 1"


def test_gen_chess_moves_agree_with_openspiel_chess():
    spiel = pyspiel()
    game = spiel.load_game("chess(chess960=False)")
    module = reference("gen_chess")
    rng = random.Random(0)
    seen = {"double step": 0, "en passant": 0, "promotion": 0}
    compared = 0
    for t in range(TRAJECTORIES):
        state = module.get_initial_state()
        history = []
        while True:
            where = f"trajectory {t}, after {history}"
            legal = module.get_legal_actions(state)
            low = embedded_moves(spiel, game, state, 0)
            high = embedded_moves(spiel, game, state, 3)
            if state["status"] in ("checkmate", "stalemate"):
                assert not low and not high, f"{where}: OpenSpiel has moves"
            if module.get_current_player(state) == -4:
                break
            if low is not None:
                compared += 1
                mine = set(legal)
                assert len(mine) == len(legal), f"{where}: duplicate actions"
                assert mine == low | {a for a in high if is_en_passant(state, a)}, (
                    f"{where}: ours only {sorted(mine - low)}, ranks 1-5 only "
                    f"{sorted(low - mine)}")
                assert mine == high | {a for a in low if is_double_step(a)}, (
                    f"{where}: ours only {sorted(mine - high)}, ranks 4-8 only "
                    f"{sorted(high - mine)}")
            special = [a for a in legal if is_en_passant(state, a) or is_double_step(a)]
            # En passant needs a two-square advance first, both rare in random games:
            # when one is legal it is played half the time.
            action = rng.choice(special if special and rng.random() < 0.5 else legal)
            if is_en_passant(state, action):
                seen["en passant"] += 1
            elif is_double_step(action):
                seen["double step"] += 1
            elif action.count("_") == 3:
                seen["promotion"] += 1
            state = module.apply_action(state, action)
            history.append(action)
    assert all(seen.values()), seen
    assert compared > 5000
