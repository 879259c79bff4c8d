"""Texas Hold'em against OpenSpiel's universal_poker configured to the study's game.

The study's raises always add 2 chips to the call, with no cap, and stacks are 100.
universal_poker's limit mode ignores stacks, so the oracle is its no-limit mode with
blinds 1 2, stacks 100 and the full action set, where an action is the total a player
raises to. The mapping:

- chance: universal_poker deals one card per chance node in our order and names it
  "Deal As"; that is our "deal:As".
- "Fold" (0) is our "Fold"; "Call" (1) is our "Call", or our "Check" with nothing to
  call. Our "Raise" is universal_poker's smallest raise, to the opponent's contribution
  plus 2 (the minimum no-limit raise, as every raise before it was of 2 chips); its larger
  raises have no counterpart and are never played. Where we list no "Raise" it must offer
  no raise at all (the stack is spent).
- once both players have put in their whole stack universal_poker deals the remaining
  board at once, where the study's players check through each remaining round: those
  checks are played on our side only.
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

GAME = ("universal_poker(betting=nolimit,bettingAbstraction=fullgame,numPlayers=2,"
        "numRounds=4,blind=1 2,firstPlayer=1 2 2 2,stack=100 100,numSuits=4,numRanks=13,"
        "numHoleCards=2,numBoardCards=0 3 1 1)")
FOLD, CALL = 0, 1


def mapped_actions(module, state, os_state):
    """Our name for each OpenSpiel action we can play, checking the raises it offers."""
    player = module.get_current_player(state)
    contributions = module.get_observations(state)[player]["contributions"]
    to_call = contributions[1 - player] - contributions[player]
    legal = os_state.legal_actions()
    raises = [a for a in legal if a > CALL]
    mapped = {"Call" if to_call > 0 else "Check": CALL}
    if FOLD in legal:
        mapped["Fold"] = FOLD
    if raises:
        smallest = max(contributions) + 2
        assert min(raises) == smallest, f"smallest raise {min(raises)}, expected {smallest}"
        mapped["Raise"] = smallest
    return mapped


def play_trajectory(module, game, choose, where):
    """One hand in both games; ``choose(our_legal) -> action`` plays for both players."""
    os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
    rng = random.Random(where)
    while True:
        player = os_player(os_state)
        ours = module.get_legal_actions(state)
        if player != module.get_current_player(state) and ours == ["Check"]:
            # Both all-in: universal_poker skips the betting we play as checks.
            assert module.get_observations(state)[0]["stacks"] == [0, 0], f"{where} {history}"
            state = module.apply_action(state, "Check")
            history.append("Check")
            continue
        assert module.get_current_player(state) == player, f"{where} {history}: player"
        if player == -4:
            break
        if player == -1:
            mapped = {"deal:" + os_state.action_to_string(-1, a).split()[-1]: a
                      for a, p in os_state.chance_outcomes() if p > 0}
            action = rng.choice(sorted(mapped))
        else:
            mapped = mapped_actions(module, state, os_state)
            action = choose(ours, rng)
        assert sorted(ours) == sorted(mapped), (
            f"{where} {history}: legal {sorted(ours)} vs OpenSpiel {sorted(mapped)}")
        os_state.apply_action(mapped[action])
        state = module.apply_action(state, action)
        history.append(action)
    expected = list(os_state.returns())
    assert module.get_rewards(state) == expected, (
        f"{where} {history}: payoffs {module.get_rewards(state)} vs OpenSpiel {expected}")
    return history


def test_random_hands_agree_with_openspiel():
    module, game = reference("poker_holdem"), pyspiel().load_game(GAME)
    for t in range(300):
        play_trajectory(module, game, lambda legal, rng: rng.choice(legal), f"random {t}")


def test_showdowns_agree_with_openspiel():
    # Never folding and seldom raising, nearly every hand reaches the showdown.
    module, game = reference("poker_holdem"), pyspiel().load_game(GAME)

    def choose(legal, rng):
        if "Raise" in legal and rng.random() < 0.2:
            return "Raise"
        return "Call" if "Call" in legal else "Check"

    showdowns = 0
    for t in range(1500):
        showdowns += "Fold" not in play_trajectory(module, game, choose, f"showdown {t}")
    assert showdowns == 1500


def test_all_in_hands_agree_with_openspiel():
    # Raising whenever possible spends both stacks pre-flop.
    module, game = reference("poker_holdem"), pyspiel().load_game(GAME)

    def choose(legal, rng):
        return "Raise" if "Raise" in legal else legal[-1]

    for t in range(100):
        history = play_trajectory(module, game, choose, f"all-in {t}")
        assert history.count("Raise") == 49 and history.count("Check") == 6
