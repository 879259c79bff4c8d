"""Unbounded recursion at import time.

Expected: RecursionError, crashed while loading.
"""


def _down(n):
    return _down(n + 1) + 1


_down(0)

# @REFERENCE@
