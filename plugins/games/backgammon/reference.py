"""Hyper-backgammon (three checkers each) as a game code world model.

Each player's checkers are kept as a list of three point numbers in that
player's own numbering, highest first: 1..24 on the board, 25 on the bar, 0 borne
off. Every checker moves from higher to lower numbers. A player's point p is
its opponent's point 25 - p.

A turn is two actions: a chance roll "a-b", then one action naming every checker
step of the move (or "pass").
"""

import functools

MAX_TURNS = 100  # moves (passes included) by both players; then the game is a draw
BAR, OFF = 25, 0
OPENING_ROLLS = [f"{a}-{b}" for a in range(1, 7) for b in range(1, 7) if a != b]
ROLLS = [f"{a}-{b}" for a in range(1, 7) for b in range(1, 7)]


def get_initial_state():
    return {
        "checkers": [[24, 23, 22], [24, 23, 22]],  # per player, highest first
        "dice": [],        # the roll to be played; empty while a roll is due
        "to_move": None,   # None until the opening roll decides who starts
        "turns": 0,
    }


def _winner(state):
    for player in (0, 1):
        if state["checkers"][player][0] == OFF:  # highest first: all borne off
            return player
    return None


def _is_over(state):
    return _winner(state) is not None or state["turns"] >= MAX_TURNS


def get_current_player(state):
    if _is_over(state):
        return -4
    if not state["dice"]:
        return -1
    return state["to_move"]


def get_player_name(player_id):
    return f"player {player_id}"


def _single_steps(mine, theirs, die):
    """The (from, to) steps one die allows the mover, in its own numbering; both
    players' checkers are listed highest first."""

    def open_point(to):
        # Two or more opponent checkers (on their point 25 - to) block a point.
        return theirs.count(25 - to) < 2

    if BAR in mine:
        # A checker on the bar must enter first, on the point 25 - die.
        return [(BAR, BAR - die)] if open_point(BAR - die) else []
    steps = []
    bearing_off = mine[0] <= 6  # every checker is in the home board or off
    for frm in sorted(set(mine) - {OFF}, reverse=True):
        to = frm - die
        if to >= 1:
            if open_point(to):
                steps.append((frm, to))
        elif bearing_off and (to == 0 or frm == mine[0]):
            # Exact bear-off, or a higher die from the highest occupied point.
            steps.append((frm, OFF))
    return steps


def _step(mine, theirs, frm, to):
    """Both players' checkers (tuples, highest first) after one step."""
    mine = list(mine)
    mine[mine.index(frm)] = to
    if to != OFF and theirs.count(25 - to) == 1:
        theirs = list(theirs)
        theirs[theirs.index(25 - to)] = BAR  # a blot is hit and goes to the bar
    return tuple(sorted(mine, reverse=True)), tuple(sorted(theirs, reverse=True))


def _sequences(mine, theirs, dice, played, out):
    """Append (steps played, final position) to out for the ways to play the dice;
    each step is (from, to, die).

    Steps are taken from non-increasing points only: any legal set of steps can also
    be played in that order, so every move is still found (the longest step lists are
    the complete moves), once or twice instead of once per ordering.
    """
    extended = False
    if mine[0] != OFF:  # checkers are listed highest first: some are still in play
        highest = played[-1][0] if played else BAR
        for i, die in enumerate(dice):
            if die in dice[:i]:
                continue  # the same number again gives the same moves
            rest = dice[:i] + dice[i + 1:]
            for frm, to in _single_steps(mine, theirs, die):
                if frm <= highest:
                    extended = True
                    _sequences(*_step(mine, theirs, frm, to), rest,
                               played + [(frm, to, die)], out)
    if not extended:
        out.append((played, (mine, theirs)))


def _point_name(p):
    return "bar" if p == BAR else "off" if p == OFF else str(p)


def _legal_moves(state):
    """Map each legal move string to the (mover's, opponent's) checkers after it."""
    player = state["to_move"]
    return dict(_moves(tuple(state["checkers"][player]),
                       tuple(state["checkers"][1 - player]), tuple(state["dice"])))


@functools.lru_cache(maxsize=100_000)
def _moves(mine, theirs, roll):
    """The legal moves of a roll as (name, position) pairs; cached because the same
    position is queried several times (legal actions, then applying one)."""
    a, b = roll
    dice = [a] * 4 if a == b else [a, b]
    options = []
    _sequences(mine, theirs, dice, [], options)
    most = max(len(played) for played, _ in options)
    if most == 0:
        return (("pass", (mine, theirs)),)
    options = [(played, pos) for played, pos in options if len(played) == most]
    if most == 1 and a != b:
        # Only one die can be played: it must be the larger one when possible.
        larger = [(played, pos) for played, pos in options if played[0][2] == max(a, b)]
        options = larger or options
    moves = {}
    for played, pos in options:
        steps = sorted(((frm, to) for frm, to, _ in played), reverse=True)
        name = " ".join(f"{_point_name(frm)}/{_point_name(to)}" for frm, to in steps)
        moves[name] = pos
    return tuple(moves.items())


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return list(OPENING_ROLLS if state["to_move"] is None else ROLLS)
    return sorted(_legal_moves(state))


def apply_action(state, action):
    player = get_current_player(state)
    if player == -1:
        if action not in get_legal_actions(state):
            raise ValueError(f"illegal action {action!r}")
        a, b = (int(die) for die in action.split("-"))
        # Opening roll: a is player 0's die and b player 1's; the higher starts.
        to_move = (0 if a > b else 1) if state["to_move"] is None else state["to_move"]
        return {"checkers": [list(c) for c in state["checkers"]], "dice": [a, b],
                "to_move": to_move, "turns": state["turns"]}
    moves = _legal_moves(state) if player >= 0 else {}
    if action not in moves:
        raise ValueError(f"illegal action {action!r}")
    mine, theirs = moves[action]
    checkers = [list(mine), list(theirs)] if player == 0 else [list(theirs), list(mine)]
    return {"checkers": checkers, "dice": [], "to_move": 1 - player,
            "turns": state["turns"] + 1}


def get_rewards(state):
    winner = _winner(state)
    if winner is None:
        return [0.0, 0.0]  # also a game stopped at the turn limit
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_observations(state):
    return [
        {
            "checkers": [list(c) for c in state["checkers"]],
            "dice": list(state["dice"]),
            "to_move": get_current_player(state),
            "turns": state["turns"],
        }
        for _ in range(2)
    ]
