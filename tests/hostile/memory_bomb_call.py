"""Memory bomb inside a call: at a draw, get_rewards grows a list of 128 MB blocks
without end.

Expected: each such call dies with MemoryError under RLIMIT_AS (dynamics no_errors).
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_rewards = get_rewards


def get_rewards(state):
    hoard = []
    while not get_legal_actions(state) and _rewards(state) == [0.0, 0.0]:
        hoard.append(bytes(128 * 1024 * 1024))
    return _rewards(state)
