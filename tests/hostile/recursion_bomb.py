"""Recursion bombs: unbounded recursion in get_current_player on a full board, and a
state nested a hundred thousand lists deep (built without recursion) once x holds the
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
    if all(state["board"]):
        return _deep(1)
    return _player(state)


def apply_action(state, action):
    new = _apply(state, action)
    if new["board"][4] == "x":
        new["nest"] = NEST
    return new
