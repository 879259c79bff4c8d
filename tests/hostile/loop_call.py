"""Infinite loop inside apply_action, on its first call (one hit keeps the corpus fast;
the loop itself never ends).

Expected: the call runs out of CPU time; status timeout, dynamics no_errors fails.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

CALLS = [0]
_apply = apply_action


def apply_action(state, action):
    CALLS[0] += 1
    while CALLS[0] == 1:
        pass
    return _apply(state, action)
