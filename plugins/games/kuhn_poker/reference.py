"""Kuhn poker as a game code world model.

Three cards (J < Q < K), two players, an ante of 1 each and one betting round with at
most one raise of 1. One chance action deals both cards at once, named by player 0's
card then player 1's ("KQ"). "Call" means check when there is nothing to match and
call when facing a raise; "Raise" bets 1; "Fold" gives up facing a raise.
"""

import random

RANKS = "JQK"  # from lowest to highest
DEALS = [mine + theirs for mine in RANKS for theirs in RANKS if mine != theirs]


def get_initial_state():
    return {"cards": None, "betting": []}


def _is_over(betting):
    if betting == ["Call", "Call"]:
        return True
    return bool(betting) and (betting[-1] == "Fold" or betting[-2:] == ["Raise", "Call"])


def get_current_player(state):
    if state["cards"] is None:
        return -1
    if _is_over(state["betting"]):
        return -4
    # Player 0 opens the betting and the players then alternate.
    return len(state["betting"]) % 2


def get_player_name(player_id):
    return f"Player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -1:
        return list(DEALS)
    if player == -4:
        return []
    if "Raise" in state["betting"]:
        return ["Fold", "Call"]
    return ["Call", "Raise"]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    if state["cards"] is None:
        return {"cards": action, "betting": []}
    return {"cards": state["cards"], "betting": state["betting"] + [action]}


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    betting = state["betting"]
    if betting[-1] == "Fold":
        # The folder, who moved last, loses its ante.
        folder = (len(betting) - 1) % 2
        return [-1.0, 1.0] if folder == 0 else [1.0, -1.0]
    # Showdown: each player has put in the ante, plus 1 more if a raise was called.
    stake = 2.0 if "Raise" in betting else 1.0
    mine, theirs = (RANKS.index(card) for card in state["cards"])
    return [stake, -stake] if mine > theirs else [-stake, stake]


def get_observations(state):
    if state["cards"] is None:
        return [{}, {}]
    # Each player sees its own card and the public betting, never the opponent's card.
    return [{"my_card": state["cards"][player], "betting": list(state["betting"])}
            for player in range(2)]


def resample_history(obs_action_history, player_id):
    # The betting is public, so only the opponent's card is hidden: either of the two
    # other cards fits what the player saw, and both are equally likely.
    observation, action = obs_action_history[-1]
    mine = observation["my_card"]
    theirs = random.choice([rank for rank in RANKS if rank != mine])
    deal = mine + theirs if player_id == 0 else theirs + mine
    return [deal] + list(observation["betting"]) + [action]
