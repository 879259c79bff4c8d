"""Battleship on two 4x4 boards, as a game code world model.

Chance lays out each fleet, player 0's then player 1's: a ship of 2 cells and a ship of
1 cell, e.g. "place_p0:00_01|02" (the 2-ship on cells 00 and 01, the 1-ship on 02).
The players then fire in strict alternation, player 0 first, at cells of the opponent's
board they have not fired at ("fire_2_0"). The first to hit all 3 enemy cells wins.
"""

import random

SIZE = 4
CELLS = [(r, c) for r in range(SIZE) for c in range(SIZE)]
SHIP_CELLS = 3              # the 2-ship and the 1-ship


def _layouts():
    """Every fleet as (2-ship cells, 1-ship cell), named as in the chance actions."""
    twos = [((r, c), (r, c + 1)) for r in range(SIZE) for c in range(SIZE - 1)]
    twos += [((r, c), (r + 1, c)) for r in range(SIZE - 1) for c in range(SIZE)]
    layouts = {}
    for two in twos:
        for one in CELLS:
            if one not in two:
                name = "{}{}_{}{}|{}{}".format(*two[0], *two[1], *one)
                layouts[name] = [list(two[0]), list(two[1]), list(one)]
    return dict(sorted(layouts.items()))


LAYOUTS = _layouts()        # 336 names, sorted, each to its three ship cells


def get_initial_state():
    return {
        "layouts": [],        # the chance names of player 0's then player 1's fleet
        "shots": [[], []],    # per player, its shots in order as [row, col, hit]
        "winner": None,
    }


def get_current_player(state):
    if len(state["layouts"]) < 2:
        return -1
    if state["winner"] is not None:
        return -4
    shots = state["shots"]
    return 0 if len(shots[0]) == len(shots[1]) else 1


def get_player_name(player_id):
    return f"Player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        prefix = f"place_p{len(state['layouts'])}:"
        return [prefix + name for name in LAYOUTS]
    fired = {(r, c) for r, c, _ in state["shots"][player]}
    return [f"fire_{r}_{c}" for r, c in CELLS if (r, c) not in fired]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = {
        "layouts": list(state["layouts"]),
        "shots": [[list(shot) for shot in shots] for shots in state["shots"]],
        "winner": state["winner"],
    }
    player = get_current_player(state)
    if player == -1:
        new["layouts"].append(action.split(":")[1])
        return new
    r, c = int(action[5]), int(action[7])
    hit = [r, c] in LAYOUTS[state["layouts"][1 - player]]
    new["shots"][player].append([r, c, hit])
    if sum(h for _, _, h in new["shots"][player]) == SHIP_CELLS:
        new["winner"] = player
    return new


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _fleet(name):
    cells = LAYOUTS[name]
    return {"ship_2": [list(cell) for cell in cells[:2]], "ship_1": list(cells[2])}


def get_observations(state):
    if len(state["layouts"]) < 2:
        return [{}, {}]
    observations = []
    for player in range(2):
        observation = {
            "my_ships": _fleet(state["layouts"][player]),
            "my_shots": [list(shot) for shot in state["shots"][player]],
            "opponent_shots": [list(shot) for shot in state["shots"][1 - player]],
        }
        if state["winner"] is not None:
            observation["opponent_ships"] = _fleet(state["layouts"][1 - player])
            observation["winner"] = state["winner"]
        observations.append(observation)
    return observations


def resample_history(obs_action_history, player_id):
    # The opponent's fleet is the only hidden fact: any layout that agrees with which
    # of the player's shots hit will do. The shots themselves are all observed.
    last_observation, last_action = obs_action_history[-1]
    ships = last_observation["my_ships"]
    mine = "{}{}_{}{}|{}{}".format(*ships["ship_2"][0], *ships["ship_2"][1], *ships["ship_1"])
    my_shots = last_observation["my_shots"]
    theirs = random.choice([
        name for name, cells in LAYOUTS.items()
        if all(([r, c] in cells) == hit for r, c, hit in my_shots)
    ])
    fleets = [mine, theirs] if player_id == 0 else [theirs, mine]
    history = [f"place_p{p}:{fleets[p]}" for p in range(2)]
    fired = [[f"fire_{r}_{c}" for r, c, _ in shots]
             for shots in (my_shots, last_observation["opponent_shots"])]
    fired[0].append(last_action)
    if player_id == 1:
        fired.reverse()
    for turn in range(len(fired[0])):
        history += fired[0][turn:turn + 1] + fired[1][turn:turn + 1]
    return history
