"""Gin rummy against OpenSpiel's gin_rummy, in lockstep up to the knock.

OpenSpiel is configured to our variant: gin_rummy(num_ranks=7,num_suits=4,hand_size=7,
knock_card=7,gin_bonus=25,undercut_bonus=25). Up to and including the knocker's discard
the two games map 1:1: "Chance outcome: 5s" -> "deal 5s", "Draw upcard" -> "draw upcard",
"Draw stock" -> "draw stock", "Pass" -> "pass", "Knock" -> "knock", a card "5s" ->
"discard 5s". This covers the deal, the first upcard, the repeated-move and upcard-draw
limits, the wall, and when a knock is allowed (the least deadwood of every hand).

The difference on purpose: OpenSpiel then plays the lay-out move by move (the knocker
declares melds, the defender lays off and declares its own), while our game scores it at
once as if both laid out perfectly. OpenSpiel's lay-out cannot be played on this short
deck (its meld numbering assumes 13 ranks: the meld actions fail with "card.value() <
num_cards"), so at a knock the test checks both hands' least deadwood with OpenSpiel's
GinRummyUtils.min_deadwood, gin scores exactly (25 + the defender's deadwood), and other
knocks within what that deadwood allows; the lay-out rules are pinned by the scenarios.
"""

import random

from tests.oracles.lockstep import TRAJECTORIES, os_player, pyspiel, reference

GAME = ("gin_rummy(num_ranks=7,num_suits=4,hand_size=7,knock_card=7,"
        "gin_bonus=25,undercut_bonus=25)")


def to_ours(os_state, action):
    name = os_state.action_to_string(action).split(": ")[-1]
    if os_state.is_chance_node():
        return f"deal {name}"
    if name in ("Draw upcard", "Draw stock", "Pass", "Knock"):
        return name.lower()
    return f"discard {name}"


def check_knock(utils, os_state, payoffs, where):
    """Our lay-out score against OpenSpiel's hands and least deadwood after the knock."""
    knocker = os_state.knocked().index(True)
    low = [utils.min_deadwood(hand) for hand in os_state.hands()]
    assert low[knocker] <= 7, where
    score = payoffs[knocker]
    assert payoffs[1 - knocker] == -score, where
    if low[knocker] == 0:      # gin
        assert score == 25 + low[1 - knocker], where
    elif score > 0:            # lay-offs and the knocker's choice of melds only lower it
        assert score <= low[1 - knocker] - low[knocker], where
    else:                      # an undercut
        assert -(25 + 7) <= score <= -25, where


def test_gin_rummy_agrees_with_openspiel():
    module = reference("gin_rummy")
    game = pyspiel().load_game(GAME)
    utils = pyspiel().gin_rummy.GinRummyUtils(7, 4, 7)
    rng = random.Random(0)
    knocks = 0
    for t in range(TRAJECTORIES):
        os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
        while True:
            where = f"trajectory {t}, after {history}"
            player = module.get_current_player(state)
            if player == -4 and not os_state.is_terminal():
                # our game scored the lay-out at once; OpenSpiel is about to play it
                assert history[-2] == "knock", where
                check_knock(utils, os_state, module.get_rewards(state), where)
                knocks += 1
                break
            assert player == os_player(os_state), where
            if player == -4:
                assert module.get_rewards(state) == list(os_state.returns()), where
                break
            if os_state.is_chance_node():
                os_actions = [a for a, _ in os_state.chance_outcomes()]
            else:
                os_actions = os_state.legal_actions()
            mapped = {to_ours(os_state, a): a for a in os_actions}
            assert len(mapped) == len(os_actions), where
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
    assert knocks > 0
