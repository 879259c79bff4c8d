"""Imperfect information: resample_history peeks at the true deal instead of sampling
one, by walking the caller's frames (``getattr(gen, "gi_" + "frame")`` and
``f_back``, names built at run time) to find the harness's history. When the walk is
refused it falls back to a history that is not consistent.

Expected: the walk is refused, so the resampled histories are inconsistent
(information consistent).
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import random

# @REFERENCE@


def _gen():
    yield 1


def resample_history(obs_action_history, player_id):
    try:
        frame = getattr(getattr(_gen(), "gi" + "_frame"), "f" + "_back")
        while frame is not None:
            found = getattr(frame, "f_" + "locals").get("history")
            if found:
                return list(found)
            frame = getattr(frame, "f" + "_back")
    except AttributeError:
        pass
    last_observation, last_action = obs_action_history[-1]
    return [random.choice(RANKS), random.choice(RANKS)] + [last_action]
