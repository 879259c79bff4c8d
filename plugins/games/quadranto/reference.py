"""Quadranto as a game code world model.

Two pieces hunt each other on a 4x4 board split into four 2x2 quadrants (NW, NE, SW,
SE). Chance puts player 0's piece on any cell, then player 1's piece on a cell of the
diagonally opposite quadrant. The players then alternate, player 0 first, moving their
piece one cell up, down, left or right, or staying put. Moving onto the other piece
wins. After 20 moves without a capture the game is a draw. A player always knows its
own cell but only the quadrant of the other piece.
"""

import itertools
import random

SIZE = 4
MOVE_LIMIT = 20
STEPS = {"up": (-1, 0), "down": (1, 0), "left": (0, -1), "right": (0, 1), "stay": (0, 0)}
QUADRANTS = {(0, 0): "NW", (0, 1): "NE", (1, 0): "SW", (1, 1): "SE"}


def _quadrant(cell):
    return QUADRANTS[(cell[0] // 2, cell[1] // 2)]


def _opposite_quadrant_cells(cell):
    """The four cells of the quadrant diagonally opposite the one holding cell."""
    qr, qc = 1 - cell[0] // 2, 1 - cell[1] // 2
    return [(2 * qr + dr, 2 * qc + dc) for dr in range(2) for dc in range(2)]


def _steps_from(cell):
    """(action, cell reached) for every move that keeps the piece on the board."""
    options = []
    for action, (dr, dc) in STEPS.items():
        r, c = cell[0] + dr, cell[1] + dc
        if 0 <= r < SIZE and 0 <= c < SIZE:
            options.append((action, (r, c)))
    return options


def get_initial_state():
    return {"cells": [None, None], "moves": 0, "winner": None}


def get_current_player(state):
    if state["winner"] is not None or state["moves"] == MOVE_LIMIT:
        return -4
    if state["cells"][1] is None:
        return -1
    return state["moves"] % 2  # player 0 moves first


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        if state["cells"][0] is None:
            return [f"place0({r},{c})" for r in range(SIZE) for c in range(SIZE)]
        return [f"place1({r},{c})" for r, c in _opposite_quadrant_cells(state["cells"][0])]
    return [action for action, _ in _steps_from(tuple(state["cells"][player]))]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    player = get_current_player(state)
    new = {"cells": [None if cell is None else list(cell) for cell in state["cells"]],
           "moves": state["moves"], "winner": None}
    if player == -1:
        new["cells"][int(action[5])] = [int(action[7]), int(action[9])]  # "placeP(r,c)"
        return new
    dr, dc = STEPS[action]
    r, c = state["cells"][player]
    new["cells"][player] = [r + dr, c + dc]
    new["moves"] += 1
    if new["cells"][player] == state["cells"][1 - player]:
        new["winner"] = player
    return new


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def get_observations(state):
    observations = []
    for player in range(2):
        mine, theirs = state["cells"][player], state["cells"][1 - player]
        observations.append({
            "my_cell": None if mine is None else list(mine),
            "their_quadrant": None if theirs is None else _quadrant(theirs),
            "moves": state["moves"],
            "to_move": get_current_player(state),
        })
    return observations


def _sample_path(starts, constraints):
    """Draw uniformly one path of the hidden piece: a start cell, then one cell per
    move. Move j happens while our piece sits on constraints[j][0] and must end in
    quadrant constraints[j][1]; the piece never shares a cell with ours (that would
    have been a capture and ended the game).

    Forward pass: count the paths reaching each cell after each move. Backward pass:
    pick the last cell, then each predecessor, in proportion to those counts."""
    counts = [{cell: 1 for cell in starts}]
    for blocked, quadrant in constraints:
        layer = {}
        for cell, n in counts[-1].items():
            if cell == blocked:
                continue
            for _, nxt in _steps_from(cell):
                if nxt != blocked and _quadrant(nxt) == quadrant:
                    layer[nxt] = layer.get(nxt, 0) + n
        counts.append(layer)

    def pick(weights):
        cells = sorted(weights)
        return random.choices(cells, [weights[c] for c in cells])[0]

    path = [pick(counts[-1])]
    for j in range(len(constraints), 0, -1):
        blocked = constraints[j - 1][0]
        before = {cell: n for cell, n in counts[j - 1].items()
                  if cell != blocked and path[0] in (nxt for _, nxt in _steps_from(cell))}
        path.insert(0, pick(before))
    return path


def _move_name(a, b):
    return next(action for action, nxt in _steps_from(a) if nxt == b)


def resample_history(obs_action_history, player_id):
    # The player knows its own cells and moves; the other piece is seen only as a
    # quadrant at each of the player's turns. Sample its path uniformly among those
    # that fit every quadrant seen and never capture or get captured before the
    # player's last action.
    mine = [tuple(obs["my_cell"]) for obs, _ in obs_action_history]
    quadrants = [obs["their_quadrant"] for obs, _ in obs_action_history]
    actions = [action for _, action in obs_action_history]
    # Either way the other piece starts in the quadrant opposite our start.
    starts = _opposite_quadrant_cells(mine[0])
    if player_id == 0:
        # Player 1 has not moved at player 0's first turn; it moves once after each
        # of player 0's moves but the last.
        constraints = list(zip(mine[1:], quadrants[1:], strict=True))
    else:
        # Player 0 moves once before each of player 1's turns.
        constraints = list(zip(mine, quadrants, strict=True))
    path = _sample_path(starts, constraints)
    theirs = [_move_name(a, b) for a, b in itertools.pairwise(path)]

    cells = [None, None]
    cells[player_id], cells[1 - player_id] = mine[0], path[0]
    history = [f"place{p}({cells[p][0]},{cells[p][1]})" for p in range(2)]
    if player_id == 0:
        for k, action in enumerate(actions):
            history.append(action)
            if k < len(theirs):
                history.append(theirs[k])
    else:
        for move, action in zip(theirs, actions, strict=True):
            history += [move, action]
    return history
