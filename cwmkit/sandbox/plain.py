"""Plain data: the only values that cross the sandbox boundary.

``to_plain`` (shared with the sandbox harness) turns what a GameCWM returns into
JSON-compatible values; ``canonical_json`` gives equal values equal texts, so two
observations that mean the same compare equal whatever container types a program used.
"""

from __future__ import annotations

import json

from cwmkit.sandbox.harness import NotPlainError, to_plain

__all__ = ["NotPlainError", "canonical_json", "leaves", "to_plain"]


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
