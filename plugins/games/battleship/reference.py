"""Battleship on a 4x4 board as a game code world model.

Each player secretly places a ship of length 2 and then a ship of length 3 on its own
4x4 board (placements alternate: player 0 first). Then the players take turns shooting
at the opponent's board, player 0 first, each at most 10 times and never twice at the
same cell. Every shot is announced as a miss, a hit or a sinking. Sinking both enemy
ships ends the game at once; otherwise it ends when all 20 shots are fired. The final
payoff is the number of enemy ships sunk minus the number of own ships lost.

The state is kept small: for each player, its placements as their action strings,
and the shots it fired with their announced results, as two aligned lists.
"""

import itertools
import random

SIZE = 4
SHIP_SIZES = [2, 3]
SHOTS_PER_PLAYER = 10
CELLS = list(itertools.product(range(SIZE), repeat=2))  # (row, col), row by row
SHOTS = [f"shoot({r},{c})" for r, c in CELLS]


def _all_placements(length):
    """Map every way to lay a ship of this length on the board, horizontal ones row
    by row and then vertical ones, to the cells it covers. "h(r,c)" / "v(r,c)" name
    the ship's top-left cell."""
    options = {}
    for direction, dr, dc in (("h", 0, 1), ("v", 1, 0)):
        for r, c in CELLS:
            cells = [(r + i * dr, c + i * dc) for i in range(length)]
            if all(rr < SIZE and cc < SIZE for rr, cc in cells):
                options[f"{direction}({r},{c})"] = cells
    return options


PLACEMENTS = [_all_placements(length) for length in SHIP_SIZES]  # per ship, in order


def get_initial_state():
    return {"ships": [[], []], "shots": [[], []], "results": [[], []]}


def _fleet(placements):
    """The cells of each placed ship, from the placement actions in order."""
    return [PLACEMENTS[index][action] for index, action in enumerate(placements)]


def _free_placements(placements):
    """The placement actions for the next ship that avoid the already placed ones."""
    taken = {cell for ship in _fleet(placements) for cell in ship}
    options = PLACEMENTS[len(placements)]
    return [action for action, cells in options.items() if taken.isdisjoint(cells)]


def _placing(state):
    return len(state["ships"][0]) + len(state["ships"][1]) < 2 * len(SHIP_SIZES)


def _is_over(state):
    if _placing(state):
        return False
    if any(results.count("sunk") == len(SHIP_SIZES) for results in state["results"]):
        return True
    return len(state["shots"][1]) == SHOTS_PER_PLAYER  # player 1 fires the last shot


def get_current_player(state):
    if _is_over(state):
        return -4
    if _placing(state):
        return (len(state["ships"][0]) + len(state["ships"][1])) % 2
    # Player 0 shoots first, so it is to move whenever both have fired equally often.
    return 0 if len(state["shots"][0]) == len(state["shots"][1]) else 1


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if _placing(state):
        return _free_placements(state["ships"][player])
    fired = state["shots"][player]
    return [shot for shot in SHOTS if shot not in fired]


def _cell(shot):
    return int(shot[-4]), int(shot[-2])  # "shoot(r,c)"


def _shot_result(fleet, earlier_hits, cell):
    """Announce a shot at cell against this fleet, given the cells the same shooter
    hit before: "miss", "hit", or "sunk" when it hits the last intact cell of a ship."""
    for ship in fleet:
        if cell in ship:
            intact = [c for c in ship if c != cell and c not in earlier_hits]
            return "hit" if intact else "sunk"
    return "miss"


def _my_shots(state_or_obs, player):
    """The (cell, result) of each shot this player fired, in order."""
    shots, results = state_or_obs["shots"][player], state_or_obs["results"][player]
    return [(_cell(shot), result) for shot, result in zip(shots, results, strict=True)]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    player = get_current_player(state)
    new = {key: [list(state[key][0]), list(state[key][1])]
           for key in ("ships", "shots", "results")}
    if _placing(state):
        new["ships"][player].append(action)
    else:
        earlier = [cell for cell, result in _my_shots(state, player) if result != "miss"]
        target = _fleet(state["ships"][1 - player])
        new["shots"][player].append(action)
        new["results"][player].append(_shot_result(target, earlier, _cell(action)))
    return new


def get_rewards(state):
    if not _is_over(state):
        return [0.0, 0.0]
    # Each ship is worth 1: gained by the player who sinks it, lost by its owner.
    sunk = [results.count("sunk") for results in state["results"]]
    score = float(sunk[0] - sunk[1])
    return [score, -score]


def get_observations(state):
    to_move = get_current_player(state)
    return [{
        "my_ships": list(state["ships"][player]),
        "ships_placed": [len(state["ships"][0]), len(state["ships"][1])],
        "shots": [list(state["shots"][0]), list(state["shots"][1])],
        "results": [list(state["results"][0]), list(state["results"][1])],
        "to_move": to_move,
    } for player in range(2)]


def _consistent_fleets(count, my_shots):
    """Every placement sequence of the first `count` ships that answers the player's
    shots, (cell, result) in order, exactly as they were announced."""
    candidates = [[]]
    for _ in range(count):
        candidates = [placements + [action] for placements in candidates
                      for action in _free_placements(placements)]
    consistent = []
    for placements in candidates:
        fleet = _fleet(placements)
        hits = []
        for cell, result in my_shots:
            if _shot_result(fleet, hits, cell) != result:
                break
            if result != "miss":
                hits.append(cell)
        else:
            consistent.append(placements)
    return consistent


def resample_history(obs_action_history, player_id):
    # What the player saw: its own placements (its actions), how many ships the
    # opponent placed, and the public shot record. Only the opponent's fleet is hidden:
    # draw it uniformly among the fleets that answer the player's shots as announced.
    last_obs, last_action = obs_action_history[-1]
    opponent = 1 - player_id
    placements = [None, None]
    placements[player_id] = [action for _, action in obs_action_history
                             if not action.startswith("shoot")]
    placements[opponent] = random.choice(_consistent_fleets(
        last_obs["ships_placed"][opponent], _my_shots(last_obs, player_id)))

    history = []
    for index in range(len(SHIP_SIZES)):  # placements alternate, player 0 first
        history += [placements[p][index] for p in range(2) if index < len(placements[p])]
    shots = [list(last_obs["shots"][0]), list(last_obs["shots"][1])]
    if last_action.startswith("shoot"):
        shots[player_id].append(last_action)
    for index in range(len(shots[0])):  # shots alternate, player 0 first
        history += [shots[p][index] for p in range(2) if index < len(shots[p])]
    return history
