"""A huge output through the wire: at the start of the game each player's observation
holds the same 100 MB string, so that encoding the reply eats the memory limit (and the
reply would be larger than the protocol allows).

Expected: the harness reports it out of memory (crashed) or too large; never an
infrastructure error, and the verifier keeps serving.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_observe = get_observations
BLOB = "x" * (100 * 1024 * 1024)


def get_observations(state):
    views = _observe(state)
    if len(get_legal_actions(state)) == 9:
        for view in views:
            view["blob"] = BLOB
    return views
