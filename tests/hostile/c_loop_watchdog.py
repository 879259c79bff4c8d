"""A long call in C code that no signal handler interrupts: consuming a huge iterator into
a zero-length deque runs entirely in C, so the CPU timer's handler never gets to raise.
get_legal_actions does it once the first move is made.

Expected: the zygote's watchdog reads the process's CPU clock and kills it when the
call's window runs out (status timeout); the verifier keeps serving.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import collections
import itertools

# @REFERENCE@

_legal = get_legal_actions


def get_legal_actions(state):
    actions = _legal(state)
    if 0 < len(actions) < 9:
        collections.deque(itertools.repeat(0, 10 ** 15), maxlen=0)
    return actions
