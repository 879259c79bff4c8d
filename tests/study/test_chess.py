"""The facts sheet's chess strings: "<piece>_<from>_<to>" with upper-case letters for both
sides, promotions "P_<from>_<to>_<Q|R|B|N>", castling "O-O" / "O-O-O"; a 50-ply clock."""

from tests.study.play import play

SQUARES = [f + r for r in "12345678" for f in "abcdefgh"]
KNIGHT_SHUFFLE = ["N_g1_f3", "N_g8_f6", "N_f3_g1", "N_f6_g8"]
QUEEN_SIDE = ["P_d2_d4", "P_d7_d5", "N_b1_c3", "N_b8_c6", "B_c1_f4", "B_c8_f5", "Q_d1_d2",
              "Q_d8_d7"]
BLACK_PROMOTES = ["P_e2_e4", "P_e7_e5", "P_b2_b3", "P_f7_f5", "B_f1_e2", "P_f5_e4", "P_h2_h3",
                  "P_g7_g5", "P_g2_g4", "Q_d8_e7", "P_c2_c4", "P_e4_e3", "P_d2_d4", "P_e3_f2",
                  "K_e1_d2"]


def scan_order(action):
    """Where an action falls in the legal list: by from-square, castling last."""
    return 64 if action.startswith("O-O") else SQUARES.index(action.split("_")[1])


def test_twenty_moves_at_the_start_listed_from_rank_1_up():
    module, state = play("chess", [])
    legal = module.get_legal_actions(state)
    assert len(legal) == 20 and "P_e2_e4" in legal and "N_g1_f3" in legal
    assert [scan_order(a) for a in legal] == sorted(scan_order(a) for a in legal)
    assert module.get_current_player(state) == 0


def test_black_moves_use_upper_case_letters():
    module, state = play("chess", ["P_e2_e4"])
    legal = module.get_legal_actions(state)
    assert module.get_current_player(state) == 1
    assert {"P_e7_e5", "N_g8_f6", "N_b8_c6"} <= set(legal)
    assert all(a[0] in "PNBRQK" for a in legal)


def test_black_promotes_with_an_upper_case_letter():
    module, state = play("chess", BLACK_PROMOTES)
    legal = module.get_legal_actions(state)
    assert {"P_f2_f1_Q", "P_f2_f1_R", "P_f2_f1_B", "P_f2_f1_N"} <= set(legal)
    assert "P_f2_f1" not in legal and "P_f2_f1_n" not in legal
    module, state = play("chess", [*BLACK_PROMOTES, "P_f2_f1_N"])
    assert module.get_observations(state)[0]["board"][0] == "RNBQ.nNR"
    assert module.get_current_player(state) == 0


def test_castling_queen_side_is_listed_last_and_moves_king_and_rook():
    module, state = play("chess", QUEEN_SIDE)
    legal = module.get_legal_actions(state)
    assert legal[-1] == "O-O-O" and "O-O" not in legal and "K_e1_c1" not in legal
    module, state = play("chess", [*QUEEN_SIDE, "O-O-O"])
    observation = module.get_observations(state)[1]
    assert observation["board"][0] == "..KR.BNR"
    assert observation["castling"] == "kq"


def test_observation_is_board_rights_en_passant_and_clock_only():
    module, state = play("chess", ["P_e2_e4"])
    first, second = module.get_observations(state)
    assert first == second
    assert set(first) == {"board", "castling", "en_passant", "halfmove_clock"}
    assert first["board"][0] == "RNBQKBNR" and first["board"][3] == "....P..."
    assert first["board"][7] == "rnbqkbnr"
    assert first["castling"] == "KQkq" and first["en_passant"] == "e3"
    assert first["halfmove_clock"] == 0
    module, state = play("chess", ["P_e2_e4", "N_g8_f6"])
    observation = module.get_observations(state)[0]
    assert observation["en_passant"] is None and observation["halfmove_clock"] == 1


def test_checkmate_wins_and_rewards_are_terminal_only():
    module, state = play("chess", ["P_f2_f3", "P_e7_e5", "P_g2_g4"])
    assert module.get_rewards(state) == [0.0, 0.0]
    module, state = play("chess", ["P_f2_f3", "P_e7_e5", "P_g2_g4", "Q_d8_h4"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [-1.0, 1.0]


def test_fifty_quiet_plies_draw_and_repetition_does_not():
    module, state = play("chess", (KNIGHT_SHUFFLE * 13)[:49])
    assert module.get_current_player(state) == 1  # positions repeated a dozen times
    assert module.get_observations(state)[0]["halfmove_clock"] == 49
    module, state = play("chess", (KNIGHT_SHUFFLE * 13)[:50])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]


def test_mate_on_the_fiftieth_quiet_ply_comes_before_the_clock():
    shuffle = ["N_b1_c3", "N_c6_b8", "N_c3_b1", "N_b8_c6"] * 12 + ["N_b1_c3"]
    opening = ["P_f2_f3", "N_b8_c6", "P_g2_g4", "P_e7_e5"]
    module, state = play("chess", [*opening, *shuffle, "Q_d8_h4"])
    assert module.get_observations(state)[0]["halfmove_clock"] == 50
    assert module.get_rewards(state) == [-1.0, 1.0]
    module, state = play("chess", [*opening, *shuffle, "N_c6_b8"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]
