"""Two-player blackjack as a game code world model.

Both players draw from one shared 52-card deck; each card is a distinct chance
outcome such as "AS" or "10H". The deal gives each player a face-down hole card
and then a face-up card; every later card is dealt face up. Player 0 hits or
stands first, then player 1. A bust loses at once; otherwise the higher total
wins. A two-card 21 (a natural) ends the game right after the deal.
"""

import random

RANKS = ["A", "2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K"]
SUITS = ["S", "H", "D", "C"]
DECK = [rank + suit for suit in SUITS for rank in RANKS]
HIDDEN = "??"
NATURAL_PAYOFF = 1.5


def _rank_value(card):
    rank = card[:-1]
    if rank == "A":
        return 1
    if rank in ("J", "Q", "K"):
        return 10
    return int(rank)


def hand_total(cards):
    """Best total of a hand: one ace counts 11 when that does not pass 21."""
    total = sum(_rank_value(card) for card in cards)
    if any(card[0] == "A" for card in cards) and total + 10 <= 21:
        total += 10
    return total


def _is_natural(cards):
    return len(cards) == 2 and hand_total(cards) == 21


def get_initial_state():
    return {
        "hands": [[], []],  # each hand: hole card, up card, then the hits in order
        "turn": 0,          # the player whose turn it is after the deal
        "drawing": False,   # True while a hit waits for its card
        "stood": [False, False],
    }


def _dealing(state):
    return len(state["hands"][0]) + len(state["hands"][1]) < 4


def _is_over(state):
    if _dealing(state):
        return False
    hands = state["hands"]
    return (any(_is_natural(hand) for hand in hands)
            or any(hand_total(hand) > 21 for hand in hands)
            or all(state["stood"]))


def get_current_player(state):
    if _is_over(state):
        return -4
    if _dealing(state) or state["drawing"]:
        return -1
    return state["turn"]


def get_player_name(player_id):
    return f"player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        dealt = set(state["hands"][0] + state["hands"][1])
        return [card for card in DECK if card not in dealt]
    return ["hit", "stand"]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = {
        "hands": [list(hand) for hand in state["hands"]],
        "turn": state["turn"],
        "drawing": state["drawing"],
        "stood": list(state["stood"]),
    }
    if action == "hit":
        new["drawing"] = True
    elif action == "stand":
        new["stood"][new["turn"]] = True
        new["turn"] = 1
    elif _dealing(state):
        # Deal order: hole 0, hole 1, up card 0, up card 1.
        dealt = len(state["hands"][0]) + len(state["hands"][1])
        new["hands"][dealt % 2].append(action)
    else:
        new["hands"][new["turn"]].append(action)
        new["drawing"] = False
    return new


def get_rewards(state):
    if not _is_over(state):
        return [0.0, 0.0]
    hands = state["hands"]
    naturals = [_is_natural(hand) for hand in hands]
    if any(naturals):
        if all(naturals):
            return [0.0, 0.0]
        return [NATURAL_PAYOFF, -NATURAL_PAYOFF] if naturals[0] else [
            -NATURAL_PAYOFF, NATURAL_PAYOFF]
    totals = [hand_total(hand) for hand in hands]
    # Player 0 acts first, so a bust by player 0 ends the game before player 1
    # could bust too: at most one hand is ever bust.
    if totals[0] > 21:
        return [-1.0, 1.0]
    if totals[1] > 21:
        return [1.0, -1.0]
    if totals[0] == totals[1]:
        return [0.0, 0.0]
    return [1.0, -1.0] if totals[0] > totals[1] else [-1.0, 1.0]


def get_observations(state):
    over = _is_over(state)
    observations = []
    for player in range(2):
        mine, theirs = state["hands"][player], state["hands"][1 - player]
        if not over and theirs:
            theirs = [HIDDEN] + theirs[1:]  # the hole card stays hidden until the end
        observations.append({
            "to_move": get_current_player(state),
            "my_cards": list(mine),
            "my_total": hand_total(mine),
            "opponent_cards": list(theirs),
        })
    return observations


def resample_history(obs_action_history, player_id):
    """Sample the opponent's hole card uniformly among those consistent with what
    player_id saw, and rebuild the one history that goes with it."""
    last_obs, last_action = obs_action_history[-1]
    mine = last_obs["my_cards"]
    shown = last_obs["opponent_cards"][1:]
    seen = set(mine) | set(shown)

    def consistent(hole):
        # Play reached this turn, so the opponent had no natural after the deal and
        # has not bust (its hand only grows, so checking the whole hand suffices).
        theirs = [hole] + shown
        return not _is_natural(theirs[:2]) and hand_total(theirs) <= 21

    hole = random.choice([card for card in DECK if card not in seen and consistent(card)])
    hands = [None, None]
    hands[player_id] = mine
    hands[1 - player_id] = [hole] + shown

    history = [hands[0][0], hands[1][0], hands[0][1], hands[1][1]]
    for card in hands[0][2:]:
        history += ["hit", card]
    if player_id == 1:
        # Player 1 only moves once player 0 has stood.
        history.append("stand")
        for card in hands[1][2:]:
            history += ["hit", card]
    history.append(last_action)
    return history
