"""Hand of War as a game code world model.

Sixteen cards, ranks A > K > Q > J in suits s, h, d, c. Chance deals them one at a
time ("deal:<card>"): the first eight make player 0's draw pile from the top, the
last eight player 1's; each player then draws a hand of three. In a battle player 0
plays a card ("play:<card>"), then player 1 plays without seeing it. The higher rank
takes both cards and the pot into its win pile and both refill to three; equal ranks
put both cards and one burnt pile card each into the pot. A refill or burn from an
empty pile ends the game: the bigger win pile wins.
"""

import random

RANKS = {"A": 4, "K": 3, "Q": 2, "J": 1}
DECK = sorted(rank + suit for rank in RANKS for suit in "shdc")  # "Ac", "Ad", ..., "Qs"
PILE = 8  # cards dealt to each player
HAND = 3  # cards held after every refill


def get_initial_state():
    return {
        "dealt": [],
        "piles": [[], []],  # top of the pile first
        "hands": [[], []],
        "wins": [[], []],
        "pot": [],
        "pending": None,  # player 0's card, face down until player 1 plays
        "plays": [],  # every "play:<card>" so far
        "over": False,
    }


def get_current_player(state):
    if len(state["dealt"]) < len(DECK):
        return -1
    if state["over"]:
        return -4
    return 0 if state["pending"] is None else 1


def get_player_name(player_id):
    return f"Player {player_id}"


def get_legal_actions(state):
    player = get_current_player(state)
    if player == -1:
        return [f"deal:{card}" for card in DECK if card not in state["dealt"]]
    if player == -4:
        return []
    return [f"play:{card}" for card in state["hands"][player]]


def _copy(state):
    new = dict(state)
    for key in ("piles", "hands", "wins"):
        new[key] = [cards[:] for cards in state[key]]
    for key in ("dealt", "pot", "plays"):
        new[key] = state[key][:]
    return new


def _refill(state):
    """Both players draw back up to HAND cards, player 0 first. Returns False if a
    card was needed from an empty pile, which ends the game."""
    for player in (0, 1):
        while len(state["hands"][player]) < HAND:
            if not state["piles"][player]:
                return False
            state["hands"][player].append(state["piles"][player].pop(0))
    return True


def _rank(card):
    return RANKS[card[0]]


def _battle(state, first, second, rank=_rank):
    """Settle a battle between player 0's card `first` and player 1's `second`."""
    if rank(first) != rank(second):
        winner = 0 if rank(first) > rank(second) else 1
        state["wins"][winner] += state["pot"] + [first, second]
        state["pot"] = []
        # A player who has won every card has an empty pile: this ends the game too.
        state["over"] = not _refill(state)
        return
    # A tie: both cards and one burnt top card of each pile go to the pot.
    state["pot"] += [first, second]
    for player in (0, 1):
        if not state["piles"][player]:
            state["over"] = True
            return
        state["pot"].append(state["piles"][player].pop(0))
    # The third tie in a row leaves both hands empty: no battle can follow.
    state["over"] = not state["hands"][0]


def _deal(state, card):
    state["dealt"].append(card)
    if len(state["dealt"]) == len(DECK):
        state["piles"] = [state["dealt"][:PILE], state["dealt"][PILE:]]
        _refill(state)


def _deal_all(state, action):
    """The whole deal as one action, "deal:<c1>,...,<c16>": shorthand for the 16
    single deals in that order (not a listed chance outcome)."""
    cards = action[len("deal:"):].split(",")
    if not action.startswith("deal:") or sorted(cards) != DECK:
        raise ValueError(f"not a deal of the 16 cards: {action!r}")
    new = _copy(state)
    for card in cards:
        _deal(new, card)
    return new


def apply_action(state, action):
    if not state["dealt"] and "," in action:
        return _deal_all(state, action)
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}")
    new = _copy(state)
    player = get_current_player(state)
    if player == -1:
        _deal(new, action[len("deal:"):])
        return new
    card = action[len("play:"):]
    new["hands"][player].remove(card)
    new["plays"].append(action)
    if player == 0:
        new["pending"] = card
    else:
        new["pending"] = None
        _battle(new, state["pending"], card)
    return new


def _winner(state):
    if not state["over"]:
        return None
    sizes = [len(cards) for cards in state["wins"]]
    if sizes[0] == sizes[1]:
        return None
    return 0 if sizes[0] > sizes[1] else 1


def get_rewards(state):
    winner = _winner(state)
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_observations(state):
    # Nothing is seen during the deal. Then each player sees its own hand, the public
    # counts and pot, and every play, except that player 1 cannot see player 0's
    # pending card.
    if get_current_player(state) == -1:
        return [{}, {}]
    observations = []
    for player in (0, 1):
        plays = state["plays"][:]
        if player == 1 and state["pending"] is not None:
            plays[-1] = "play:?"
        observations.append({
            "player": player,
            "hand": state["hands"][player][:],
            "pile_sizes": [len(cards) for cards in state["piles"]],
            "win_pile_sizes": [len(cards) for cards in state["wins"]],
            "pot": state["pot"][:],
            "history": plays,
            "terminal": state["over"],
            "winner": _winner(state),
        })
    return observations


def resample_history(obs_action_history, player_id):
    # Replay the plays on deal positions instead of cards: position k is the k-th
    # card dealt (0-7 player 0's pile from the top, 8-15 player 1's). The player's
    # own hands and the pot, seen at each of its turns, pin the positions it saw; each
    # card the opponent played is put in a random unknown position of its hand; the
    # cards never seen fill the other positions at random. Player 0's hidden pending
    # card is one of the positions in its hand at that moment.
    last_observation, last_action = obs_action_history[-1]
    plays = last_observation["history"] + [last_action]
    known = {}  # deal position -> card

    def rank(position):
        return _rank(known[position])

    state = {"piles": [list(range(PILE)), list(range(PILE, 2 * PILE))],
             "hands": [[], []], "wins": [[], []], "pot": [], "over": False}
    _refill(state)
    pending = None
    for index, play in enumerate(plays):
        player = index % 2
        hand = state["hands"][player]
        if player == player_id:
            observation = obs_action_history[index // 2][0]
            known.update(zip(hand, observation["hand"]))
            known.update(zip(state["pot"], observation["pot"]))
        card = play[len("play:"):]
        if card == "?":
            position = random.choice(hand)  # player 0's last card, unseen by player 1
        elif player == player_id:
            position = next(p for p in hand if known[p] == card)
        else:
            position = random.choice([p for p in hand if p not in known])
            known[position] = card
        hand.remove(position)
        if player == 0:
            pending = position
        elif index < len(plays) - 1:  # the player's own last play needs no settling
            _battle(state, pending, position, rank)
    unseen = [card for card in DECK if card not in known.values()]
    random.shuffle(unseen)
    for position in range(len(DECK)):
        if position not in known:
            known[position] = unseen.pop()
    if plays[-2:-1] == ["play:?"]:
        plays[-2] = f"play:{known[pending]}"
    return [f"deal:{known[p]}" for p in range(len(DECK))] + plays
