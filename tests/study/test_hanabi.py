"""The facts sheet's hanabi strings, played through the reference."""

from tests.study.play import play

KINDS = [f"deal:{c},{r}" for c in "BGRWY" for r in "12345"]
DEAL = ["deal:R,1", "deal:R,2", "deal:R,3", "deal:R,4", "deal:R,5",
        "deal:Y,1", "deal:G,1", "deal:B,3", "deal:W,1", "deal:Y,2"]


def test_chance_lists_each_kind_left_once_sorted():
    module, state = play("hanabi", [])
    assert module.get_legal_actions(state) == sorted(KINDS)
    assert module.get_legal_actions(state)[0] == "deal:B,1"
    assert module.get_legal_actions(state)[-1] == "deal:Y,5"
    module, state = play("hanabi", ["deal:W,5", "deal:B,1", "deal:B,1", "deal:B,1"])
    legal = module.get_legal_actions(state)
    assert "deal:W,5" not in legal and "deal:B,1" not in legal and len(legal) == 23


def test_ten_deals_five_to_each_then_player_0_moves():
    module, state = play("hanabi", DEAL)
    assert module.get_current_player(state) == 0
    first, second = module.get_observations(state)
    assert second["partner_hand"] == ["R1", "R2", "R3", "R4", "R5"]
    assert first["partner_hand"] == ["Y1", "G1", "B3", "W1", "Y2"]
    assert first["hand_size"] == second["hand_size"] == 5
    assert first["deck_size"] == 40 and first["clues"] == 8 and first["lives"] == 3
    assert first["to_move"] == 0 and first["game_over"] is False


def test_the_legal_list_order_and_its_limits():
    module, state = play("hanabi", DEAL)
    assert module.get_legal_actions(state) == [
        "Play 0", "Play 1", "Play 2", "Play 3", "Play 4",
        "Reveal color 1 Y", "Reveal color 1 G", "Reveal color 1 B", "Reveal color 1 W",
        "Reveal rank 1 1", "Reveal rank 1 2", "Reveal rank 1 3"]  # no discard at 8 clues
    module, state = play("hanabi", DEAL + ["Reveal color 1 Y"])
    legal = module.get_legal_actions(state)
    assert "Discard 4" in legal and "Reveal rank 0 3" in legal
    assert legal.index("Play 4") < legal.index("Discard 0") < legal.index("Reveal color 0 R")


def test_a_reveal_only_spends_a_clue():
    module, by_colour = play("hanabi", DEAL + ["Reveal color 1 Y"])
    _, by_rank = play("hanabi", DEAL + ["Reveal rank 1 2"])
    assert by_colour == by_rank
    assert module.get_observations(by_colour)[1]["clues"] == 7


def test_play_0_grows_a_stack_and_the_drawn_card_goes_last():
    module, state = play("hanabi", DEAL + ["Play 0", "deal:G,5"])
    observation = module.get_observations(state)[1]
    assert observation["stacks"]["R"] == 1
    assert observation["partner_hand"] == ["R2", "R3", "R4", "R5", "G5"]
    assert module.get_rewards(state) == [1.0, 1.0]  # the score is running


def test_discard_4_regains_a_clue_and_a_misplay_costs_a_life():
    module, state = play("hanabi", DEAL + ["Reveal color 1 Y", "Discard 4", "deal:G,2"])
    observation = module.get_observations(state)[0]
    assert observation["clues"] == 8 and observation["discards"] == ["Y2"]
    module, state = play("hanabi", DEAL + ["Play 1"])
    observation = module.get_observations(state)[0]
    assert observation["lives"] == 2 and observation["discards"] == ["R2"]


def test_the_fourth_misplay_ends_the_game_at_0():
    history = ["deal:R,2", "deal:R,3", "deal:R,4", "deal:Y,3", "deal:Y,4",
               "deal:Y,1", "deal:G,1", "deal:B,1", "deal:W,1", "deal:G,2",
               "Play 0", "deal:B,2", "Play 0", "deal:B,3", "Play 0", "deal:B,4",
               "Play 0", "deal:G,3", "Play 0", "deal:G,4", "Play 0", "deal:W,2"]
    module, state = play("hanabi", history)
    assert module.get_rewards(state) == [3.0, 3.0]
    module, state = play("hanabi", history + ["Play 0"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [0.0, 0.0]
    assert module.get_observations(state)[0]["game_over"] is True


def test_reveal_rank_0_3_names_a_rank_of_player_0():
    module, state = play("hanabi", DEAL + ["Reveal color 1 Y", "Reveal rank 0 3"])
    assert module.get_current_player(state) == 0
    assert module.get_observations(state)[0]["clues"] == 6
