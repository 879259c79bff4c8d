"""Pig, the dice game, as a game code world model.

Two players race to bank 100 points with one six-sided die. On a turn the mover keeps
choosing "roll" or "hold". A roll is a chance node with outcomes "1".."6": a 1 loses the
turn total and ends the turn, any other face adds to the turn total. "hold" (legal only
with a positive turn total) banks the turn total and ends the turn. The first hold that
brings a bank to 100 or more wins. There is no cap on the number of turns.
"""

TARGET = 100
FACES = ["1", "2", "3", "4", "5", "6"]


def get_initial_state():
    return {
        "scores": [0, 0],   # banked points
        "turn_total": 0,    # points of the running turn, not banked yet
        "turn_player": 0,   # whose turn it is
        "rolling": False,   # True while the die of a "roll" is in the air
    }


def get_current_player(state):
    if max(state["scores"]) >= TARGET:
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
    # Rolling is always allowed; holding needs something to bank.
    return ["roll", "hold"] if state["turn_total"] > 0 else ["roll"]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = dict(state, scores=list(state["scores"]))
    if action == "roll":
        new["rolling"] = True
        return new
    if action == "hold":
        new["scores"][state["turn_player"]] += state["turn_total"]
    else:  # a die face
        new["rolling"] = False
        if action != "1":
            new["turn_total"] += int(action)
            return new  # the same player decides again
    # A hold or a 1 ends the turn: the turn total is banked or lost, the turn passes.
    new["turn_total"] = 0
    new["turn_player"] = 1 - state["turn_player"]
    return new


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["scores"][0] >= TARGET else [-1.0, 1.0]


def get_observations(state):
    # Perfect information, but the view holds only the banks, the turn total and who
    # is to move (-1 while the die is rolling, -4 once the game is over).
    return [
        {
            "scores": list(state["scores"]),
            "turn_total": state["turn_total"],
            "current_player": get_current_player(state),
        }
        for _ in range(2)
    ]
