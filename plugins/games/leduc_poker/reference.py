"""Leduc poker as a game code world model.

Six cards: J, Q and K in spades ("s") and hearts ("h"). Each player antes 1 and gets
one private card; a betting round follows, then one public card is dealt and a second
betting round is played. Bets are 2 in the first round and 4 in the second, with at
most two bets or raises per round. At the showdown a private card pairing the public
card wins; otherwise the higher rank wins, and equal ranks split the pot.
"""

import random

DECK = ["Js", "Jh", "Qs", "Qh", "Ks", "Kh"]
RANKS = "JQK"               # from lowest to highest; a card's rank is its first letter
BET_SIZES = [2, 4]          # per round
MAX_BETS_PER_ROUND = 2      # the opening bet counts as one of them


def get_initial_state():
    # cards: player 0's, player 1's, then the public card once dealt.
    # rounds: the betting actions of each round started so far.
    return {"cards": [], "rounds": [[]], "contributions": [1, 1]}


def _copy(state):
    return {
        "cards": list(state["cards"]),
        "rounds": [list(actions) for actions in state["rounds"]],
        "contributions": list(state["contributions"]),
    }


def _round_closed(actions):
    return actions == ["Check", "Check"] or (bool(actions) and actions[-1] == "Call")


def get_current_player(state):
    if len(state["cards"]) < 2:
        return -1
    actions = state["rounds"][-1]
    if actions and actions[-1] == "Fold":
        return -4
    if _round_closed(actions):
        # After the first round the public card is dealt; after the second, showdown.
        return -1 if len(state["rounds"]) == 1 else -4
    # Player 0 opens every round and the players alternate within it.
    return len(actions) % 2


def get_player_name(player_id):
    return f"Player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return [card for card in DECK if card not in state["cards"]]
    actions = state["rounds"][-1]
    bets = sum(a in ("Bet", "Raise") for a in actions)
    if bets == 0:
        return ["Check", "Bet"]
    if bets < MAX_BETS_PER_ROUND:
        return ["Fold", "Call", "Raise"]
    return ["Fold", "Call"]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = _copy(state)
    player = get_current_player(state)
    if player == -1:
        new["cards"].append(action)
        if len(new["cards"]) == 3:
            new["rounds"].append([])
        return new
    contributions = new["contributions"]
    opponent_total = contributions[1 - player]
    bet_size = BET_SIZES[len(state["rounds"]) - 1]
    if action == "Bet":
        contributions[player] += bet_size
    elif action == "Call":
        contributions[player] = opponent_total
    elif action == "Raise":
        contributions[player] = opponent_total + bet_size
    new["rounds"][-1].append(action)
    return new


def _hand_strength(private, public):
    # A pair with the public card beats every unpaired hand; otherwise rank decides.
    rank = RANKS.index(private[0])
    return (private[0] == public[0], rank)


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    contributions = state["contributions"]
    actions = state["rounds"][-1]
    if actions[-1] == "Fold":
        folder = (len(actions) - 1) % 2
        winner = 1 - folder
    else:
        private, public = state["cards"][:2], state["cards"][2]
        strengths = [_hand_strength(card, public) for card in private]
        if strengths[0] == strengths[1]:
            return [0.0, 0.0]
        winner = 0 if strengths[0] > strengths[1] else 1
    # The winner takes the loser's contribution to the pot.
    won = float(contributions[1 - winner])
    return [won, -won] if winner == 0 else [-won, won]


def get_observations(state):
    cards = state["cards"]
    public_card = cards[2] if len(cards) == 3 else None
    return [
        {
            "my_card": cards[player] if len(cards) > player else None,
            "public_card": public_card,
            "betting": [list(actions) for actions in state["rounds"]],
            "contributions": list(state["contributions"]),
            "to_move": get_current_player(state),
        }
        for player in range(2)
    ]


def resample_history(obs_action_history, player_id):
    # Everything but the opponent's private card is public, so a consistent history is
    # the observed one with any card left in the deck given to the opponent.
    last_observation, last_action = obs_action_history[-1]
    mine = last_observation["my_card"]
    public_card = last_observation["public_card"]
    unseen = [card for card in DECK if card not in (mine, public_card)]
    theirs = random.choice(unseen)
    history = [mine, theirs] if player_id == 0 else [theirs, mine]
    rounds = last_observation["betting"]
    history += rounds[0]
    if public_card is not None:
        history += [public_card] + rounds[1]
    return history + [last_action]
