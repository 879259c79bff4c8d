"""A backtracking regex (exponential in the length of the text) inside a call: the match
runs in C; ``re`` checks for signals now and then, but nothing else would stop it.

Expected: the call runs out of CPU time (status timeout or dynamics no_errors): by the
timer where ``re`` lets it run, by the watchdog where it does not.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import re

# @REFERENCE@

_legal = get_legal_actions


def get_legal_actions(state):
    actions = _legal(state)
    if 0 < len(actions) < 9:
        re.fullmatch(r"(x+x+)+y", "x" * 64)
    return actions
