"""A loop that catches the CPU-timer exception (``except BaseException``) and keeps
going, inside get_legal_actions.

Expected: the harness ends the process after repeated strikes (or RLIMIT_CPU does):
status timeout.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_legal = get_legal_actions


def get_legal_actions(state):
    while True:
        try:
            while True:
                pass
        except BaseException:
            continue
    return _legal(state)
