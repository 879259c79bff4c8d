"""Syntax that reads attributes by name: a class pattern's keyword sub-patterns read the
attributes they name, here the globals dunder of a function and a generator's frame.

Expected: policy_violation (class patterns may name allowed attributes only).
"""


def _scope(function):
    match function:
        case object(__globals__=found):
            return found
    return None


def _frame():
    gen = (i for i in range(1))
    match gen:
        case object(gi_frame=frame):
            return frame
    return None


SCOPE = _scope(getattr)
FRAME = _frame()
