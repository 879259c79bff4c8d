"""Battleship against OpenSpiel's battleship on the study's boards and fleets.

OpenSpiel: battleship(board_width=4, board_height=4, ship_sizes=[2;1],
ship_values=[1;1], num_shots=16, allow_repeated_shots=false). Its players place their
own ships, in the order player 0's 2-ship, player 1's 2-ship, player 0's 1-ship, player
1's 1-ship, where the study lays out each fleet in one chance action. The mapping:

- our layout "place_pP:<r1><c1>_<r2><c2>|<r3><c3>" is OpenSpiel's placement of the
  2-ship "horizontally" (r1 == r2) or "vertically" with top-left corner (r1, c1), then
  of the 1-ship "horizontally" at (r3, c3) (OpenSpiel lists a 1-cell ship only
  horizontally). The four placements are made once both our layouts are drawn.
- "fire_r_c" is OpenSpiel's "PlN: shoot at (r, c)".
- OpenSpiel scores the value of the ships a player sank minus the value of those it
  lost; the game ends when one fleet is sunk, so the sign of its return is our +1/-1.
With 16 shots each and no repeated shots the game can only end by sinking a fleet, as
ours. OpenSpiel's hit/water report of every shot is checked against our observations.
"""

import random
import re

from tests.oracles.lockstep import os_player, pyspiel, reference

GAME = ("battleship(board_width=4,board_height=4,ship_sizes=[2;1],ship_values=[1.0;1.0],"
        "num_shots=16,allow_repeated_shots=false,loss_multiplier=1.0)")


def os_placements(os_state, player):
    """Our name of each placement OpenSpiel offers the player, as (direction, r, c)."""
    out = {}
    for os_action in os_state.legal_actions():
        text = os_state.action_to_string(player, os_action)
        r, c = map(int, re.search(r"\((\d+), (\d+)\)$", text).groups())
        out[("h" if "horizontally" in text else "v", r, c)] = os_action
    return out


def placements(layout):
    """OpenSpiel's two placements for our layout name (after "place_pP:")."""
    (r1, c1), (r2, _), (r3, c3) = (tuple(map(int, cell)) for cell in re.split("[_|]", layout))
    return [("h" if r1 == r2 else "v", r1, c1), ("h", r3, c3)]


def place_fleets(os_state, layouts):
    for ship in range(2):
        for player in range(2):
            offered = os_placements(os_state, player)
            placement = placements(layouts[player])[ship]
            assert placement in offered, f"{layouts}: {placement} not offered"
            os_state.apply_action(offered[placement])


def test_our_layouts_are_openspiels_placements():
    game = pyspiel().load_game(GAME)
    module = reference("battleship")
    ours = {a.split(":")[1] for a in module.get_legal_actions(module.get_initial_state())}
    theirs = set()
    state = game.new_initial_state()
    for two, os_action in os_placements(state, 0).items():
        after = state.clone()
        after.apply_action(os_action)
        after.apply_action(after.legal_actions()[0])
        for one in os_placements(after, 0):
            theirs.add((two, one))
    assert len(ours) == len(theirs) == 336
    assert {tuple(placements(name)) for name in ours} == theirs


def test_battleship_agrees_with_openspiel():
    game, module = pyspiel().load_game(GAME), reference("battleship")
    rng = random.Random(0)
    for t in range(300):
        state, history = module.get_initial_state(), []
        for _ in range(2):
            assert module.get_current_player(state) == -1
            action = rng.choice(module.get_legal_actions(state))
            state = module.apply_action(state, action)
            history.append(action)
        os_state = game.new_initial_state()
        place_fleets(os_state, [a.split(":")[1] for a in history])
        while True:
            where = f"trajectory {t} {history}"
            player = os_player(os_state)
            assert module.get_current_player(state) == player, f"{where}: player"
            if player == -4:
                break
            mapped = {}
            for os_action in os_state.legal_actions():
                r, c = re.search(r"\((\d+), (\d+)\)$",
                                 os_state.action_to_string(player, os_action)).groups()
                mapped[f"fire_{r}_{c}"] = os_action
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
            report = os_state.information_state_string(player).rsplit("/", 1)[-1]
            assert report.startswith("shot_"), f"{where}: {report}"
            hit = module.get_observations(state)[player]["my_shots"][-1][2]
            assert hit == (report[-1] in "HS"), f"{where}: OpenSpiel says {report}"
        returns = os_state.returns()
        expected = [1.0, -1.0] if returns[0] > 0 else [-1.0, 1.0]
        assert returns[0] != 0 and module.get_rewards(state) == expected, (
            f"trajectory {t} {history}: payoffs {module.get_rewards(state)}, "
            f"OpenSpiel {returns}")
