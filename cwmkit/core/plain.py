"""Plain data: the only values that cross the sandbox boundary.

``to_plain`` turns what a GameCWM returns (dicts, lists, tuples, sets, numbers,
strings) into JSON-compatible values with a canonical order, so two observations that
mean the same compare equal whatever container types a program used.
"""

from __future__ import annotations

import json
import math

__all__ = ["NotPlainError", "canonical_json", "leaves", "to_plain"]

_MAX_DEPTH = 64


class NotPlainError(TypeError):
    """A value that is not plain data (a function, an object, a NaN, ...)."""


def to_plain(value, _depth: int = 0):
    """``value`` as JSON-compatible data with sorted keys and sets sorted."""
    if _depth > _MAX_DEPTH:
        raise NotPlainError("nested more than 64 levels deep")
    # type() rather than isinstance(): a subclass of int or str may lie in __eq__.
    t = type(value)
    if value is None or t is bool or t is str or t is int:
        return value
    if t is float:
        if not math.isfinite(value):
            raise NotPlainError(f"non-finite number {value!r}")
        return value
    if t is dict:
        out = {}
        for k, v in value.items():
            if type(k) not in (str, int, bool) and k is not None:
                raise NotPlainError(f"dict key of type {type(k).__name__}")
            out[str(k)] = to_plain(v, _depth + 1)
        return dict(sorted(out.items()))
    if t is list or t is tuple:
        return [to_plain(v, _depth + 1) for v in value]
    if t is set or t is frozenset:
        items = [to_plain(v, _depth + 1) for v in value]
        return sorted(items, key=canonical_json)
    raise NotPlainError(f"value of type {t.__name__}")


def canonical_json(value) -> str:
    """A canonical JSON text of plain ``value`` (equal values, equal texts)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def leaves(value) -> list[str]:
    """Every dict key and scalar of plain ``value``, as strings."""
    out: list[str] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            out.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, float) and v == int(v):
            out.extend((str(v), str(int(v))))
        elif v is None:
            out.append("None")
        else:
            out.append(str(v))
    return out
