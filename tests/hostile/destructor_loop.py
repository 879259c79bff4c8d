"""Destructors outside the budget: get_observations hands back views holding objects
whose ``__del__`` (defined at run time, past the static policy) never returns, and
objects whose ``__del__`` raises an exception whose ``__str__`` never returns. They die
while the harness handles the result, after the call's timer stopped. The payoffs are
wrong too, so a verifier that survives still fails the program.

Expected: the watchdog's window covers what the harness does with a call's result, so
the process is stopped for CPU (status timeout), and the program uses far less CPU than
its session limit.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_U = "_" * 2


def _forever(self):
    while True:
        pass


class Loud(Exception):
    def __str__(self):
        while True:
            pass


def _raise_loud(self):
    raise Loud()


Sticky = type("Sticky", (), {_U + "del" + _U: _forever})
Noisy = type("Noisy", (), {_U + "del" + _U: _raise_loud})
_observe = get_observations
_rewards = get_rewards


def get_observations(state):
    Noisy()
    views = _observe(state)
    if len(get_legal_actions(state)) < 8:
        views[0]["junk"] = Sticky()
    return views


def get_rewards(state):
    return [-r for r in _rewards(state)]
