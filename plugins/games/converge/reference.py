"""Converge as a game code world model.

A 5x5 board, two units per player: player 0 starts on (0,0) and (0,4), player 1 on
(4,0) and (4,4). A move takes one unit one step in any of the eight directions onto
an empty cell; the first unit to reach the centre (2,2) wins. A move that does not
win stuns every enemy unit next to its destination for its owner's next turn. A
player with no movable unit passes. 50 actions without a winner are a draw.
"""

SIZE = 5
CENTRE = (2, 2)
MAX_ACTIONS = 50
NEIGHBOURS = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]
START = {(0, 0): 0, (0, 4): 0, (4, 0): 1, (4, 4): 1}


def get_initial_state():
    board = [[START.get((r, c)) for c in range(SIZE)] for r in range(SIZE)]
    return {"board": board, "to_move": 0, "actions": 0, "stunned": [], "winner": None}


def _is_over(state):
    return state["winner"] is not None or state["actions"] >= MAX_ACTIONS


def get_current_player(state):
    return -4 if _is_over(state) else state["to_move"]


def get_player_name(player_id):
    return f"Player {player_id}"


def _on_board(r, c):
    return 0 <= r < SIZE and 0 <= c < SIZE


def get_legal_actions(state):
    if _is_over(state):
        return []
    board, player = state["board"], state["to_move"]
    stunned = {(r, c) for r, c, _ in state["stunned"]}
    moves = []
    for r in range(SIZE):
        for c in range(SIZE):
            if board[r][c] != player or (r, c) in stunned:
                continue
            for dr, dc in NEIGHBOURS:
                nr, nc = r + dr, c + dc
                if _on_board(nr, nc) and board[nr][nc] is None:
                    moves.append(f"move ({r},{c}) to ({nr},{nc})")
    return sorted(moves) or ["pass"]


def _parse_move(action):
    # "move (r1,c1) to (r2,c2)": its four digits, in order.
    r1, c1, r2, c2 = (int(ch) for ch in action if ch.isdigit())
    return (r1, c1), (r2, c2)


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    player = state["to_move"]
    board = [cells[:] for cells in state["board"]]
    count = state["actions"] + 1
    winner, stunned = None, []
    if action != "pass":
        (r1, c1), (r2, c2) = _parse_move(action)
        board[r1][c1], board[r2][c2] = None, player
        if (r2, c2) == CENTRE:
            winner = player
        elif count < MAX_ACTIONS:
            # Enemy units next to the destination sit out their owner's next turn.
            stunned = [
                [r2 + dr, c2 + dc, count]
                for dr, dc in NEIGHBOURS
                if _on_board(r2 + dr, c2 + dc) and board[r2 + dr][c2 + dc] == 1 - player
            ]
    return {"board": board, "to_move": 1 - player, "actions": count,
            "stunned": stunned, "winner": winner}


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def _status(state):
    if state["winner"] is not None:
        return "won"
    return "draw" if _is_over(state) else "playing"


def get_observations(state):
    # Perfect information: both players see the whole state.
    return [
        {
            "board": [cells[:] for cells in state["board"]],
            "stunned": [list(unit) for unit in state["stunned"]],
            "to_move": get_current_player(state),
            "actions": state["actions"],
            "status": _status(state),
            "winner": state["winner"],
        }
        for _ in range(2)
    ]
