"""``getattr(f, "__glo" + "bals__")`` built at run time, inside a call: reads the module's
globals and the frame of a generator.

Expected: the guarded getattr refuses the names, so every call raises (dynamics
no_errors).
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_U = "_" * 2
_initial = get_initial_state


def _gen():
    yield 1


def get_initial_state():
    scope = getattr(get_rewards, _U + "glo" + "bals" + _U)
    frame = getattr(_gen(), "gi" + "_frame")
    state = _initial()
    state["spy"] = len(scope) + (frame is None)
    return state
