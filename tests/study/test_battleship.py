"""The facts sheet's Battleship, played through the reference."""

from tests.study.play import play

GAME = "battleship"
LAYOUTS = ["place_p0:00_01|02", "place_p1:20_30|11"]


def test_two_chance_nodes_of_336_sorted_layouts():
    module, state = play(GAME, [])
    legal = module.get_legal_actions(state)
    assert module.get_current_player(state) == -1
    assert len(legal) == 336 and legal == sorted(legal)
    assert "place_p0:00_01|02" in legal
    module, state = play(GAME, LAYOUTS[:1])
    legal = module.get_legal_actions(state)
    assert module.get_current_player(state) == -1
    assert len(legal) == 336 and "place_p1:20_30|11" in legal
    assert module.get_observations(state) == [{}, {}]


def test_player_0_fires_first_row_by_row_and_turns_strictly_alternate():
    module, state = play(GAME, LAYOUTS)
    assert module.get_current_player(state) == 0
    legal = module.get_legal_actions(state)
    assert legal[:5] == ["fire_0_0", "fire_0_1", "fire_0_2", "fire_0_3", "fire_1_0"]
    assert len(legal) == 16
    module, state = play(GAME, LAYOUTS + ["fire_2_0"])  # a hit
    assert module.get_current_player(state) == 1
    module, state = play(GAME, LAYOUTS + ["fire_2_0", "fire_3_3"])
    assert "fire_2_0" not in module.get_legal_actions(state)


def test_first_to_hit_all_three_cells_wins():
    actions = LAYOUTS + ["fire_2_0", "fire_0_0", "fire_3_0", "fire_0_1"]
    module, state = play(GAME, actions)
    assert module.get_rewards(state) == [0.0, 0.0]
    module, state = play(GAME, actions + ["fire_1_1"])
    assert module.get_current_player(state) == -4
    assert module.get_rewards(state) == [1.0, -1.0]
    module, state = play(GAME, actions + ["fire_3_3", "fire_0_2"])
    assert module.get_rewards(state) == [-1.0, 1.0]


def test_observations_show_own_ships_and_both_players_shots():
    module, state = play(GAME, LAYOUTS + ["fire_2_0", "fire_3_3"])
    mine, theirs = module.get_observations(state)
    assert mine["my_ships"] == {"ship_2": [[0, 0], [0, 1]], "ship_1": [0, 2]}
    assert mine["my_shots"] == [[2, 0, True]] and mine["opponent_shots"] == [[3, 3, False]]
    assert theirs["my_shots"] == [[3, 3, False]] and theirs["opponent_shots"] == [[2, 0, True]]
    assert "opponent_ships" not in mine and "winner" not in mine
    assert "sunk" not in str(mine)


def test_the_end_reveals_the_opponent_layout_and_the_winner():
    actions = LAYOUTS + ["fire_2_0", "fire_0_0", "fire_3_0", "fire_0_1", "fire_1_1"]
    module, state = play(GAME, actions)
    mine, theirs = module.get_observations(state)
    assert mine["opponent_ships"] == {"ship_2": [[2, 0], [3, 0]], "ship_1": [1, 1]}
    assert theirs["opponent_ships"] == {"ship_2": [[0, 0], [0, 1]], "ship_1": [0, 2]}
    assert mine["winner"] == theirs["winner"] == 0
