"""The facts sheet's hand_of_war strings: "deal:<card>" chance nodes (the full-order
"deal:<c1>,...,<c16>" as shorthand), "play:<card>" in hand order, "play:?" for player
0's pending card in player 1's view, and resampling from player 0's current hand."""

import random

from tests.study.play import play, reference

GOLDEN_DEAL = "deal:Ac,Ad,Ah,As,Jc,Jd,Jh,Js,Kc,Kd,Kh,Ks,Qc,Qd,Qh,Qs"
SINGLE_DEALS = [f"deal:{card}" for card in GOLDEN_DEAL[len("deal:"):].split(",")]


def test_the_deal_is_sixteen_single_card_chance_nodes():
    module, state = play("hand_of_war", [])
    assert module.get_current_player(state) == -1
    assert module.get_legal_actions(state) == SINGLE_DEALS
    module, state = play("hand_of_war", SINGLE_DEALS[:15])
    assert module.get_legal_actions(state) == ["deal:Qs"]
    assert module.get_observations(state) == [{}, {}]


def test_the_full_order_string_is_the_same_deal():
    module = reference("hand_of_war")
    shorthand = module.apply_action(module.get_initial_state(), GOLDEN_DEAL)
    _, singles = play("hand_of_war", SINGLE_DEALS)
    assert module.get_observations(shorthand) == module.get_observations(singles)
    assert module.get_legal_actions(shorthand) == ["play:Ac", "play:Ad", "play:Ah"]


def test_the_golden_deal_always_gives_six_battles_in_13_actions_with_the_shorthand():
    module = reference("hand_of_war")
    rng = random.Random(7)
    for _ in range(20):
        state = module.apply_action(module.get_initial_state(), GOLDEN_DEAL)
        actions = [GOLDEN_DEAL]
        while module.get_current_player(state) != -4:
            action = rng.choice(module.get_legal_actions(state))
            state = module.apply_action(state, action)
            actions.append(action)
        assert len(actions) == 13
        assert sum(module.get_observations(state)[0]["win_pile_sizes"]) == 12


def test_the_sheet_examples_and_the_hidden_pending_card():
    module, state = play("hand_of_war", SINGLE_DEALS + ["play:Ad"])
    assert module.get_current_player(state) == 1
    assert module.get_legal_actions(state) == ["play:Kc", "play:Kd", "play:Kh"]
    mine, theirs = module.get_observations(state)
    assert mine["history"] == ["play:Ad"] and theirs["history"] == ["play:?"]
    assert theirs["hand"] == ["Kc", "Kd", "Kh"] and theirs["player"] == 1
    module, state = play("hand_of_war", SINGLE_DEALS + ["play:Ad", "play:Kc"])
    observation = module.get_observations(state)[1]
    assert observation["history"] == ["play:Ad", "play:Kc"]
    assert observation["pile_sizes"] == [4, 4] and observation["win_pile_sizes"] == [2, 0]
    assert observation["pot"] == [] and observation["terminal"] is False


def test_a_tie_burns_a_card_each_into_the_pot():
    deal = "As Kd Qc Jh Ah Ks Qd Jc Ad Kh Qs Jd Ac Kc Qh Js".split()
    module, state = play("hand_of_war", [f"deal:{c}" for c in deal] + ["play:As", "play:Ad"])
    observation = module.get_observations(state)[0]
    assert observation["pot"] == ["As", "Ad", "Jh", "Jd"]
    assert observation["hand"] == ["Kd", "Qc"] and observation["pile_sizes"] == [4, 4]
    assert module.get_legal_actions(state) == ["play:Kd", "play:Qc"]


def test_resampling_draws_the_pending_card_from_player_0s_current_hand():
    module = reference("hand_of_war")
    actions = SINGLE_DEALS + ["play:Ac", "play:Kc", "play:Ad", "play:Kd", "play:Jc"]
    state = module.get_initial_state()
    view = []
    for action in actions + ["play:Ks"]:
        if module.get_current_player(state) == 1:
            view.append((module.get_observations(state)[1], action))
        state = module.apply_action(state, action)
    pending = set()
    for _ in range(100):
        history = module.resample_history(view, 1)
        play("hand_of_war", history)  # every action is legal where it is played
        assert len(history) == len(actions) + 1
        pending.add(history[-2])
    # Player 1 has seen Ac and Ad played and holds Kh, Ks and Qc itself: player 0's
    # card is any other card, each history replaying legally from its current hand.
    assert len(pending) > 1 and pending <= {
        f"play:{c}" for c in ["Ah", "As", "Jc", "Jd", "Jh", "Js", "Qd", "Qh", "Qs"]}
