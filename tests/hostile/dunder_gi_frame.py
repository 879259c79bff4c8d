"""Frames through a generator: ``gen.gi_frame.f_back.f_globals``.

Expected: policy_violation.
"""

# @REFERENCE@


def _gen():
    yield 1


def get_initial_state():
    frame = _gen().gi_frame
    while frame.f_back is not None:
        frame = frame.f_back
    return {"board": [""] * 9, "to_move": 0, "winner": None, "g": len(frame.f_globals)}
