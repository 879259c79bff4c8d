"""Kuhn poker as a game code world model.

Three cards (J < Q < K), two players, an ante of 1 each and a single betting round
in which one bet of 1 is allowed. The chance player deals player 0's card, then
player 1's. Betting actions are "Check", "Bet", "Call" and "Fold".
"""

import random

RANKS = ["J", "Q", "K"]  # from lowest to highest


def get_initial_state():
    return {"cards": [], "betting": []}


def _is_over(state):
    betting = state["betting"]
    return betting == ["Check", "Check"] or (bool(betting) and betting[-1] in ("Call", "Fold"))


def get_current_player(state):
    if len(state["cards"]) < 2:
        return -1
    if _is_over(state):
        return -4
    # Player 0 opens the betting and the players then alternate.
    return len(state["betting"]) % 2


def get_player_name(player_id):
    return f"Player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -1:
        return [rank for rank in RANKS if rank not in state["cards"]]
    if player == -4:
        return []
    if "Bet" in state["betting"]:
        return ["Call", "Fold"]
    return ["Check", "Bet"]


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = {"cards": list(state["cards"]), "betting": list(state["betting"])}
    if get_current_player(state) == -1:
        new["cards"].append(action)
    else:
        new["betting"].append(action)
    return new


def get_rewards(state):
    if get_current_player(state) != -4:
        return [0.0, 0.0]
    betting = state["betting"]
    if betting[-1] == "Fold":
        # The folder loses only its ante; the player who folds is the one who moved last.
        folder = (len(betting) - 1) % 2
        return [-1.0, 1.0] if folder == 0 else [1.0, -1.0]
    # Showdown: each player has put in the ante, plus 1 more if a bet was called.
    stake = 2.0 if "Call" in betting else 1.0
    ranks = [RANKS.index(card) for card in state["cards"]]
    return [stake, -stake] if ranks[0] > ranks[1] else [-stake, stake]


def get_observations(state):
    # Each player sees its own card (once dealt) and every betting action, never the
    # opponent's card.
    return [
        {
            "my_card": state["cards"][player] if len(state["cards"]) > player else None,
            "betting": list(state["betting"]),
            "to_move": get_current_player(state),
        }
        for player in range(2)
    ]


def resample_history(obs_action_history, player_id):
    # The betting is public, so only the opponent's card is hidden: any card other
    # than the player's own is consistent, and each is equally likely.
    last_observation, last_action = obs_action_history[-1]
    mine = last_observation["my_card"]
    theirs = random.choice([rank for rank in RANKS if rank != mine])
    cards = [mine, theirs] if player_id == 0 else [theirs, mine]
    return cards + list(last_observation["betting"]) + [last_action]
