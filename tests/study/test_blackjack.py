"""The facts sheet's blackjack strings, played through the reference."""

from tests.study.play import play

RANKS = "23456789TJQKA"
DECK = [f"deal:{rank}{suit}" for rank in RANKS for suit in "shdc"]
DEAL = ["deal:Ts", "deal:5h", "deal:8d", "deal:9c"]  # player T 8, dealer up 5, hole 9


def test_every_card_is_a_chance_node_listed_rank_by_rank():
    module, state = play("blackjack", [])
    assert module.get_current_player(state) == -1
    assert module.get_legal_actions(state) == DECK
    assert DECK[:5] == ["deal:2s", "deal:2h", "deal:2d", "deal:2c", "deal:3s"]
    assert DECK[-1] == "deal:Ac"
    module, state = play("blackjack", DEAL[:3])
    assert module.get_legal_actions(state) == [c for c in DECK if c not in DEAL[:3]]


def test_deal_order_player_up_player_hole():
    module, state = play("blackjack", DEAL)
    assert module.get_current_player(state) == 0
    player, dealer = module.get_observations(state)
    assert player["dealer_up"] == "5h"
    assert sorted(card for hand in player["hands"] for card in hand) == ["8d", "Ts"]
    assert player["history"] == ["deal:Ts", "deal:5h", "deal:8d", "deal:?"]
    assert dealer["history"] == DEAL


def test_player_actions_listed_h_s_d_r_p():
    module, state = play("blackjack", DEAL)
    assert module.get_legal_actions(state) == ["H", "S", "D", "R"]
    module, state = play("blackjack", ["deal:Ks", "deal:5h", "deal:Qd", "deal:9c"])
    assert module.get_legal_actions(state) == ["H", "S", "D", "R", "P"]  # K+Q: equal value
    module, state = play("blackjack", ["deal:As", "deal:5h", "deal:Kd", "deal:9c"])
    assert module.get_legal_actions(state) == ["S"]  # 21: only stand
    module, state = play("blackjack", ["deal:2s", "deal:5h", "deal:3d", "deal:9c", "H"])
    assert module.get_current_player(state) == -1
    module, state = play("blackjack", ["deal:2s", "deal:5h", "deal:3d", "deal:9c", "H",
                                       "deal:4h"])
    assert module.get_legal_actions(state) == ["H", "S"]


def test_double_deals_one_card_then_player_0_acts_again():
    module, state = play("blackjack", ["deal:2s", "deal:5h", "deal:3d", "deal:9c", "D",
                                       "deal:4h"])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["H", "S"]
    module, state = play("blackjack", DEAL + ["D", "deal:Kh"])  # 28: bust
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [-2, 2]


def test_surrender_and_bust_end_the_game():
    module, state = play("blackjack", DEAL + ["R"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [-0.5, 0.5]
    module, state = play("blackjack", DEAL + ["H", "deal:Kh"])
    assert module.get_current_player(state) == -4
    assert module.get_legal_actions(state) == []
    assert module.get_rewards(state) == [-1, 1]


def test_split_moves_the_second_card_and_deals_to_the_current_hand():
    module, state = play("blackjack", ["deal:8s", "deal:5h", "deal:8d", "deal:9c", "P"])
    assert module.get_current_player(state) == -1
    module, state = play("blackjack", ["deal:8s", "deal:5h", "deal:8d", "deal:9c", "P",
                                       "deal:8h"])
    assert module.get_observations(state)[0]["hands"] == [["8s", "8h"], ["8d"]]
    assert module.get_legal_actions(state)[-1] == "P"  # re-splitting is allowed
    module, state = play("blackjack", ["deal:8s", "deal:5h", "deal:8d", "deal:9c", "P",
                                       "deal:8h", "S"])
    assert module.get_legal_actions(state) == ["H", "S"]  # the new hand has one card


def test_dealer_has_one_forced_action():
    module, state = play("blackjack", DEAL + ["S"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["H"]  # 14
    module, state = play("blackjack", DEAL + ["S", "H", "deal:3s"])
    assert module.get_legal_actions(state) == ["S"]  # 17
    module, state = play("blackjack", ["deal:Ts", "deal:Ah", "deal:8d", "deal:6c", "S"])
    assert module.get_legal_actions(state) == ["S"]  # soft 17 stands


def test_settlement_at_the_dealers_stand():
    cases = {
        ("deal:Ts", "deal:5h", "deal:8d", "deal:9c", "S", "H", "deal:3s", "S"): 1,
        ("deal:Ts", "deal:5h", "deal:8d", "deal:9c", "S", "H", "deal:4s", "S"): 0,
        ("deal:Ts", "deal:5h", "deal:8d", "deal:9c", "S", "H", "deal:5s", "S"): -1,
        ("deal:Ts", "deal:5h", "deal:8d", "deal:9c", "S", "H", "deal:Ks", "S"): 1,
        ("deal:As", "deal:5h", "deal:Kd", "deal:9c", "S", "H", "deal:7s", "S"): 1.5,
        ("deal:5s", "deal:Ah", "deal:6d", "deal:Kc", "H", "deal:Td", "S", "S"): -1,
        ("deal:As", "deal:Ah", "deal:Kd", "deal:Kc", "S", "S"): 0,
    }
    for actions, won in cases.items():
        module, state = play("blackjack", actions)
        assert module.get_current_player(state) == -4, actions
        assert module.get_rewards(state) == [won, -won], actions


def test_rewards_are_terminal_only_and_the_hole_card_is_never_shown():
    actions = DEAL + ["S", "H", "deal:3s", "S"]
    for n in range(len(actions)):
        module, state = play("blackjack", actions[:n])
        assert module.get_rewards(state) == [0, 0]
    module, state = play("blackjack", actions)
    player = module.get_observations(state)[0]
    assert "9c" not in str(player) and "deal:?" in player["history"]
    assert "9c" in module.get_observations(state)[1]["cards"]
