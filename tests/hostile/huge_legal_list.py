"""A huge legal-action list: fifty thousand distinct actions after the first move,
five times the cap.

Expected: the list is over the legal-action cap (dynamics well_formed fails), or building
it runs out of CPU time (no_errors).
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_legal = get_legal_actions


def get_legal_actions(state):
    actions = _legal(state)
    if 0 < len(actions) < 9:
        return actions + [f"z{i}" for i in range(50_000)]
    return actions
