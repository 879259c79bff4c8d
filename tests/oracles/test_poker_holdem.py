"""Limit hold'em against OpenSpiel's universal_poker, configured to our rules.

universal_poker deals one card per chance node in our order (player 0's two hole cards,
player 1's two, then the board) and names them as we do ("Deal As"). Its betting actions
are Fold, Call and Bet: Call with nothing to match is our Check, and Bet is our Raise
when there are chips to call or preflop (the big blind being the opening bet), our Bet
otherwise. It offers Fold only with chips to call, as we do.

Random play folds in most trajectories, so a second test plays many deals to the
showdown (every player action a check or call) to compare the hand evaluation.
"""

import random
import re

from tests.oracles.lockstep import lockstep, pyspiel, reference

GAME = ("universal_poker(betting=limit,numPlayers=2,numRounds=4,blind=1 2,"
        "raiseSize=2 2 4 4,firstPlayer=1 2 2 2,maxRaises=3 3 3 3,numSuits=4,"
        "numRanks=13,numHoleCards=2,numBoardCards=0 3 1 1)")
FOLD, CALL, BET = 0, 1, 2


def to_ours(os_state, os_action):
    text = os_state.action_to_string(os_state.current_player(), os_action)
    if os_state.is_chance_node():
        return text.split()[-1]  # "player=-1 move=Deal As"
    facing_bet = FOLD in os_state.legal_actions()
    info = os_state.information_state_string(os_state.current_player())
    preflop = int(re.search(r"\[Round (\d+)\]", info).group(1)) == 0
    if os_action == FOLD:
        return "Fold"
    if os_action == CALL:
        return "Call" if facing_bet else "Check"
    return "Raise" if facing_bet or preflop else "Bet"


def test_poker_holdem_agrees_with_openspiel():
    game = pyspiel().load_game(GAME)
    result = lockstep(reference("poker_holdem"), game, to_ours)
    assert result["trajectories"] == 200


def test_poker_holdem_showdowns_agree_with_openspiel():
    game = pyspiel().load_game(GAME)
    module = reference("poker_holdem")
    rng = random.Random(1)
    for t in range(2000):
        os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
        while not os_state.is_terminal():
            if os_state.is_chance_node():
                os_action = rng.choice([a for a, _ in os_state.chance_outcomes()])
            else:
                os_action = CALL
            action = to_ours(os_state, os_action)
            os_state.apply_action(os_action)
            state = module.apply_action(state, action)
            history.append(action)
        assert module.get_current_player(state) == -4, f"deal {t} {history}: not over"
        got, expected = module.get_rewards(state), list(os_state.returns())
        assert got == expected, f"deal {t} {history}: payoffs {got} vs OpenSpiel {expected}"
