"""Recursion bombs: unbounded recursion in get_current_player at the end of a game, and
a state nested a hundred thousand lists deep (built without recursion) once x takes the
centre, for the harness to encode.

Expected: RecursionError is reported as an exception, the deep state as not plain data;
dynamics fails (no_errors or well_formed) and the harness does not overflow its stack.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

NEST = []
for _ in range(100_000):
    NEST = [NEST]
_player = get_current_player
_apply = apply_action


def _deep(n):
    return 0 if n == 0 else 1 + _deep(n + 1)


def get_current_player(state):
    if _player(state) == -4 and not state.get("nest"):
        return _deep(1)
    return _player(state)


def apply_action(state, action):
    new = _apply(state, action)
    if action == "x(1,1)":
        new["nest"] = NEST
    return new
