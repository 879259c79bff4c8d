"""Blackjack, player 0 against the dealer (player 1), as a game code world model.

One 52-card deck, never reshuffled; every card dealt is a chance action "deal:<card>"
("deal:Ts", "deal:Ah") over the undealt cards. The deal goes player, dealer (up card),
player, dealer (hole card). Player 0 plays its hands with "H" (hit), "S" (stand),
"D" (double), "R" (surrender) and "P" (split); the dealer then has one forced action
at a time: "H" below 17, else "S", which settles every hand.
"""

import random

RANKS = "23456789TJQKA"
SUITS = "shdc"
DECK = [rank + suit for rank in RANKS for suit in SUITS]
HOLE = 3  # the dealer's hole card is the fourth action of every game


def _value(card):
    rank = card[0]
    if rank == "A":
        return 11
    if rank in "TJQK":
        return 10
    return int(rank)


def hand_total(cards):
    """The best total: aces count 11, each one dropping to 1 while the total is over 21."""
    total = sum(_value(card) for card in cards)
    aces = sum(1 for card in cards if card[0] == "A")
    while total > 21 and aces:
        total -= 10
        aces -= 1
    return total


def _is_natural(cards):
    return len(cards) == 2 and hand_total(cards) == 21


def get_initial_state():
    return {
        "history": [],
        "hands": [[]],        # player 0's hands, in the order they are played
        "bets": [1],
        "hand": 0,            # the hand in play
        "dealer": [],         # up card, hole card, then the dealer's hits
        "to_deal": ["player", "dealer", "player", "dealer"],  # who gets the next cards
        "mover": 0,           # who acts once no card is due: 0, 1 (the dealer) or -4
        "rewards": [0.0, 0.0],
    }


def _copy(state):
    new = dict(state)
    new["history"] = list(state["history"])
    new["hands"] = [list(hand) for hand in state["hands"]]
    new["bets"] = list(state["bets"])
    new["dealer"] = list(state["dealer"])
    new["to_deal"] = list(state["to_deal"])
    new["rewards"] = list(state["rewards"])
    return new


def _undealt(state):
    dealt = {action[5:] for action in state["history"] if action.startswith("deal:")}
    return [card for card in DECK if card not in dealt]


def get_current_player(state):
    if state["mover"] == -4:
        return -4
    if state["to_deal"]:
        return -1
    return state["mover"]


def get_player_name(player_id):
    return "Player" if player_id == 0 else "Dealer"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -4:
        return []
    if player == -1:
        return [f"deal:{card}" for card in _undealt(state)]
    can_draw = bool(_undealt(state))  # an empty deck deals no more cards
    if player == 1:
        return ["H"] if hand_total(state["dealer"]) < 17 and can_draw else ["S"]
    cards = state["hands"][state["hand"]]
    if hand_total(cards) >= 21 or not can_draw:
        return ["S"]
    legal = ["H", "S"]
    if len(cards) == 2:
        legal += ["D", "R"]
        if _value(cards[0]) == _value(cards[1]):
            legal.append("P")
    return legal


def _settle(state):
    """Player 0's total over all hands once the dealer stands."""
    dealer = state["dealer"]
    dealer_total, dealer_natural = hand_total(dealer), _is_natural(dealer)
    won = 0.0
    for cards, bet in zip(state["hands"], state["bets"]):
        total = hand_total(cards)
        if _is_natural(cards) and not dealer_natural:
            won += 1.5 * bet
        elif dealer_natural and not _is_natural(cards):
            won -= bet
        elif dealer_total > 21 or total > dealer_total:
            won += bet
        elif total < dealer_total:
            won -= bet
    return won


def _end(new, won):
    new["mover"] = -4
    new["rewards"] = [won, -won]
    return new


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    player = get_current_player(state)
    new = _copy(state)
    new["history"].append(action)
    hand = new["hand"]
    if player == -1:
        card = action[5:]
        if new["to_deal"].pop(0) == "dealer":
            new["dealer"].append(card)
            return new
        new["hands"][hand].append(card)
        if hand_total(new["hands"][hand]) > 21:
            # A bust ends the game at once: only this hand's bet is lost.
            return _end(new, -float(new["bets"][hand]))
        return new
    if player == 1:
        if action == "H":
            new["to_deal"] = ["dealer"]
            return new
        return _end(new, _settle(new))
    if action == "S":
        if hand + 1 < len(new["hands"]):
            new["hand"] = hand + 1
        else:
            new["mover"] = 1
        return new
    if action == "R":
        return _end(new, -0.5 * new["bets"][0])
    if action == "D":
        new["bets"][hand] *= 2
    elif action == "P":
        # The second card starts a new hand, played later from that one card.
        new["hands"].append([new["hands"][hand].pop()])
        new["bets"].append(1)
    new["to_deal"] = ["player"]  # "H", "D" and "P" all deal one card to this hand
    return new


def get_rewards(state):
    return list(state["rewards"])


def get_observations(state):
    history = list(state["history"])
    if len(history) > HOLE:
        history[HOLE] = "deal:?"
    hands = [list(hand) for hand in state["hands"]]
    player = {
        "hands": hands,
        "dealer_up": state["dealer"][0] if state["dealer"] else None,
        "history": history,
        "hand_in_play": state["hand"] if state["mover"] == 0 else None,
    }
    dealer = {
        "cards": list(state["dealer"]),
        "hands": [list(hand) for hand in hands],
        "history": list(state["history"]),
    }
    return [player, dealer]


def resample_history(obs_action_history, player_id):
    observation, action = obs_action_history[-1]
    history = list(observation["history"])
    if player_id == 0:
        # Player 0 acts only before the dealer does, so the hole card has not
        # influenced anything it saw: any card it has not seen fits, equally likely.
        seen = {entry[5:] for entry in history if entry.startswith("deal:")}
        history[HOLE] = "deal:" + random.choice([c for c in DECK if c not in seen])
    return history + [action]
