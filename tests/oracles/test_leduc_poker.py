"""Leduc poker against OpenSpiel's universal_poker configured to the study's betting.

OpenSpiel's leduc_poker has antes of 1 each, so the oracle is universal_poker with blinds
1 and 2, raises of 2 then 4, at most two raises per round and player 0 first in both
rounds, on a deck of three ranks in two suits. The mapping:

- universal_poker deals cards ("Deal 2c", "Deal 3d", ...), ranks 2, 3, 4 being our J, Q,
  K. Our chance lists each rank still in the deck once, so chance nodes are compared as
  sets of ranks, and our uniform rank is played with a random OpenSpiel card of it (the
  two games weight ranks differently; that is the study's rule, not a mismatch).
- universal_poker's "Fold", "Call", "Bet" are our "Fold", "Call", "Raise". It offers no
  fold when nothing is owed, where we always list "Fold": that one action is ours only
  (it is pinned by the spec's scenarios) and is never played here.
- universal_poker's showdown breaks an unpaired tie by the private card (a King-Queen
  beats a King-Jack); the study counts only the higher of the private and public cards,
  so with a public King over two different lower private cards we split, and OpenSpiel
  pays the higher private card. Every other payoff must agree.
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

GAME = ("universal_poker(betting=limit,numPlayers=2,numRounds=2,blind=1 2,raiseSize=2 4,"
        "firstPlayer=1 1,maxRaises=2 2,numSuits=2,numRanks=3,numHoleCards=1,"
        "numBoardCards=0 1)")
RANKS = {"2": "J", "3": "Q", "4": "K"}
PLAYER_ACTIONS = {0: "Fold", 1: "Call", 2: "Raise"}
ORDER = "JQK"


def os_rank(os_state, os_action):
    """OpenSpiel's "player=-1 move=Deal 3d" is our rank Q."""
    return RANKS[os_state.action_to_string(-1, os_action).split()[-1][0]]


def study_splits_where_openspiel_does_not(cards):
    mine, theirs, public = (ORDER.index(c) for c in cards)
    return mine != theirs and public > max(mine, theirs)


def play_trajectory(module, game, rng, where):
    os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
    while True:
        player = os_player(os_state)
        assert module.get_current_player(state) == player, f"{where} {history}: player"
        if player == -4:
            break
        ours = module.get_legal_actions(state)
        if player == -1:
            by_rank = {}
            for os_action, p in os_state.chance_outcomes():
                if p > 0:
                    by_rank.setdefault("deal:" + os_rank(os_state, os_action), []).append(
                        os_action)
            assert sorted(ours) == sorted(by_rank), f"{where} {history}: deals differ"
            action = rng.choice(ours)
            os_action = rng.choice(by_rank[action])
        else:
            mapped = {PLAYER_ACTIONS[a]: a for a in os_state.legal_actions()}
            bets = module.get_observations(state)[player]["bets"]
            assert ("Fold" in mapped) == (bets[0] != bets[1]), f"{where} {history}: fold"
            assert sorted(ours) == sorted(set(mapped) | {"Fold"}), (
                f"{where} {history}: legal {ours} vs OpenSpiel {sorted(mapped)}")
            action = rng.choice(sorted(mapped))
            os_action = mapped[action]
        os_state.apply_action(os_action)
        state = module.apply_action(state, action)
        history.append(action)
    expected = list(os_state.returns())
    cards = [a.split(":")[1] for a in history if a.startswith("deal:")]
    if "Fold" not in history and study_splits_where_openspiel_does_not(cards):
        assert expected[0] != 0, f"{where} {history}: OpenSpiel split {expected}"
        expected = [0.0, 0.0]
    assert module.get_rewards(state) == expected, (
        f"{where} {history}: payoffs {module.get_rewards(state)} vs {expected}")
    return history


def test_leduc_poker_agrees_with_universal_poker():
    module, game = reference("leduc_poker"), pyspiel().load_game(GAME)
    rng = random.Random(0)
    showdowns = splits = 0
    for t in range(3000):
        history = play_trajectory(module, game, rng, f"trajectory {t}")
        if "Fold" not in history:
            showdowns += 1
            cards = [a.split(":")[1] for a in history if a.startswith("deal:")]
            splits += study_splits_where_openspiel_does_not(cards)
    assert showdowns > 500 and splits > 20


def test_the_mapping_names_every_openspiel_action():
    game = pyspiel().load_game(GAME)
    state = game.new_initial_state()
    assert sorted({os_rank(state, a) for a, _ in state.chance_outcomes()}) == ["J", "K", "Q"]
    for os_action in (0, 2):
        state.apply_action(os_action)
    assert [state.action_to_string(a).split("=")[-1] for a in state.legal_actions()] == [
        "Fold", "Call", "Bet"]
