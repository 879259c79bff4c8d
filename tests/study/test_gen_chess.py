"""The facts sheet's gen_chess (Gardner 5x5) strings: "<piece>_<from>_<to>" with
upper-case letters, promotions "P_<from>_<to>_<Q|R|B|N>", 7 moves at the start, the
two-square advance with en passant, a 100-ply clock."""

from tests.study.play import play

SQUARES = [f + r for r in "12345" for f in "abcde"]
TO_PROMOTION = ["P_c2_c3", "P_e4_e3", "P_c3_d4", "K_e5_e4"]


def test_seven_moves_at_the_start_listed_from_rank_1_up():
    module, state = play("gen_chess", [])
    legal = module.get_legal_actions(state)
    assert sorted(legal) == sorted(["N_b1_a3", "N_b1_c3", "P_a2_a3", "P_b2_b3", "P_c2_c3",
                                    "P_d2_d3", "P_e2_e3"])
    order = [SQUARES.index(a.split("_")[1]) for a in legal]
    assert order == sorted(order)
    assert module.get_current_player(state) == 0


def test_the_sheet_examples():
    module, state = play("gen_chess", ["N_b1_a3"])
    assert module.get_current_player(state) == 1
    module, state = play("gen_chess", ["P_a2_a3"])
    assert module.get_observations(state)[0]["board"][2] == "P...."
    module, state = play("gen_chess", TO_PROMOTION)
    legal = module.get_legal_actions(state)
    assert {"P_d4_c5_Q", "P_d4_c5_R", "P_d4_c5_B", "P_d4_c5_N"} <= set(legal)
    assert "P_d4_c5" not in legal
    module, state = play("gen_chess", [*TO_PROMOTION, "P_d4_c5_B"])
    assert module.get_observations(state)[0]["board"][4] == "rnBq."
    assert module.get_current_player(state) == 1


def test_two_square_advance_sets_the_en_passant_square():
    module, state = play("gen_chess", ["P_d2_d3", "P_e4_d3", "P_e2_e4"])
    observation = module.get_observations(state)[1]
    assert set(observation) == {"board", "en_passant", "halfmove_clock"}
    assert observation["en_passant"] == "e3" and observation["halfmove_clock"] == 0
    assert "P_d4_e3" in module.get_legal_actions(state)
    module, state = play("gen_chess", ["P_d2_d3", "P_e4_d3", "P_e2_e4", "P_d4_e3"])
    assert module.get_observations(state)[0]["board"][3] == "ppp.."
    assert module.get_observations(state)[0]["en_passant"] is None


def test_black_advances_two_squares_from_rank_4():
    module, state = play("gen_chess", ["P_d2_d3", "P_e4_d3", "P_c2_d3", "P_c4_c2"])
    observation = module.get_observations(state)[0]
    assert observation["en_passant"] == "c3"
    assert "P_b2_c3" in module.get_legal_actions(state)


def test_mate_pays_one_and_rewards_are_terminal_only():
    module, state = play("gen_chess", ["N_b1_a3", "P_e4_e3", "N_a3_c4", "K_e5_e4"])
    assert module.get_rewards(state) == [0.0, 0.0]
    first, second = module.get_observations(state)
    assert first == second
    module, state = play("gen_chess", ["N_b1_a3", "P_e4_e3", "N_a3_c4", "K_e5_e4", "P_d2_d3"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [1.0, -1.0]


def test_a_hundred_quiet_plies_draw():
    prefix = ["P_d2_d3", "P_c4_d3", "N_b1_d2", "P_d3_e2", "P_a2_a3", "P_b4_b3", "N_d2_c4",
              "Q_d5_c4", "Q_d1_d2", "Q_c4_d3", "Q_d2_b4"]
    shuffle = ["Q_d3_e3", "R_a1_b1", "Q_e3_d3", "R_b1_a1"] * 24
    module, state = play("gen_chess", [*prefix, *shuffle])
    assert module.get_observations(state)[0]["halfmove_clock"] == 99
    assert module.get_current_player(state) == 1
    module, state = play("gen_chess", [*prefix, *shuffle, "Q_d3_e3"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]
    module, state = play("gen_chess", [*prefix, *shuffle, "Q_d3_d1"])  # mate comes first
    assert module.get_rewards(state) == [-1.0, 1.0]
