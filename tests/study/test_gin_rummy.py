"""The facts sheet's gin rummy strings, played through the reference."""

from tests.study.play import play, reference

DECK = [r + s for s in "scdh" for r in "A23456789TJQK"]


def layout(p0, p1, upcard, stock_top=()):
    """The 52 deals: player 0's ten cards, player 1's ten, the upcard, then the stock."""
    used = set(p0 + p1 + [upcard] + list(stock_top))
    return p0 + p1 + [upcard] + list(stock_top) + [c for c in DECK if c not in used]


KNOCKER = "As 2s 3s 4s 5c 6c 7c 8d 9d Td".split()  # player 1: three melds, nothing else


def deals(cards):
    return [f"deal:{card}" for card in cards]


def test_the_deal_offers_every_undealt_card_in_deck_order():
    module, state = play("gin_rummy", [])
    assert module.get_legal_actions(state) == deals(DECK)
    assert module.get_observations(state) == [{}, {}]
    module, state = play("gin_rummy", ["deal:As", "deal:Tc"])
    legal = module.get_legal_actions(state)
    assert "deal:As" not in legal and "deal:Tc" not in legal and len(legal) == 50
    assert module.get_observations(state) == [{}, {}]


def test_the_full_order_deal_is_the_52_single_deals():
    cards = layout("5s 6s 4c Jd Kc Kd Ks Qc Qd 9h".split(), KNOCKER, "Qh")
    module, one_by_one = play("gin_rummy", deals(cards))
    at_once = module.apply_action(module.get_initial_state(), "deal:" + ",".join(cards))
    assert at_once == one_by_one
    assert module.get_current_player(at_once) == 1  # player 0 dealt, player 1 speaks
    mine, theirs = module.get_observations(at_once)
    assert mine["hand"] == sorted(cards[:10]) and theirs["hand"] == sorted(cards[10:20])
    assert mine["upcard"] == theirs["upcard"] == "Qh"
    assert theirs["legal"] == ["Draw upcard", "Pass"] and mine["legal"] == []


def test_pass_pass_then_player_1_discards_the_top_stock_card_or_another():
    cards = layout("Ac 3c 5c 7c 9c Jc Kc 2d 4d 6d".split(),
                   "As 3s 5s 7s 9s Js Ks 2h 4h 6h".split(), "Qd", ["8s"])
    module, state = play("gin_rummy", deals(cards) + ["Pass", "Pass"])
    assert module.get_current_player(state) == 1
    assert "Action: 8s" in module.get_legal_actions(state)
    assert module.get_observations(state)[1]["phase"] == "discard"
    module, state = play("gin_rummy", deals(cards) + ["Pass", "Pass", "Action: 4h"])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["Draw upcard", "Draw stock"]
    assert module.get_observations(state)[0]["upcard"] == "4h"
    module, state = play("gin_rummy", deals(cards) + ["Pass", "Pass", "Action: 4h", "Draw stock"])
    assert len(module.get_observations(state)[0]["hand"]) == 11


def test_knock_melds_and_done():
    cards = layout("5s 6s 4c Jd Kc Kd Ks Qc Qd 9h".split(), KNOCKER, "Qh")
    module, state = play("gin_rummy", deals(cards) + ["Draw upcard"])
    assert "Action: Knock" in module.get_legal_actions(state)  # deadwood 10 with 11 cards
    module, state = play("gin_rummy", deals(cards) + ["Draw upcard", "Action: Knock"])
    assert "Action: As2s3s" in module.get_legal_actions(state)
    history = deals(cards) + ["Draw upcard", "Action: Knock", "Action: As2s3s4s",
                              "Action: 5c6c7c", "Action: 8d9dTd", "Action: Done"]
    module, state = play("gin_rummy", history)
    observation = module.get_observations(state)[0]
    assert observation["melds"] == ["As2s3s4s", "5c6c7c", "8d9dTd"]
    assert observation["phase"] == "layoff"
    # only the cards that fit a meld can be laid off
    assert observation["legal"] == ["Action: 5s", "Action: 4c", "Action: Jd", "Action: Done"]
    module, state = play("gin_rummy", history + ["Action: Done"])
    assert module.get_rewards(state) == [0.0, 44.0]  # D = 54, K = 10: only the scorer


def test_meld_strings_run_suit_then_rank():
    cards = layout("As 2c 3d 4h 5s 7c 8d 9h Jc Qd".split(),
                   "6s 7s 8s 9s Ts 2d 2h 2s Kd Kh".split(), "Kc")
    module, state = play("gin_rummy", deals(cards) + ["Draw upcard", "Action: Knock"])
    legal = module.get_legal_actions(state)
    assert "Action: 6s7s8s9sTs" in legal and "Action: 7s8s9s" in legal
    assert "Action: 2s2d2h" in legal and "Action: KcKdKh" in legal
    assert "Action: KdKhKc" not in legal and "Action: 2d2h2s" not in legal


def test_gin_scores_25_plus_the_defenders_deadwood_at_once():
    cards = layout("5s 6s 4c Qd Kc Kd Ks Qc 9c 9h".split(), KNOCKER, "Jd")
    history = deals(cards) + ["Draw upcard", "Action: Knock", "Action: As2s3s4s",
                              "Action: 5c6c7c", "Action: 8d9dTdJd", "Action: Done"]
    module, state = play("gin_rummy", history)
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 78.0]


def test_the_wall_leaves_player_0_only_a_pass():
    cards = layout("Ac 3c 5c 7c 9c Jc Kc 2d 4d 6d".split(),
                   "As 3s 5s 7s 9s Js Ks 2h 4h 6h".split(), "Qd")
    history = deals(cards) + ["Pass", "Pass", "Action: 2s", "Draw upcard", "Action: 2s"]
    for card in ("4s 6s 8s Ts Qs 2c 4c 6c 8c Tc Qc Ad 3d 5d 7d 8d 9d Td Jd Kd Ah 3h 5h 7h "
                 "8h 9h Th Jh").split():
        history += ["Draw stock", f"Action: {card}"]
    module, state = play("gin_rummy", history + ["Draw stock"])
    assert module.get_current_player(state) == 0
    assert module.get_legal_actions(state) == ["Action: Pass"]
    module, state = play("gin_rummy", history + ["Draw stock", "Action: Pass"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]


def test_resampling_keeps_the_players_view():
    cards = layout("5s 6s 4c Jd Kc Kd Ks Qc Qd 9h".split(), KNOCKER, "Qh")
    module = reference("gin_rummy")
    history = deals(cards) + ["Pass", "Pass", "Action: 7s", "Draw upcard", "Action: 7s"]
    state, view = module.get_initial_state(), []
    for action in history:
        if module.get_current_player(state) == 0:
            view.append((module.get_observations(state)[0], action))
        state = module.apply_action(state, action)
    sampled = module.resample_history(view, 0)
    state, seen = module.get_initial_state(), []
    for action in sampled:
        assert action in module.get_legal_actions(state)
        if module.get_current_player(state) == 0:
            seen.append((module.get_observations(state)[0], action))
        state = module.apply_action(state, action)
    assert seen == view
