"""GameCWM programs of our own for the verifier's tests, and ways to derive broken ones.

The registered games' references change as games are rewritten, so tests do not edit
their text. They use:

- programs written here: tic-tac-toe and Kuhn poker as the registered games play them
  (with knobs for the faults a model writes), and small bare games;
- ``wrapped(reference, code)``: the reference with its GameCWM functions renamed
  ``_ref_<name>`` (every use too), and ``code`` defining the contract's functions on
  top of them: a fault injected this way works whatever the reference looks like.
"""

from __future__ import annotations

import ast
from pathlib import Path

from cwmkit.sandbox.contract import FUNCTIONS

GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"


def reference(game: str) -> str:
    return (GAMES / game / "reference.py").read_text()


class _Rename(ast.NodeTransformer):
    def visit_FunctionDef(self, node):
        if node.name in FUNCTIONS:
            node.name = f"_ref_{node.name}"
        self.generic_visit(node)
        return node

    def visit_Name(self, node):
        if node.id in FUNCTIONS:
            node.id = f"_ref_{node.id}"
        return node


def rename_api(source: str) -> str:
    """``source`` with every GameCWM function (definition and use) renamed ``_ref_...``."""
    tree = _Rename().visit(ast.parse(source))
    return ast.unparse(ast.fix_missing_locations(tree))


#: Delegates for every function ``wrapped`` code does not define itself.
_DELEGATES = {name: f"def {name}(*args):\n    return _ref_{name}(*args)\n"
              for name in FUNCTIONS}


def wrapped(source: str, code: str = "", *, drop: tuple[str, ...] = ()) -> str:
    """The reference ``source`` under the contract functions that ``code`` defines (the
    others delegate to ``_ref_<name>``); functions in ``drop`` are left undefined."""
    defined = {n.name for n in ast.parse(code).body if isinstance(n, ast.FunctionDef)}
    delegates = "".join(text for name, text in _DELEGATES.items()
                        if name not in defined and name not in drop)
    return f"{rename_api(source)}\n\n{delegates}\n{code}\n"


# --------------------------------------------------------------------------- tic-tac-toe

TTT = '''
"""Tic-tac-toe: x (player 0) moves first; the board is observed with the status."""

LINES = [[(r, 0), (r, 1), (r, 2)] for r in range(3)] + \\
    [[(0, c), (1, c), (2, c)] for c in range(3)] + \\
    [[(0, 0), (1, 1), (2, 2)], [(0, 2), (1, 1), (2, 0)]]
MARKS = "xo"
#: (mark, line index, marks on the board): a win that is missed (a rare rule bug).
MISSED = None


def get_initial_state():
    return {"board": [["."] * 3 for _ in range(3)], "status": "ongoing"}


def _count(board):
    return sum(cell != "." for row in board for cell in row)


def get_current_player(state):
    if state["status"] != "ongoing":
        return -4
    return _count(state["board"]) % 2


def get_player_name(player_id):
    return MARKS[player_id]


def get_legal_actions(state):
    player = get_current_player(state)
    if player < 0:
        return []
    return [f"{MARKS[player]}({r},{c})" for r in range(3) for c in range(3)
            if state["board"][r][c] == "."]


def _won(board, mark):
    for index, line in enumerate(LINES):
        if MISSED == (mark, index, _count(board)):
            continue
        if all(board[r][c] == mark for r, c in line):
            return True
    return False


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    mark, r, c = action[0], int(action[2]), int(action[4])
    board = [list(row) for row in state["board"]]
    board[r][c] = mark
    if _won(board, mark):
        status = mark + " won"
    elif _count(board) == 9:
        status = "draw"
    else:
        status = "ongoing"
    return {"board": board, "status": status}


def get_rewards(state):
    return {"x won": [1.0, -1.0], "o won": [-1.0, 1.0]}.get(state["status"], [0.0, 0.0])


def get_observations(state):
    view = {"board": [list(row) for row in state["board"]], "status": state["status"]}
    return [view, dict(view)]
'''


def ttt(**knobs) -> str:
    """Our tic-tac-toe with module constants replaced (``MISSED=("o", 5, 8)``...)."""
    source = TTT
    for name, value in knobs.items():
        old = f"\n{name} = None\n"
        assert old in source, name
        source = source.replace(old, f"\n{name} = {value!r}\n")
    return source


