"""Two-player limit Texas Hold'em as a game code world model.

A standard 52-card deck, cards named rank then suit ("As", "Td", "2c"). Player 0 posts
the small blind (1) and player 1 the big blind (2). Four betting rounds: preflop (player
0 acts first), flop, turn and river (player 1 acts first). Bets and raises are 2 chips
preflop and on the flop, 4 on the turn and river, with at most three per round (the
blinds do not count). A showdown compares each player's best five of seven cards.
"""

import itertools
import random
from collections import Counter

RANKS = "23456789TJQKA"     # from lowest to highest
SUITS = "cdhs"
DECK = [rank + suit for rank in RANKS for suit in SUITS]
BLINDS = [1, 2]             # player 0 posts the small blind, player 1 the big blind
BET_SIZES = [2, 2, 4, 4]    # preflop, flop, turn, river
MAX_BETS_PER_ROUND = 3
# Cards dealt before each round's betting: 2 hole cards each, then 3, 1 and 1 on the board.
CARDS_BEFORE_ROUND = [4, 7, 8, 9]
FIRST_TO_ACT = [0, 1, 1, 1]

# Hand categories, from weakest to strongest.
HIGH_CARD, PAIR, TWO_PAIR, TRIPS, STRAIGHT, FLUSH, FULL_HOUSE, QUADS, STRAIGHT_FLUSH = range(9)


def get_initial_state():
    # cards: in dealing order, player 0's two hole cards, player 1's two, then the board.
    # rounds: the betting actions of each round started so far.
    return {"cards": [], "rounds": [[]], "contributions": list(BLINDS)}


def _copy(state):
    return {
        "cards": list(state["cards"]),
        "rounds": [list(actions) for actions in state["rounds"]],
        "contributions": list(state["contributions"]),
    }


def _round_closed(actions):
    # A round closes on a check or call once both players have acted: preflop the big
    # blind still has its option after the small blind calls, and after the flop a
    # first check does not close the round either.
    return len(actions) >= 2 and actions[-1] in ("Check", "Call")


def get_current_player(state):
    rounds = state["rounds"]
    actions = rounds[-1]
    if actions and actions[-1] == "Fold":
        return -4
    if len(state["cards"]) < CARDS_BEFORE_ROUND[len(rounds) - 1]:
        return -1
    if _round_closed(actions):
        return -4  # only the river round is ever left closed: showdown
    return (FIRST_TO_ACT[len(rounds) - 1] + len(actions)) % 2


def get_player_name(player_id):
    return ["Small blind", "Big blind"][player_id]


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return [card for card in DECK if card not in state["cards"]]
    rounds = state["rounds"]
    contributions = state["contributions"]
    can_raise = sum(a in ("Bet", "Raise") for a in rounds[-1]) < MAX_BETS_PER_ROUND
    if contributions[player] < contributions[1 - player]:
        return ["Fold", "Call"] + (["Raise"] if can_raise else [])
    # Nothing to call. Preflop the big blind counts as the opening bet, so putting in
    # more is a raise; later rounds start with nothing bet, so it is a bet.
    return ["Check"] + (["Raise" if len(rounds) == 1 else "Bet"] if can_raise else [])


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = _copy(state)
    player = get_current_player(state)
    if player == -1:
        new["cards"].append(action)
        return new
    rounds, contributions = new["rounds"], new["contributions"]
    bet_size = BET_SIZES[len(rounds) - 1]
    if action == "Call":
        contributions[player] = contributions[1 - player]
    elif action in ("Bet", "Raise"):
        contributions[player] = contributions[1 - player] + bet_size
    rounds[-1].append(action)
    if _round_closed(rounds[-1]) and len(rounds) < len(BET_SIZES):
        rounds.append([])
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
            straight_high = 3  # the wheel A-2-3-4-5: the ace plays low, five high
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
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    contributions = state["contributions"]
    actions = state["rounds"][-1]
    if actions[-1] == "Fold":
        folder = (FIRST_TO_ACT[len(state["rounds"]) - 1] + len(actions) - 1) % 2
        winner = 1 - folder
    else:
        cards = state["cards"]
        board = cards[4:]
        values = [_best_hand_value(cards[0:2] + board), _best_hand_value(cards[2:4] + board)]
        if values[0] == values[1]:
            return [0.0, 0.0]  # split pot: both contributions are equal
        winner = 0 if values[0] > values[1] else 1
    # The winner takes the loser's contribution to the pot.
    won = float(contributions[1 - winner])
    return [won, -won] if winner == 0 else [-won, won]


def get_observations(state):
    cards = state["cards"]
    return [
        {
            "my_cards": cards[2 * player:2 * player + 2],
            "board": cards[4:],
            "betting": [list(actions) for actions in state["rounds"]],
            "contributions": list(state["contributions"]),
            "to_move": get_current_player(state),
        }
        for player in range(2)
    ]


def resample_history(obs_action_history, player_id):
    # Everything but the opponent's hole cards is public, so a consistent history is the
    # observed one with two cards left in the deck given to the opponent.
    last_observation, last_action = obs_action_history[-1]
    mine = last_observation["my_cards"]
    board = last_observation["board"]
    unseen = [card for card in DECK if card not in mine and card not in board]
    theirs = random.sample(unseen, 2)
    history = mine + theirs if player_id == 0 else theirs + mine
    for round_index, actions in enumerate(last_observation["betting"]):
        if round_index > 0:
            # The board cards dealt before this round.
            history += board[CARDS_BEFORE_ROUND[round_index - 1] - 4:
                             CARDS_BEFORE_ROUND[round_index] - 4]
        history += actions
    return history + [last_action]
