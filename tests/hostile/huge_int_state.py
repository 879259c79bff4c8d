"""Turning a verdict into no verdict (found from outside the team): after the first move
the state holds ``10**5000``, which JSON cannot encode; once the harness's encoding
raised on it and that was reported as the sandbox's own failure: status infra_error,
score None (a reward that is skipped, and evaluations biased by the dropped scores). The
rewards of a finished game are huge integers too.

Expected: the program's fault, never infra_error: the state and the rewards are not
plain data (dynamics well_formed), or the program's process is reported crashed.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

HUGE = 10 ** 5000
_apply = apply_action
_rewards = get_rewards


def apply_action(state, action):
    new = _apply(state, action)
    new["count"] = HUGE
    return new


def get_rewards(state):
    return [int(r) * HUGE for r in _rewards(state)]