#: Tic-tac-toe whose states and observations use tuples, tuple keys, a Counter, a
#: defaultdict, a frozenset and a deque: all plain data, compared by value.
TTT_COLLECTIONS = '''
from collections import Counter, defaultdict, deque

LINES = [tuple((r, c) for c in range(3)) for r in range(3)] + \\
    [tuple((r, c) for r in range(3)) for c in range(3)] + \\
    [((0, 0), (1, 1), (2, 2)), ((0, 2), (1, 1), (2, 0))]
MARKS = "xo"


def get_initial_state():
    return {"cells": {}, "counts": Counter(), "moves": deque(), "status": "ongoing"}


def get_current_player(state):
    if state["status"] != "ongoing":
        return -4
    return len(state["cells"]) % 2


def get_player_name(player_id):
    return MARKS[player_id]


def get_legal_actions(state):
    player = get_current_player(state)
    if player < 0:
        return []
    return [f"{MARKS[player]}({r},{c})" for r in range(3) for c in range(3)
            if (r, c) not in state["cells"]]


def apply_action(state, action):
    mark, cell = action[0], (int(action[2]), int(action[4]))
    cells = dict(state["cells"])
    cells[cell] = mark
    counts = Counter(state["counts"])
    counts[mark] += 1
    moves = deque(state["moves"])
    moves.append(cell)
    mine = frozenset(k for k, v in cells.items() if v == mark)
    if any(set(line) <= mine for line in LINES):
        status = mark + " won"
    elif len(cells) == 9:
        status = "draw"
    else:
        status = "ongoing"
    return {"cells": cells, "counts": counts, "moves": moves, "status": status}


def get_rewards(state):
    return {"x won": (1, -1), "o won": (-1, 1)}.get(state["status"], (0, 0))


def get_observations(state):
    by_mark = defaultdict(set)
    for cell, mark in state["cells"].items():
        by_mark[mark].add(cell)
    board = tuple(tuple(state["cells"].get((r, c), ".") for c in range(3)) for r in range(3))
    view = {"board": board, "marks": {m: frozenset(c) for m, c in by_mark.items()},
            (0, "status"): state["status"], "status": state["status"]}
    return [view, dict(view)]
'''

# --------------------------------------------------------------------------- Kuhn poker

KUHN = '''
"""Kuhn poker: one chance action deals both cards ("KQ"), then Call/Raise/Fold."""
import random

RANKS = "JQK"
DEALS = [a + b for a in RANKS for b in RANKS if a != b]
#: How resample_history chooses the hidden card: "uniform", "first" (always the same).
SAMPLER = None


def get_initial_state():
    return {"cards": None, "betting": ()}


def _over(betting):
    return betting == ("Call", "Call") or (bool(betting) and (
        betting[-1] == "Fold" or betting[-2:] == ("Raise", "Call")))


def get_current_player(state):
    if state["cards"] is None:
        return -1
    if _over(state["betting"]):
        return -4
    return len(state["betting"]) % 2


def get_player_name(player_id):
    return f"p{player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -1:
        return list(DEALS)
    if player == -4:
        return []
    return ["Fold", "Call"] if "Raise" in state["betting"] else ["Call", "Raise"]


def apply_action(state, action):
    if state["cards"] is None:
        return {"cards": action, "betting": ()}
    return {"cards": state["cards"], "betting": state["betting"] + (action,)}


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0, 0]
    betting = state["betting"]
    if betting[-1] == "Fold":
        return [-1, 1] if (len(betting) - 1) % 2 == 0 else [1, -1]
    stake = 2 if "Raise" in betting else 1
    mine, theirs = (RANKS.index(c) for c in state["cards"])
    return [stake, -stake] if mine > theirs else [-stake, stake]


def get_observations(state):
    if state["cards"] is None:
        return [{}, {}]
    # Tuples and int keys: what resample_history gets back must be exactly these.
    return [{"card": state["cards"][p], "betting": tuple(state["betting"]),
             "rank": {0: RANKS.index(state["cards"][p])}} for p in range(2)]


def resample_history(obs_action_history, player_id):
    observation, action = obs_action_history[-1]
    assert type(observation["betting"]) is tuple, "the view came back changed"
    assert 0 in observation["rank"], "the view came back changed"
    mine = observation["card"]
    others = [r for r in RANKS if r != mine]
    theirs = others[0] if SAMPLER == "first" else random.choice(others)
    deal = mine + theirs if player_id == 0 else theirs + mine
    return [deal] + list(observation["betting"]) + [action]
'''


def kuhn(**knobs) -> str:
    source = KUHN
    for name, value in knobs.items():
        old = f"\n{name} = None\n"
        assert old in source, name
        source = source.replace(old, f"\n{name} = {value!r}\n")
    return source


# --------------------------------------------------------------------------- bare games

#: A small two-player race, verified as a bare file (--info perfect --players 2): a
#: counter starts at 0, the mover adds 1 or 2, whoever reaches 6 wins.
RACE = '''
def get_initial_state():
    return {"total": 0, "turn": 0}


def get_current_player(state):
    return -4 if state["total"] >= 6 else state["turn"]


def get_player_name(player_id):
    return "first" if player_id == 0 else "second"


def get_legal_actions(state):
    return [] if state["total"] >= 6 else ["add1", "add2"]


def apply_action(state, action):
    return {"total": state["total"] + int(action[-1]), "turn": 1 - state["turn"]}


def get_rewards(state):
    if state["total"] < 6:
        return [0.0, 0.0]
    winner = 1 - state["turn"]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_observations(state):
    return [dict(state), dict(state)]
'''

#: The reward hack: a program whose initial state is already terminal.
DO_NOTHING = '''
def get_initial_state():
    return {}


def get_current_player(state):
    return -4


def get_player_name(player_id):
    return str(player_id)


def get_legal_actions(state):
    return []


def apply_action(state, action):
    return dict(state)


def get_rewards(state):
    return [0.0, 0.0]


def get_observations(state):
    return [{}, {}]


def resample_history(obs_action_history, player_id):
    return []
'''
