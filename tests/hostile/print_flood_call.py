"""Print flood inside a call: the first get_observations call prints ten million
kilobyte lines.

Expected: the call runs out of CPU time (status timeout, dynamics no_errors) and the
captured output stays under the harness's cap.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

CALLS = [0]
_observe = get_observations


def get_observations(state):
    CALLS[0] += 1
    if CALLS[0] == 1:
        for i in range(10_000_000):
            print("flood", i, "x" * 1000)
    return _observe(state)
