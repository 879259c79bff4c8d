"""Frames through a traceback: the exception's traceback dunder, ``tb_frame``, ``f_back``.

Expected: policy_violation.
"""

# @REFERENCE@

try:
    raise ValueError
except ValueError as exc:
    CALLER = exc.__traceback__.tb_frame.f_back
