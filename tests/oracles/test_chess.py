"""Chess against OpenSpiel's ``chess`` (standard start, chess960=False).

OpenSpiel's chess has the same moves but other ends: a 100-ply fifty-move rule,
threefold repetition, and a wider insufficient material rule (it also draws K+B v K+B
with bishops of one colour, for instance), while ours is drawn after 50 plies without
a pawn move or capture, only by K v K, K+B v K or K+N v K, and never by repetition. So
the comparison has two halves:

- every position of ours is also loaded into OpenSpiel from its FEN, a fresh state with
  no history, where the legal moves, the player to move and the end by checkmate or
  stalemate (with its payoffs) must agree; our draws by the clock must be positions
  where OpenSpiel still has moves, ours by material ones OpenSpiel also ends; a
  position that only OpenSpiel's wider material rule ends must hold no pawn, rook or
  queen;
- one OpenSpiel state also plays the whole game along with ours, as long as OpenSpiel
  has not ended it (by repetition or its material rule), and its FEN must keep
  agreeing with ours: the pieces, the side to move, the castling rights, the en
  passant square (OpenSpiel writes one only when a capture there is possible) and the
  half-move clock. This checks our state updates independently of our own FEN.

Mapping: pyspiel turns an action into a move; ours is the moving piece's letter in
upper case, the from- and to-squares and, for a promotion, the new piece ("P_e7_e8_Q");
castling is "O-O" when the king moves towards the h-file, "O-O-O" otherwise.
OpenSpiel numbers the players the other way round (Black 0, White 1), so players and
payoffs are swapped.
"""

import random

from tests.oracles.lockstep import pyspiel, reference

TRAJECTORIES = 40
PIECE_LETTERS = {"PAWN": "P", "KNIGHT": "N", "BISHOP": "B", "ROOK": "R", "QUEEN": "Q",
                 "KING": "K"}


def fen(state):
    """Our state as FEN: ranks 8 to 1, side to move, castling, en passant, clocks."""
    board = state["board"]
    rows = []
    for rank in range(7, -1, -1):
        row, empty = "", 0
        for cell in board[rank * 8:rank * 8 + 8]:
            if cell == ".":
                empty += 1
                continue
            row += (str(empty) if empty else "") + cell
            empty = 0
        rows.append(row + (str(empty) if empty else ""))
    return " ".join(["/".join(rows), "wb"[state["to_move"]], state["castling"] or "-",
                     state["en_passant"] or "-", str(state["halfmove_clock"]), "1"])


def our_action(spiel, board, os_action):
    """Our name of an OpenSpiel action on an OpenSpiel board (``os_state.board()``)."""
    move = spiel.chess.action_to_move(os_action, board)
    if move.is_castling():
        return "O-O" if move.to_square.x > move.from_square.x else "O-O-O"
    name = "{}_{}{}_{}{}".format(PIECE_LETTERS[move.piece.type.name],
                                 "abcdefgh"[move.from_square.x], move.from_square.y + 1,
                                 "abcdefgh"[move.to_square.x], move.to_square.y + 1)
    if move.promotion_type.name != "EMPTY":
        name += "_" + PIECE_LETTERS[move.promotion_type.name]
    return name


def ours(os_player_id):
    """OpenSpiel's chess numbers Black 0 and White 1; ours is White 0, Black 1."""
    return os_player_id if os_player_id < 0 else 1 - os_player_id


def is_en_passant(state, action):
    """A pawn's diagonal move onto an empty square."""
    parts = action.split("_")
    if parts[0] != "P" or parts[1][0] == parts[2][0]:
        return False
    to = parts[2]
    return state["board"][(int(to[1]) - 1) * 8 + "abcdefgh".index(to[0])] == "."


def compare_position(spiel, game, module, state, where):
    """Our position against a fresh OpenSpiel state loaded from its FEN; returns our
    names of OpenSpiel's actions there (OpenSpiel numbers a move the same way in the
    same position, whatever the history)."""
    os_state = game.new_initial_state(fen(state))
    status = state["status"]
    if status in ("checkmate", "stalemate", "insufficient material"):
        assert os_state.is_terminal(), f"{where}: {status} but OpenSpiel plays on"
        assert module.get_rewards(state) == list(os_state.returns())[::-1], where
        assert module.get_legal_actions(state) == [], where
        return {}
    if status == "clock":
        assert module.get_current_player(state) == -4, where
        assert os_state.is_terminal() or os_state.legal_actions(), where
        return {}
    if os_state.is_terminal():
        # Only OpenSpiel's wider insufficient material rule can end this game.
        assert not any(p in state["board"] for p in "PpRrQq"), where
        assert list(os_state.returns()) == [0.0, 0.0], where
        assert module.get_legal_actions(state), where
        return None
    assert module.get_current_player(state) == ours(os_state.current_player()), where
    board = os_state.board()
    mapped = {our_action(spiel, board, a): a for a in os_state.legal_actions()}
    assert len(mapped) == len(os_state.legal_actions()), f"{where}: mapping not 1:1"
    legal = module.get_legal_actions(state)
    assert sorted(legal) == sorted(mapped), (
        f"{where}: ours only {sorted(set(legal) - set(mapped))}, "
        f"OpenSpiel only {sorted(set(mapped) - set(legal))}")
    return mapped


def compare_transition(os_state, state, where):
    """The FEN of OpenSpiel's own game against our state after the same moves."""
    placement, side, castling, ep, clock, _ = os_state.board().to_fen().split()
    mine = fen(state).split()
    assert [placement, side, castling, clock] == [mine[0], mine[1], mine[2], mine[4]], (
        f"{where}: OpenSpiel {os_state.board().to_fen()} vs ours {fen(state)}")
    if ep != "-":
        assert ep == state["en_passant"], where


def test_fen_of_the_start():
    module = reference("chess")
    assert fen(module.get_initial_state()) == (
        "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1")


def test_chess_agrees_with_openspiel():
    spiel = pyspiel()
    game = spiel.load_game("chess(chess960=False)")
    module = reference("chess")
    rng = random.Random(0)
    seen = {"O-O": 0, "O-O-O": 0, "promotion": 0, "en passant": 0}
    ends = set()
    for t in range(TRAJECTORIES):
        state = module.get_initial_state()
        along = game.new_initial_state()  # OpenSpiel's own game, while it lasts
        history = []
        while True:
            where = f"trajectory {t}, after {history}"
            mapped = compare_position(spiel, game, module, state, where)
            if along is not None:
                compare_transition(along, state, where)
            if module.get_current_player(state) == -4:
                ends.add(state["status"])
                break
            legal = sorted(module.get_legal_actions(state))
            special = [a for a in legal if a.startswith("O-O") or is_en_passant(state, a)]
            # Uniformly random moves, but castling and en passant are rare in random
            # games: when one is legal it is played half the time.
            action = rng.choice(special if special and rng.random() < 0.5 else legal)
            if along is not None:
                if mapped is None:  # only OpenSpiel's material rule ended the FEN state
                    board = along.board()
                    mapped = {our_action(spiel, board, a): a for a in along.legal_actions()}
                along.apply_action(mapped[action])
                if along.is_terminal():
                    along = None
            if action in seen:
                seen[action] += 1
            elif action.count("_") == 3:
                seen["promotion"] += 1
            elif is_en_passant(state, action):
                seen["en passant"] += 1
            state = module.apply_action(state, action)
            history.append(action)
    # The random games must reach every special rule and several kinds of end.
    assert all(seen.values()), seen
    assert {"checkmate", "clock", "insufficient material"} <= ends, ends
