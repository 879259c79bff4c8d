"""Pig, the dice game, as a game code world model.

Two players race to bank 20 points. On a turn the mover keeps rolling one die,
adding the faces to a turn total, until it stops (banking the turn total) or
rolls a 1 (losing it). A "roll" decision leads to a chance node whose outcomes
are the six faces "1".."6". The game also ends after 100 decisions.
"""

WIN_SCORE = 20
HORIZON = 100  # player decisions (rolls and stops), not counting die outcomes
FACES = [str(face) for face in range(1, 7)]


def get_initial_state():
    return {
        "scores": [0, 0],
        "turn_total": 0,
        "turn_player": 0,
        "rolling": False,  # True while the die of a "roll" is in the air
        "decisions": 0,
    }


def _is_over(state):
    return state["decisions"] >= HORIZON or max(state["scores"]) >= WIN_SCORE


def get_current_player(state):
    if _is_over(state):
        return -4
    if state["rolling"]:
        return -1
    return state["turn_player"]


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return list(FACES)
    # Once banking would reach the target, rolling on is not allowed.
    if state["scores"][player] + state["turn_total"] >= WIN_SCORE:
        return ["stop"]
    return ["roll", "stop"]


def _end_turn(state):
    state["turn_total"] = 0
    state["turn_player"] = 1 - state["turn_player"]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = dict(state, scores=list(state["scores"]))
    if action == "roll":
        new["decisions"] += 1
        new["rolling"] = True
    elif action == "stop":
        new["decisions"] += 1
        new["scores"][new["turn_player"]] += new["turn_total"]
        _end_turn(new)
    else:  # a die face
        new["rolling"] = False
        if action == "1":
            _end_turn(new)  # the turn total is lost
        else:
            new["turn_total"] += int(action)
    return new


def get_rewards(state):
    if not _is_over(state):
        return [0.0, 0.0]
    for player, score in enumerate(state["scores"]):
        if score >= WIN_SCORE:
            return [1.0, -1.0] if player == 0 else [-1.0, 1.0]
    return [0.0, 0.0]  # the horizon ran out: a draw


def get_observations(state):
    return [
        {
            "scores": list(state["scores"]),
            "turn_total": state["turn_total"],
            "turn_player": state["turn_player"],
            "to_move": get_current_player(state),
            "decisions": state["decisions"],
        }
        for _ in range(2)
    ]
