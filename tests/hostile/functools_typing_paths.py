"""Other functools and typing paths that take attribute names or evaluate strings, with
every name built at run time: ``functools.reduce(getattr, ...)`` and ``partial``
walking to a function's globals, ``cached_property`` named after a dunder,
``partialmethod``, ``lru_cache`` around getattr, ``typing.NamedTuple`` and
``TypedDict`` with string annotations naming modules, ``typing.get_args``/``Annotated``,
``NewType``, and ``functools.wraps`` of a builtin.

Written to pass only when some path yields a module or a globals dict: it raises when
all are refused.
Expected: every path is refused or yields nothing (crashed while loading).
"""

# Deliberate: names in strings, late binding and bare expressions are the attack.
# ruff: noqa: F821

import functools
import typing

_U = "_" * 2
_GLOBALS = _U + "globals" + _U
FOUND = []


def _try(route):
    try:
        value = route()
    except Exception:
        return
    if type(value) is dict or type(value).__name__ == "module":
        FOUND.append(value)


def _f():
    return None


_try(lambda: functools.reduce(getattr, [_GLOBALS], _f))
_try(lambda: functools.partial(getattr, _f)(_GLOBALS))
_try(lambda: functools.lru_cache(maxsize=None)(getattr)(_f, _GLOBALS))
_try(lambda: type("P", (), {_GLOBALS: functools.cached_property(lambda self: 1)})())
_try(lambda: type("Q", (), {"m": functools.partialmethod(getattr, _GLOBALS)})().m())
_try(lambda: typing.get_args(typing.Annotated[int, "os"])[1])
_try(lambda: typing.NamedTuple("N", [("x", "os")]).x)
_try(lambda: typing.TypedDict("T", {"x": "sys"}))
_try(lambda: typing.NewType("os", int))
_try(lambda: functools.wraps(len)(_f))
_try(lambda: functools.update_wrapper(_f, getattr))
if not FOUND:
    raise RuntimeError("no path reached a module or a globals dict")
