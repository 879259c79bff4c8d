"""Leduc poker as a game code world model.

A six-card deck (two each of J, Q, K), blinds of 1 (player 0) and 2 (player 1), one
private card each, a betting round, one public card, a second betting round. Raises add
2 in round 1 and 4 in round 2, at most two raises per round; player 0 acts first in both
rounds. Chance deals are "deal:J", "deal:Q", "deal:K", one outcome per rank still in the
deck. At the showdown a private card pairing the public card wins; otherwise each hand
counts the higher of its private card and the public card, and equal values split.
"""

import random

RANKS = "JQK"                 # from lowest to highest
COPIES = 2                    # cards of each rank in the deck
BLINDS = [1, 2]               # posted by player 0 and player 1 before the deal
RAISE_SIZES = {1: 2, 2: 4}    # per round
MAX_RAISES = 2                # per round


def get_initial_state():
    return {
        "cards": [],              # ranks: player 0's, player 1's, then the public card
        "round": 1,
        "bets": list(BLINDS),     # chips put in during the current round
        "totals": list(BLINDS),   # chips put in during the whole hand
        "raises": 0,              # raises made in the current round
        "round_actions": 0,       # player actions made in the current round
        "to_move": 0,             # the player to act once the deal is done
        "history": [],            # public [player, action] pairs, the public deal included
        "folded": None,
        "over": False,
    }


def _copy(state):
    new = dict(state)
    for key in ("cards", "bets", "totals"):
        new[key] = list(state[key])
    new["history"] = [list(entry) for entry in state["history"]]
    return new


def _deal_pending(state):
    # Both private cards come before round 1, the public card before round 2.
    return len(state["cards"]) < (2 if state["round"] == 1 else 3)


def get_current_player(state):
    if state["over"]:
        return -4
    if _deal_pending(state):
        return -1
    return state["to_move"]


def get_player_name(player_id):
    return f"Player {player_id}"


def _ranks_left(cards):
    return [rank for rank in RANKS if cards.count(rank) < COPIES]


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        # One outcome per distinct rank left, so each listed rank is equally likely.
        return sorted("deal:" + rank for rank in _ranks_left(state["cards"]))
    actions = ["Fold", "Call"]
    if state["raises"] < MAX_RAISES:
        actions.append("Raise")
    return actions


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = _copy(state)
    player = get_current_player(state)
    if player == -1:
        rank = action.split(":")[1]
        new["cards"].append(rank)
        if len(new["cards"]) == 3:
            new["history"].append([-1, action])  # the public card is seen by both
        return new

    new["history"].append([player, action])
    opponent = 1 - player
    if action == "Fold":
        new["folded"] = player
        new["over"] = True
        return new
    owed = new["bets"][opponent] - new["bets"][player]
    added = owed + (RAISE_SIZES[state["round"]] if action == "Raise" else 0)
    new["bets"][player] += added
    new["totals"][player] += added
    new["round_actions"] += 1
    if action == "Raise":
        new["raises"] += 1
    # A call ends the round, except as the round's first action: player 0 calling the
    # big blind, or checking in round 2, lets player 1 act.
    if action == "Call" and state["round_actions"] > 0:
        if state["round"] == 2:
            new["over"] = True
        else:
            new.update(round=2, bets=[0, 0], raises=0, round_actions=0, to_move=0)
        return new
    new["to_move"] = opponent
    return new


def _hand_value(private, public):
    # A pair beats every unpaired hand; otherwise the higher of the two cards counts.
    if private == public:
        return (1, RANKS.index(private))
    return (0, max(RANKS.index(private), RANKS.index(public)))


def get_rewards(state):
    if not state["over"]:
        return [0.0, 0.0]
    totals = state["totals"]
    if state["folded"] is not None:
        loser = state["folded"]
    else:
        public = state["cards"][2]
        values = [_hand_value(card, public) for card in state["cards"][:2]]
        if values[0] == values[1]:
            return [0.0, 0.0]
        loser = 0 if values[0] < values[1] else 1
    rewards = [float(totals[loser])] * 2
    rewards[loser] = -rewards[loser]
    return rewards


def get_observations(state):
    cards = state["cards"]
    return [
        {
            "round": state["round"],
            "bets": list(state["bets"]),
            "pot": sum(state["totals"]),
            "public_card": cards[2] if len(cards) == 3 else None,
            "my_card": cards[player] if len(cards) > player else None,
            "history": [list(entry) for entry in state["history"]],
        }
        for player in range(2)
    ]


def _deal_probability(cards):
    """The chance of dealing these ranks in this order."""
    probability = 1.0
    for i in range(len(cards)):
        probability /= len(_ranks_left(cards[:i]))
    return probability


def resample_history(obs_action_history, player_id):
    # Only the opponent's private card is hidden. Each rank still available is a
    # consistent guess, weighted by how likely the deal makes it.
    last_observation, last_action = obs_action_history[-1]
    mine = last_observation["my_card"]
    public = last_observation["public_card"]
    seen = [mine] + ([public] if public else [])
    deals, weights = [], []
    for theirs in RANKS:
        if (seen + [theirs]).count(theirs) > COPIES:
            continue
        private = [mine, theirs] if player_id == 0 else [theirs, mine]
        deal = private + ([public] if public else [])
        deals.append(private)
        weights.append(_deal_probability(deal))
    private = random.choices(deals, weights)[0]
    return ["deal:" + rank for rank in private] + [
        action for _, action in last_observation["history"]] + [last_action]
