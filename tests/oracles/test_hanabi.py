"""Hanabi against OpenSpiel's hanabi (the Hanabi Learning Environment), in lockstep.

OpenSpiel is configured to our variant: 2 players, 2 colours, ranks 1-3, 3 cards per
hand, 8 hint tokens, 3 fuses. The chance structure differs on purpose: OpenSpiel draws
a card *kind* ("(Deal R1)") with probability proportional to the copies left, while
our draws are the physical cards ("deal R1b"), all equally likely. So the loop here
checks, at every draw, that each OpenSpiel kind's probability equals the share of our
outcomes of that kind, then plays the same kind in OpenSpiel. Player moves map 1:1:
"(Play i)" -> "play i", "(Discard i)" -> "discard i",
"(Reveal player +1 color C)" -> "hint colour C", "(Reveal player +1 rank r)" -> "hint rank r".
"""

import random
import re
from collections import Counter

from tests.oracles.lockstep import TRAJECTORIES, os_player, pyspiel, reference

GAME = ("hanabi(players=2,colors=2,ranks=3,hand_size=3,"
        "max_information_tokens=8,max_life_tokens=3)")


def to_ours(name):
    name = name.strip("()")
    if m := re.fullmatch(r"Reveal player \+1 color (\w)", name):
        return f"hint colour {m.group(1)}"
    if m := re.fullmatch(r"Reveal player \+1 rank (\d)", name):
        return f"hint rank {m.group(1)}"
    verb, index = name.split()
    return f"{verb.lower()} {index}"


def test_hanabi_agrees_with_openspiel():
    module = reference("hanabi")
    game = pyspiel().load_game(GAME)
    rng = random.Random(0)
    steps = 0
    for t in range(TRAJECTORIES):
        os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
        while True:
            where = f"trajectory {t}, after {history}"
            player = os_player(os_state)
            assert module.get_current_player(state) == player, where
            if player == -4:
                break
            ours = module.get_legal_actions(state)
            if player == -1:
                kinds = Counter(a.split()[1][:2] for a in ours)
                os_kinds = {os_state.action_to_string(a).strip("()").split()[1]: (a, p)
                            for a, p in os_state.chance_outcomes() if p > 0}
                assert set(kinds) == set(os_kinds), where
                for kind, (_, p) in os_kinds.items():
                    assert abs(p - kinds[kind] / len(ours)) < 1e-9, where
                action = rng.choice(ours)
                os_action = os_kinds[action.split()[1][:2]][0]
            else:
                mapped = {to_ours(os_state.action_to_string(a)): a
                          for a in os_state.legal_actions()}
                assert sorted(ours) == sorted(mapped), where
                action = rng.choice(sorted(mapped))
                os_action = mapped[action]
            os_state.apply_action(os_action)
            state = module.apply_action(state, action)
            history.append(action)
            steps += 1
            assert module.get_rewards(state) == list(os_state.returns()), where
    assert steps > TRAJECTORIES
