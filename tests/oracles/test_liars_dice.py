"""Liar's Dice against OpenSpiel's liars_dice(players=2,numdice=3,dice_sides=6,
bidding_rule=reset-face).

Both roll player 0's three dice and then player 1's, one die per chance node, open with
player 0's bid, order bids by quantity then face, allow "Liar" once a bid exists and
end the game with it. Our strings map one to one: "Roll 3" is "roll:3", "4-2" is
"bid:4:2", "Liar" is "liar". So the turns, the chance outcomes, the legal lists and
terminality are compared in lockstep on random trajectories.

One difference no parameter covers: OpenSpiel makes the highest face (6) wild, we make
1s wild. The payoffs are therefore checked on a second OpenSpiel game whose dice are
relabelled so that our 1 is its 6 (the other faces by a random permutation of 1-5, our
bid's face relabelled the same way): there the same player makes the same claim, the
other calls "Liar", and OpenSpiel's returns must be ours.
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

TRAJECTORIES = 200
GAME = "liars_dice(players=2,numdice=3,dice_sides=6,bidding_rule=reset-face)"


def ours(os_state, os_action) -> str:
    text = os_state.action_to_string(os_state.current_player(), os_action)
    if text.startswith("Roll"):
        return f"roll:{text.split()[1]}"
    if text == "Liar":
        return "liar"
    quantity, face = text.split("-")
    return f"bid:{quantity}:{face}"


def os_action(os_state, name: str) -> int:
    by_name = {ours(os_state, a): a for a in os_state.legal_actions()}
    return by_name[name]


def judged_by_openspiel(game, dice, bidder, quantity, face, rng) -> list:
    """OpenSpiel's returns when `bidder` claims (quantity, face) on relabelled dice."""
    while True:
        others = rng.sample(range(1, 6), 5)
        relabel = {1: 6, **{f: others[f - 2] for f in range(2, 7)}}
        # Player 1 can only bid after an opening of player 0's, at least "1-1".
        if bidder == 0 or (quantity, relabel[face]) > (1, 1):
            break
    state = game.new_initial_state()
    for die in dice[0] + dice[1]:
        state.apply_action(os_action(state, f"roll:{relabel[die]}"))
    if bidder == 1:
        state.apply_action(os_action(state, "bid:1:1"))
    state.apply_action(os_action(state, f"bid:{quantity}:{relabel[face]}"))
    state.apply_action(os_action(state, "liar"))
    assert state.is_terminal()
    return list(state.returns())


def test_liars_dice_agrees_with_openspiel():
    game = pyspiel().load_game(GAME)
    module = reference("liars_dice")
    rng = random.Random(0)
    outcomes = set()
    for t in range(TRAJECTORIES):
        os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
        while True:
            where = f"trajectory {t}, after {history}"
            assert module.get_current_player(state) == os_player(os_state), where
            if os_state.is_terminal():
                break
            if os_state.is_chance_node():
                os_actions = [a for a, _ in os_state.chance_outcomes()]
            else:
                os_actions = os_state.legal_actions()
            mapped = {ours(os_state, a): a for a in os_actions}
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
        dice = [[int(a[5]) for a in history[:3]], [int(a[5]) for a in history[3:6]]]
        _, quantity, face = history[-2].split(":")
        bidder = (len(history) - 8) % 2
        expected = judged_by_openspiel(game, dice, bidder, int(quantity), int(face), rng)
        assert module.get_rewards(state) == expected, f"trajectory {t}: {history}"
        outcomes.add((bidder, tuple(expected)))
    assert len(outcomes) == 4  # either player bid last, and both true and false bids


def test_openspiel_makes_sixes_wild_and_we_make_ones_wild():
    game = pyspiel().load_game(GAME)
    rng = random.Random(1)
    # Two 1s and no 2: "two 2s" is true for us, false in OpenSpiel without relabelling.
    state = game.new_initial_state()
    for die in (1, 1, 3, 4, 5, 3):
        state.apply_action(os_action(state, f"roll:{die}"))
    state.apply_action(os_action(state, "bid:2:2"))
    state.apply_action(os_action(state, "liar"))
    assert list(state.returns()) == [-1, 1]
    assert judged_by_openspiel(game, [[1, 1, 3], [4, 5, 3]], 0, 2, 2, rng) == [1, -1]
