"""Quadranto as a game code world model.

A 4x4 board in four 2x2 quadrants, numbered 1 (top-left), 2 (top-right), 3
(bottom-left) and 4 (bottom-right). Chance places player 0's piece in quadrant 1 and
then player 1's in quadrant 4. The players then alternate, player 0 first, moving
their piece one cell (or staying); moving onto the other piece wins. Each player sees
its own cell and only the quadrant of the other piece. 20 moves without a capture
are a draw.
"""

import random

SIZE = 4
MAX_MOVES = 20
START_CELLS = [
    [(0, 0), (0, 1), (1, 0), (1, 1)],  # player 0: quadrant 1
    [(2, 2), (2, 3), (3, 2), (3, 3)],  # player 1: quadrant 4
]
# Alphabetical, the order of the legal list; Stay never leaves the cell.
MOVES = {"Down": (1, 0), "Left": (0, -1), "Right": (0, 1), "Stay": (0, 0), "Up": (-1, 0)}


def get_initial_state():
    return {"cells": [None, None], "to_move": 0, "moves": 0, "winner": None}


def _placing(state):
    return None in state["cells"]


def _is_over(state):
    return state["winner"] is not None or state["moves"] >= MAX_MOVES


def get_current_player(state):
    if _placing(state):
        return -1
    return -4 if _is_over(state) else state["to_move"]


def get_player_name(player_id):
    return f"Player {player_id}"


def quadrant(cell):
    row, col = cell
    return 1 + (col >= SIZE // 2) + 2 * (row >= SIZE // 2)


def _step(cell, move):
    dr, dc = MOVES[move]
    return (cell[0] + dr, cell[1] + dc)


def _moves_from(cell):
    """The moves that keep a piece on the board, in alphabetical order."""
    return [m for m in MOVES if all(0 <= x < SIZE for x in _step(cell, m))]


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -1:
        placing = state["cells"].index(None)
        return [f"place_p{placing}:{r},{c}" for r, c in START_CELLS[placing]]
    if player == -4:
        return []
    return _moves_from(tuple(state["cells"][player]))


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    cells = [None if cell is None else list(cell) for cell in state["cells"]]
    new = dict(state, cells=cells)
    if _placing(state):
        placing = cells.index(None)
        cells[placing] = [int(x) for x in action.split(":")[1].split(",")]
        return new
    player = state["to_move"]
    cells[player] = list(_step(tuple(cells[player]), action))
    if cells[player] == cells[1 - player]:
        new["winner"] = player  # a capture; Stay never captures, the pieces are apart
    new["moves"] = state["moves"] + 1
    new["to_move"] = 1 - player
    return new


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def get_observations(state):
    # Nothing is seen while the pieces are placed; then each player sees its own
    # cell and only the quadrant of the other piece.
    if _placing(state):
        return [{}, {}]
    return [
        {
            "my_cell": list(state["cells"][player]),
            "opponent_quadrant": quadrant(state["cells"][1 - player]),
        }
        for player in range(2)
    ]


def _path_to_moves(path):
    moves = []
    for here, there in zip(path, path[1:]):
        delta = (there[0] - here[0], there[1] - here[1])
        moves.append(next(m for m, d in MOVES.items() if d == delta))
    return moves


def _sample_path(allowed):
    """A uniformly random opponent path x_0..x_n with x_i in allowed[i], each step one
    legal move; forward path counts, then sampling backwards."""
    # Moves are reversible (Stay, or the opposite direction), so the cells one move
    # before a cell are the cells one move after it.
    counts = [{cell: 1 for cell in allowed[0]}]
    for cells in allowed[1:]:
        previous = counts[-1]
        counts.append({
            cell: sum(previous.get(_step(cell, m), 0) for m in _moves_from(cell))
            for cell in cells
        })
    path = [_weighted_choice(counts[-1])]
    for previous in reversed(counts[:-1]):
        here = path[-1]
        options = {_step(here, m): previous.get(_step(here, m), 0) for m in _moves_from(here)}
        path.append(_weighted_choice(options))
    return path[::-1]


def _weighted_choice(weights):
    cells = sorted(cell for cell, w in weights.items() if w > 0)
    return random.choices(cells, weights=[weights[c] for c in cells])[0]


def resample_history(obs_action_history, player_id):
    # Each observation gives the player's own cell and the other piece's quadrant;
    # its own moves are known. The other piece's start and moves are drawn uniformly
    # among the paths that match every quadrant seen, never step onto the player's
    # piece (that would have ended the game) and are never stepped onto by the
    # player's own moves before its last one.
    mine = [tuple(obs["my_cell"]) for obs, _ in obs_action_history]
    quads = [obs["opponent_quadrant"] for obs, _ in obs_action_history]
    actions = [action for _, action in obs_action_history]
    turns = len(obs_action_history)
    all_cells = [(r, c) for r in range(SIZE) for c in range(SIZE)]
    opponent = 1 - player_id
    if player_id == 0:
        # x_i: the other piece after its i-th move, seen at the player's turn i + 1.
        allowed = [[c for c in START_CELLS[1] if turns < 2 or c != mine[1]]]
        for i in range(1, turns):
            allowed.append([
                c for c in all_cells
                if quadrant(c) == quads[i] and c != mine[i]
                and (i + 1 >= turns or c != mine[i + 1])
            ])
    else:
        # x_i: the other piece after its i-th move, seen at the player's turn i.
        allowed = [list(START_CELLS[0])]
        for i in range(1, turns + 1):
            allowed.append([
                c for c in all_cells
                if quadrant(c) == quads[i - 1] and c != mine[i - 1]
                and (i >= turns or c != mine[i])
            ])
    path = _sample_path(allowed)
    placements = [None, None]
    placements[player_id] = mine[0]
    placements[opponent] = path[0]
    history = [f"place_p{p}:{r},{c}" for p, (r, c) in enumerate(placements)]
    theirs = _path_to_moves(path)
    if player_id == 0:
        for k in range(turns):
            history.append(actions[k])
            if k < len(theirs):
                history.append(theirs[k])
    else:
        for k in range(turns):
            history.append(theirs[k])
            history.append(actions[k])
    return history
