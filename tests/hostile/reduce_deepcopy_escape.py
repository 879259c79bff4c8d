"""Pickling hooks defined at run time: ``copy.deepcopy`` calls a class's
``__reduce_ex__`` and then sets the attributes its state names with the real
``setattr``, dunders included. The program uses that to swap a function's code and an
object's class and to hang ``__wrapped__`` on the guarded getattr (for a follower such as
``get_type_hints``), all names built at run time.

Written to pass only when a swap works: it raises when every one is refused.
Expected: the audit hook refuses code and class changes while candidate code runs, and
nothing on the allow-list follows ``__wrapped__`` (crashed while loading).
"""

import copy
import typing

_U = "_" * 2


def _target():
    return "original"


def _replacement():
    return "swapped"


class Plain:
    pass


def _reducer(target, attribute, value):
    def reduce_ex(self, protocol):
        return (lambda: target, (), (None, {attribute: value}))
    return type("Reducer", (), {_U + "reduce_ex" + _U: reduce_ex})()


WORKED = []
for _target_object, _attribute, _value in (
        (_target, _U + "code" + _U, getattr(_replacement, "func", None)),
        (Plain(), _U + "class" + _U, dict),
        (getattr, _U + "wrapped" + _U, _target)):
    try:
        copy.deepcopy(_reducer(_target_object, _attribute, _value))
        WORKED.append(_attribute)
    except Exception:
        pass
if _U + "wrapped" + _U in WORKED:
    try:
        WORKED.append(getattr(typing, "get_type" + "_hints")(getattr))
    except Exception:
        WORKED.remove(_U + "wrapped" + _U)
if not WORKED:
    raise RuntimeError("every swap was refused")
