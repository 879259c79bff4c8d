"""Backgammon (15 checkers each, single wins only) as a game code world model.

Points are numbered 1 to 24 for both players. Player 0 moves from 24 towards 1 and
bears off below 1; player 1 moves from 1 towards 24 and bears off above 24. The state
keeps the board as 24 signed counts (positive: player 0's checkers, negative: player
1's), the bar and borne-off counts per player, the player whose turn it is and the
roll to play. A turn is two actions: the chance roll "D_a_b", then one action playing
the whole roll, its single moves joined by commas ("13/7,7/2"), or "pass".

Each die is played in turn when it can be and skipped when it cannot; nothing forces
a player to use both dice or the larger one. Both orders of a non-double roll are
tried, so "13/7,7/2" and "13/8,8/2" are two different actions.
"""

CHECKERS = 15
BAR, OFF = 25, 0  # in a player's own distance-to-home numbering (see _relative)
ROLLS = [f"D_{a}_{b}" for a in range(1, 7) for b in range(a, 7)]
START = {24: 2, 13: 5, 8: 3, 6: 5}  # player 0's points; player 1 mirrors them (25 - p)


def get_initial_state():
    points = [0] * 24
    for point, count in START.items():
        points[point - 1] = count
        points[24 - point] = -count
    return {"points": points, "bar": [0, 0], "off": [0, 0], "to_move": 0, "dice": []}


def _winner(state):
    for player in (0, 1):
        if state["off"][player] == CHECKERS:
            return player
    return None


def get_current_player(state):
    if _winner(state) is not None:
        return -4
    if not state["dice"]:
        return -1
    return state["to_move"]


def get_player_name(player_id):
    return f"player {player_id}"


def _point_name(player, distance):
    """A point in the common numbering, from its distance to the player's home edge."""
    return distance if player == 0 else 25 - distance


def _relative(state, player):
    """The mover's and the opponent's checkers as tuples indexed by the mover's distance
    to home: index d is point d for player 0 and point 25 - d for player 1; the mover's
    bar is index 25 and its borne-off checkers index 0."""
    sign = 1 if player == 0 else -1
    mine, theirs = [0] * 26, [0] * 26
    for distance in range(1, 25):
        count = sign * state["points"][_point_name(player, distance) - 1]
        if count > 0:
            mine[distance] = count
        elif count < 0:
            theirs[distance] = -count
    mine[BAR] = state["bar"][player]
    mine[OFF] = state["off"][player]
    return tuple(mine), tuple(theirs)


def _single_moves(mine, theirs, die):
    """The (from, to) moves one die allows, as distances to home."""
    if mine[BAR]:
        # A checker on the bar must enter before any other checker moves.
        to = BAR - die
        return [(BAR, to)] if theirs[to] < 2 else []
    highest = 24
    while not mine[highest]:
        highest -= 1
    bearing_off = highest <= 6  # every checker left is in the home board
    moves = []
    for frm in range(highest, 0, -1):
        if not mine[frm]:
            continue
        to = frm - die
        if to >= 1:
            if theirs[to] < 2:  # two or more opponent checkers block the point
                moves.append((frm, to))
        elif bearing_off and (to == 0 or frm == highest):
            # an exact bear-off, or a higher die from the highest occupied point
            moves.append((frm, OFF))
    return moves


def _move_name(player, frm, to):
    source = "bar" if frm == BAR else str(_point_name(player, frm))
    target = "off" if to == OFF else str(_point_name(player, to))
    return f"{source}/{target}"


# Every single move's name, per player: _NAMES[player][(from, to)] in distances to home.
_NAMES = [{(frm, to): _move_name(player, frm, to) for frm in range(1, 26) for to in range(25)}
          for player in (0, 1)]


def _plays(names, mine, theirs, dice, memo):
    """Every way to play ``dice`` in order from this position, as move names joined by
    commas ("" when no die can be used); a die that cannot be used is skipped.
    ``memo`` maps (position, dice left) to its answer: different orders of the same
    moves often reach the same position."""
    if not dice or mine[OFF] == CHECKERS:
        return [""]
    key = (mine, theirs, dice)
    if key in memo:
        return memo[key]
    moves = _single_moves(mine, theirs, dice[0])
    if not moves:
        found = _plays(names, mine, theirs, dice[1:], memo)
    elif len(dice) == 1:
        found = [names[move] for move in moves]
    else:
        found = []
        for frm, to in moves:
            after = list(mine)
            after[frm] -= 1
            after[to] += 1
            opponent = theirs
            if to != OFF and theirs[to] == 1:
                # the hit checker goes to the opponent's bar
                opponent = theirs[:to] + (0,) + theirs[to + 1:]
            name = names[(frm, to)]
            for rest in _plays(names, tuple(after), opponent, dice[1:], memo):
                found.append(f"{name},{rest}" if rest else name)
    memo[key] = found
    return found


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return list(ROLLS)
    dice = tuple(state["dice"])
    orders = [dice] if dice[0] == dice[-1] else [dice, dice[::-1]]
    mine, theirs = _relative(state, player)
    memo = {}
    # The two orders of a roll can give the same play (when a die is skipped): keep one.
    plays = list(dict.fromkeys(play for order in orders
                               for play in _plays(_NAMES[player], mine, theirs, order, memo)))
    return plays if plays != [""] else ["pass"]


def _parse_roll(action):
    parts = action.split("_")
    if len(parts) != 3 or parts[0] != "D" or not all(p in "123456" and p for p in parts[1:]):
        raise ValueError(f"not a roll: {action!r}")
    a, b = sorted((int(parts[1]), int(parts[2])))
    # A double is played as four moves of its number.
    return [a] * 4 if a == b else [a, b]


def _apply_move(state, player, source, target):
    """Move one checker in place, hitting a lone opponent checker on the target."""
    sign = 1 if player == 0 else -1
    if source == "bar":
        state["bar"][player] -= 1
    else:
        state["points"][int(source) - 1] -= sign
    if target == "off":
        state["off"][player] += 1
        return
    index = int(target) - 1
    if state["points"][index] == -sign:
        state["points"][index] = 0
        state["bar"][1 - player] += 1
    state["points"][index] += sign


def apply_action(state, action):
    """The move is trusted to be one of get_legal_actions(state): checking it would
    enumerate the plays a second time."""
    player = get_current_player(state)
    if player == -4:
        raise ValueError("the game is over")
    new = {"points": list(state["points"]), "bar": list(state["bar"]),
           "off": list(state["off"]), "to_move": state["to_move"], "dice": []}
    if player == -1:
        # Either order of the dice is accepted: "D_6_5" is the roll "D_5_6".
        new["dice"] = _parse_roll(action)
        return new
    if action != "pass":
        for move in action.split(","):
            source, target = move.split("/")
            _apply_move(new, player, source, target)
    new["to_move"] = 1 - player  # the players alternate, player 0 first
    return new


def get_rewards(state):
    winner = _winner(state)
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_observations(state):
    points = [(0 if n > 0 else 1 if n < 0 else None, abs(n)) for n in state["points"]]
    return [{"points": list(points), "bar": list(state["bar"]), "off": list(state["off"]),
             "dice": list(state["dice"])} for _ in range(2)]
