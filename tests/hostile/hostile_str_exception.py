"""Bypassing the CPU budget (found from outside the team): apply_action raises an
exception whose ``__str__`` never returns. The harness formatted the exception after the
call's budget was disarmed, so the loop burned the whole per-program CPU limit (8.6 s
instead of 0.2 s). ``__repr__`` loops too, and the exception's class compares and hashes
by looping.

Expected: the message is made under the call's budget: the call times out (dynamics
no_errors, status timeout) and the program uses far less CPU than its session limit.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@


class Endless(Exception):
    def __str__(self):
        while True:
            pass

    def __repr__(self):
        while True:
            pass

    def __eq__(self, other):
        while True:
            pass

    def __hash__(self):
        while True:
            pass


def apply_action(state, action):
    raise Endless()
