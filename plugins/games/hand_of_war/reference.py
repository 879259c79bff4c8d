"""Hand of War as a game code world model.

Eight cards (ranks 1-4 in red and black); chance deals three to each player. In each
of three rounds both players play a card, player 0 first and player 1 without seeing
it. The higher rank takes the round, except that a 1 beats a 4. A tied round scores
nothing and its point rides on the next round; a tie in the last round is lost. More
points wins.
"""

import random

DECK = [f"{rank}{colour}" for rank in range(1, 5) for colour in "RB"]
HAND_SIZE = 3
UNUSED = len(DECK) - 2 * HAND_SIZE  # cards left in the deck after the deal


def get_initial_state():
    return {
        "undealt": list(DECK),
        "hands": [[], []],
        "table": [],    # the cards played in the current round, player 0's first
        "rounds": [],   # finished rounds: [player 0's card, player 1's card]
    }


def _rank(card):
    return int(card[0])


def _round_winner(card0, card1):
    """0 or 1 for the player who takes the round, None on a tie."""
    rank0, rank1 = _rank(card0), _rank(card1)
    if rank0 == rank1:
        return None
    if {rank0, rank1} == {1, 4}:  # the 1 topples the 4
        return 0 if rank0 == 1 else 1
    return 0 if rank0 > rank1 else 1


def _score(rounds):
    """Points of both players and the stake the next round is worth."""
    points, stake = [0, 0], 0
    for card0, card1 in rounds:
        stake += 1
        winner = _round_winner(card0, card1)
        if winner is not None:
            points[winner] += stake
            stake = 0
    return points, stake + 1


def get_current_player(state):
    if len(state["undealt"]) > UNUSED:
        return -1
    if len(state["rounds"]) == HAND_SIZE:
        return -4
    return len(state["table"])


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return [f"deal {card}" for card in state["undealt"]]
    return [f"play {card}" for card in state["hands"][player]]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    card = action.split()[1]
    new = {
        "undealt": list(state["undealt"]),
        "hands": [list(hand) for hand in state["hands"]],
        "table": list(state["table"]),
        "rounds": [list(played) for played in state["rounds"]],
    }
    player = get_current_player(state)
    if player == -1:
        # Cards go to player 0, player 1, player 0, ... in turn.
        receiver = (len(DECK) - len(new["undealt"])) % 2
        new["undealt"].remove(card)
        new["hands"][receiver].append(card)
        new["hands"][receiver].sort(key=DECK.index)
        return new
    new["hands"][player].remove(card)
    new["table"].append(card)
    if len(new["table"]) == 2:
        new["rounds"].append(new["table"])
        new["table"] = []
    return new


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    (mine, theirs), _ = _score(state["rounds"])
    if mine == theirs:
        return [0.0, 0.0]
    return [1.0, -1.0] if mine > theirs else [-1.0, 1.0]


def get_observations(state):
    points, stake = _score(state["rounds"])
    over = get_current_player(state) == -4
    observations = []
    for player in (0, 1):
        observations.append({
            "to_move": get_current_player(state),
            "my_hand": list(state["hands"][player]),
            # The other player's card in the current round stays face down.
            "my_card": state["table"][player] if player < len(state["table"]) else None,
            "rounds": [list(played) for played in state["rounds"]],
            "points": points,
            "stake": 0 if over else stake,
        })
    return observations


def resample_history(obs_action_history, player_id):
    # The last observation shows this player's hand and every finished round; unknown
    # are the other player's unplayed cards (and, for player 1, player 0's card on the
    # table now), which may be any of the cards this player has not seen.
    observation, action = obs_action_history[-1]
    rounds = observation["rounds"]
    mine = [played[player_id] for played in rounds] + observation["my_hand"]
    theirs = [played[1 - player_id] for played in rounds]
    unseen = [card for card in DECK if card not in mine + theirs]
    random.shuffle(unseen)
    theirs += unseen[:HAND_SIZE - len(theirs)]
    random.shuffle(mine)
    random.shuffle(theirs)
    hands = [mine, theirs] if player_id == 0 else [theirs, mine]
    history = [f"deal {hands[i % 2][i // 2]}" for i in range(2 * HAND_SIZE)]
    for card0, card1 in rounds:
        history += [f"play {card0}", f"play {card1}"]
    if player_id == 1:
        # Player 0's face-down card: one it still holds.
        played = [card0 for card0, _ in rounds]
        history.append(f"play {random.choice([c for c in hands[0] if c not in played])}")
    return history + [action]
