"""Two-player Texas Hold'em as a game code world model.

A 52-card deck dealt one card per chance action ("deal:As"). Player 0 posts the small
blind (1) and player 1 the big blind (2); both stacks are 100. Every raise puts in the
amount to call plus 2 chips, in every round, with no cap on the number of raises (only
the stack limits them). Four betting rounds: pre-flop (player 0 acts first), flop, turn
and river (player 1 acts first). A showdown compares each player's best five of seven.
"""

import itertools
import random
from collections import Counter

RANKS = "23456789TJQKA"     # from lowest to highest
SUITS = "cdhs"
DECK = ["deal:" + rank + suit for suit in SUITS for rank in RANKS]
BLINDS = [1, 2]             # player 0 posts the small blind, player 1 the big blind
STACK = 100
RAISE = 2                   # chips a raise adds on top of the call
# Phases: even ones deal cards (up to this many dealt in all), odd ones are betting.
CARDS_AFTER_PHASE = {0: 4, 2: 7, 4: 8, 6: 9}
RIVER_BETTING, SHOWDOWN = 7, 8

# Hand categories, from weakest to strongest.
HIGH_CARD, PAIR, TWO_PAIR, TRIPS, STRAIGHT, FLUSH, FULL_HOUSE, QUADS, STRAIGHT_FLUSH = range(9)


def get_initial_state():
    return {
        "cards": [],                  # "As" etc.: player 0's two, player 1's two, the board
        "phase": 0,
        "contributions": list(BLINDS),
        "to_move": 0,
        "round_actions": 0,           # betting actions in the current round
        "betting": [],                # [player, action] for every betting action so far
        "folded": None,
        "over": False,
    }


def _copy(state):
    new = dict(state)
    new["cards"] = list(state["cards"])
    new["contributions"] = list(state["contributions"])
    new["betting"] = [list(entry) for entry in state["betting"]]
    return new


def get_current_player(state):
    if state["over"]:
        return -4
    if state["phase"] % 2 == 0:
        return -1
    return state["to_move"]


def get_player_name(player_id):
    return ["Small blind", "Big blind"][player_id]


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        dealt = set(state["cards"])
        return [action for action in DECK if action[5:] not in dealt]
    contributions = state["contributions"]
    to_call = contributions[1 - player] - contributions[player]
    stack = STACK - contributions[player]
    actions = ["Fold", "Call"] if to_call > 0 else ["Check"]
    if stack > to_call:
        actions.append("Raise")
    return actions


def _start_phase(state, phase):
    state["phase"] = phase
    if phase == SHOWDOWN:
        state["over"] = True
    elif phase % 2 == 1:
        # Pre-flop player 0 (the small blind) acts first, afterwards player 1.
        state["to_move"] = 0 if phase == 1 else 1
        state["round_actions"] = 0


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = _copy(state)
    player = get_current_player(state)
    if player == -1:
        new["cards"].append(action[5:])
        if len(new["cards"]) == CARDS_AFTER_PHASE[state["phase"]]:
            _start_phase(new, state["phase"] + 1)
        return new

    new["betting"].append([player, action])
    contributions = new["contributions"]
    if action == "Fold":
        new["folded"] = player
        new["over"] = True
        return new
    if action == "Call":
        contributions[player] = contributions[1 - player]
    elif action == "Raise":
        contributions[player] = contributions[1 - player] + RAISE
    # A check or call ends the round unless it is the round's first action: the small
    # blind calling the big blind pre-flop, or the first check after the flop.
    if action != "Raise" and state["round_actions"] > 0:
        _start_phase(new, state["phase"] + 1)
        return new
    new["round_actions"] += 1
    new["to_move"] = 1 - player
    return new


def _five_card_value(cards):
    """A tuple that compares like the poker value of five cards."""
    ranks = sorted((RANKS.index(card[0]) for card in cards), reverse=True)
    counts = Counter(ranks)
    # Ranks ordered by how often they occur, then by rank: the pair before the kickers,
    # the three of a kind before the pair, and so on.
    ordered = sorted(counts, key=lambda rank: (counts[rank], rank), reverse=True)
    shape = sorted(counts.values(), reverse=True)
    flush = len({card[1] for card in cards}) == 1
    straight_high = None
    if len(counts) == 5:
        if ranks[0] - ranks[4] == 4:
            straight_high = ranks[0]
        elif ranks == [12, 3, 2, 1, 0]:
            straight_high = 3  # A-2-3-4-5: the ace plays low, five high
    if straight_high is not None:
        return (STRAIGHT_FLUSH if flush else STRAIGHT, [straight_high])
    if shape == [4, 1]:
        category = QUADS
    elif shape == [3, 2]:
        category = FULL_HOUSE
    elif flush:
        category = FLUSH
    elif shape == [3, 1, 1]:
        category = TRIPS
    elif shape == [2, 2, 1]:
        category = TWO_PAIR
    elif shape == [2, 1, 1, 1]:
        category = PAIR
    else:
        category = HIGH_CARD
    return (category, ordered)


def _best_hand_value(cards):
    return max(_five_card_value(five) for five in itertools.combinations(cards, 5))


def get_rewards(state):
    if not state["over"]:
        return [0.0, 0.0]
    contributions = state["contributions"]
    if state["folded"] is not None:
        loser = state["folded"]
    else:
        cards = state["cards"]
        board = cards[4:]
        values = [_best_hand_value(cards[0:2] + board), _best_hand_value(cards[2:4] + board)]
        if values[0] == values[1]:
            return [0.0, 0.0]
        loser = 0 if values[0] < values[1] else 1
    # The winner takes the loser's contribution.
    rewards = [float(contributions[loser])] * 2
    rewards[loser] = -rewards[loser]
    return rewards


def get_observations(state):
    cards, contributions = state["cards"], state["contributions"]
    return [
        {
            "player_id": player,
            "my_cards": cards[2 * player:2 * player + 2],
            "board": cards[4:],
            "pot": sum(contributions),
            "stacks": [STACK - c for c in contributions],
            "contributions": list(contributions),
            "phase": state["phase"],
            "terminal": state["over"],
            "betting": [list(entry) for entry in state["betting"]],
        }
        for player in range(2)
    ]


def resample_history(obs_action_history, player_id):
    # Everything but the opponent's hole cards is public: give the opponent two cards
    # the player has not seen, then replay the observed betting, dealing the known
    # cards whenever chance is to act.
    last_observation, last_action = obs_action_history[-1]
    mine, board = last_observation["my_cards"], last_observation["board"]
    seen = set(mine + board)
    unseen = [action[5:] for action in DECK if action[5:] not in seen]
    theirs = random.sample(unseen, 2)
    deals = ["deal:" + card for card in (mine + theirs if player_id == 0 else theirs + mine)
             + board]
    bets = [action for _, action in last_observation["betting"]] + [last_action]
    state, history = get_initial_state(), []
    while bets:
        queue = deals if get_current_player(state) == -1 else bets
        action = queue.pop(0)
        state = apply_action(state, action)
        history.append(action)
    return history
