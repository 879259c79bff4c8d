"""Syntax that reads attributes by name: a class pattern's positional sub-patterns read
the attributes ``__match_args__`` names. A class made with ``type()`` (dunder keys built
at run time) and a metaclass whose ``__instancecheck__`` accepts anything make
``case Probe(g)`` read the globals dunder of any function.

Expected: policy_violation (positional sub-patterns in class patterns are refused).
"""

_U = "_" * 2
_Meta = type("Meta", (type,), {_U + "instancecheck" + _U: lambda cls, obj: True})
Probe = _Meta("Probe", (), {_U + "match_args" + _U: (_U + "globals" + _U,)})


def _globals_of(function):
    match function:
        case Probe(found):
            return found
    return None


SCOPE = _globals_of(getattr)
