"""Plain data: the values a GameCWM may return, how they cross the boundary, how they compare.

Plain data is any nesting of None, bool, int, float (finite), str, list, tuple, dict with
hashable plain keys, set, frozenset and the ``collections`` containers (``Counter``,
``defaultdict``, ``OrderedDict``, ``deque``): what Python programmers write.

Three views of one value:

- ``to_wire(value)``: a JSON-compatible encoding that loses nothing; ``from_wire`` rebuilds
  exactly the same types (tuples stay tuples, int keys stay ints, a ``Counter`` stays a
  ``Counter``), so the observations handed back to ``resample_history`` are what
  ``get_observations`` returned. Values JSON has no form for are objects tagged ``"~"``.
- ``canonical(value)``: a text that is equal for values equal *by value*: lists, tuples
  and deques are all sequences, every dict-like is a mapping (key order never matters),
  sets and frozensets are sets, and a whole float equals the int (``2.0 == 2``).
- ``canonical_json(wire)``: the same text, from the wire form.

Standard library only: the sandbox's child imports this by path. Exact types
(``type(x) is dict``, never ``isinstance``): a subclass may lie in ``__eq__``, ``__iter__``
or ``items``, so only the builtin and ``collections`` types themselves are plain.
"""

from __future__ import annotations

import json
import math
from collections import Counter, OrderedDict, defaultdict, deque

__all__ = ["NotPlainError", "canonical", "canonical_json", "describe", "encode", "from_wire",
           "leaves", "show", "to_plain", "to_wire", "type_name"]

MAX_DEPTH = 64
TAG = "~"


class NotPlainError(TypeError):
    """A value that is not plain data (a function, an object, a NaN, ...)."""


_SCALARS = frozenset({str, int, bool, type(None)})
_SEQUENCES = {tuple: "tuple", deque: "deque"}
_MAPPINGS = {dict: "dict", OrderedDict: "OrderedDict", Counter: "Counter",
             defaultdict: "defaultdict"}
_SETS = {set: "set", frozenset: "frozenset"}
#: defaultdict factories that travel by name; any other factory travels as "?" (the
#: child keeps the original object for those, see ``ops``).
FACTORIES = {"int": int, "float": float, "str": str, "bool": bool, "list": list,
             "dict": dict, "set": set, "frozenset": frozenset, "tuple": tuple,
             "Counter": Counter, "OrderedDict": OrderedDict, "deque": deque}
_FACTORY_NAMES = {id(v): k for k, v in FACTORIES.items()}

_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False, allow_nan=False)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), check_circular=False,
                              allow_nan=False)


def _float(value: float) -> float:
    if not math.isfinite(value):
        raise NotPlainError(f"non-finite number {value!r}")
    return value


# --------------------------------------------------------------------------- the wire


def _str_keys(mapping) -> bool:
    """Every key is a str other than the tag: the mapping is a JSON object as it is."""
    for k in mapping:
        if type(k) is not str or k == TAG:
            return False
    return True


def to_wire(value, _depth: int = 0):
    """``value`` as JSON-compatible data that ``from_wire`` turns back into ``value``."""
    t = type(value)
    if t in _SCALARS:
        return value
    if t is float:
        return _float(value)
    if _depth > MAX_DEPTH:
        raise NotPlainError("nested more than 64 levels deep")
    if t is list:
        for item in value:
            if type(item) not in _SCALARS:
                return [to_wire(v, _depth + 1) for v in value]
        return list(value)
    if t is dict:
        if _str_keys(value):
            return {k: v if type(v) in _SCALARS else to_wire(v, _depth + 1)
                    for k, v in value.items()}
    if t in _MAPPINGS:
        out = {TAG: _MAPPINGS[t], "v": [[_key(k, _depth), to_wire(v, _depth + 1)]
                                        for k, v in value.items()]}
        if t is defaultdict:
            factory = value.default_factory
            out["f"] = None if factory is None else _FACTORY_NAMES.get(id(factory), "?")
        return out
    if t in _SEQUENCES:
        out = {TAG: _SEQUENCES[t], "v": [to_wire(v, _depth + 1) for v in value]}
        if t is deque and value.maxlen is not None:
            out["m"] = value.maxlen
        return out
    if t in _SETS:
        items = sorted(((canonical(v, _depth + 1), to_wire(v, _depth + 1)) for v in value),
                       key=lambda pair: pair[0])
        return {TAG: _SETS[t], "v": [w for _, w in items]}
    raise NotPlainError(f"value of type {t.__name__}")


def _key(key, depth: int):
    t = type(key)
    if t in _SCALARS or t is float or t is tuple or t is frozenset:
        return to_wire(key, depth + 1)
    raise NotPlainError(f"dict key of type {t.__name__}")


#: The historical name: what a GameCWM returns, as data that can cross the boundary.
to_plain = to_wire


def from_wire(wire, _depth: int = 0):
    """The value ``to_wire`` encoded, with its exact types."""
    t = type(wire)
    if t is list:
        return [from_wire(v, _depth + 1) for v in wire]
    if t is not dict:
        return wire
    if _depth > MAX_DEPTH + 2:
        raise NotPlainError("nested too deeply")
    tag = wire.get(TAG)
    if tag is None:
        return {k: from_wire(v, _depth + 1) for k, v in wire.items()}
    items = wire.get("v", [])
    if tag == "tuple":
        return tuple(from_wire(v, _depth + 1) for v in items)
    if tag == "deque":
        return deque((from_wire(v, _depth + 1) for v in items), wire.get("m"))
    if tag in ("set", "frozenset"):
        made = (from_wire(v, _depth + 1) for v in items)
        return set(made) if tag == "set" else frozenset(made)
    pairs = [(from_wire(k, _depth + 1), from_wire(v, _depth + 1)) for k, v in items]
    if tag == "defaultdict":
        out = defaultdict(FACTORIES.get(wire.get("f") or ""))
        out.update(pairs)
        return out
    kind = {"dict": dict, "OrderedDict": OrderedDict, "Counter": Counter}.get(tag)
    if kind is None:
        raise NotPlainError(f"unknown tag {tag!r}")
    out = kind()
    for k, v in pairs:
        out[k] = v
    return out


def encode(wire) -> str:
    """Compact JSON text of a wire value (order kept; for messages and memo keys)."""
    return _ENCODER.encode(wire)


# --------------------------------------------------------------------------- by value


def _normal(value, depth: int):
    t = type(value)
    if t in _SCALARS:
        return value
    if t is float:
        _float(value)
        return int(value) if value.is_integer() and abs(value) < 2 ** 63 else value
    if depth > MAX_DEPTH:
        raise NotPlainError("nested more than 64 levels deep")
    if t is list or t is tuple or t is deque:
        for item in value:
            if type(item) not in _SCALARS:
                return [_normal(v, depth + 1) for v in value]
        return list(value)
    if t in _MAPPINGS:
        if _str_keys(value):
            return {k: v if type(v) in _SCALARS else _normal(v, depth + 1)
                    for k, v in value.items()}
        for k in value:
            _key(k, depth)
        pairs = sorted(([canonical(k, depth + 1), _normal(v, depth + 1)]
                        for k, v in value.items()), key=lambda pair: pair[0])
        return {TAG: "map", "v": pairs}
    if t in _SETS:
        items = sorted(((canonical(v, depth + 1), _normal(v, depth + 1)) for v in value),
                       key=lambda pair: pair[0])
        return {TAG: "set", "v": [n for _, n in items]}
    raise NotPlainError(f"value of type {t.__name__}")


def _native(value, depth: int) -> bool:
    """Whether ``value`` is already its own normal form: exact dicts with string keys,
    lists, strings, ints, bools and None only (then the JSON encoder reads it directly)."""
    t = type(value)
    if t is list:
        for item in value:
            if type(item) not in _SCALARS and not (depth < MAX_DEPTH and _native(item,
                                                                              depth + 1)):
                return False
        return True
    if t is dict:
        for k, item in value.items():
            if type(k) is not str or k == TAG:
                return False
            if type(item) not in _SCALARS and not (depth < MAX_DEPTH and _native(item,
                                                                              depth + 1)):
                return False
        return True
    return t in _SCALARS


def canonical(value, _depth: int = 0) -> str:
    """A text equal for plain values that are equal by value (see the module's doc)."""
    if _native(value, _depth):
        return _CANONICAL.encode(value)
    return _CANONICAL.encode(_normal(value, _depth))


def canonical_json(wire) -> str:
    """``canonical`` of the value a wire form encodes."""
    return canonical(from_wire(wire))


# --------------------------------------------------------------------------- reading


def leaves(wire) -> list[str]:
    """Every dict key and scalar of the value ``wire`` encodes, as strings (whole floats
    also as ints)."""
    out: list[str] = []
    stack = [from_wire(wire)]
    while stack:
        v = stack.pop()
        t = type(v)
        if t in _MAPPINGS:
            for k, item in v.items():
                stack.append(item)
                if type(k) in (tuple, frozenset):
                    stack.append(k)
                else:
                    out.append(k if type(k) is str else str(k))
        elif t is list or t is tuple or t is deque or t in _SETS:
            stack.extend(v)
        elif t is float and v.is_integer():
            out.extend((str(v), str(int(v))))
        else:
            out.append(str(v))
    return out


def show(wire, limit: int = 300) -> str:
    """A short, deterministic Python-like text of the value ``wire`` encodes."""
    text = _show(from_wire(wire))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _show(v) -> str:
    t = type(v)
    if t is list:
        return "[" + ", ".join(_show(x) for x in v) + "]"
    if t is tuple:
        return "(" + ", ".join(_show(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    if t is deque:
        return "deque([" + ", ".join(_show(x) for x in v) + "])"
    if t in _MAPPINGS:
        body = "{" + ", ".join(f"{_show(k)}: {_show(x)}" for k, x in v.items()) + "}"
        return body if t is dict else f"{t.__name__}({body})"
    if t in _SETS:
        items = sorted(_show(x) for x in v)
        if not items:
            return "set()" if t is set else "frozenset()"
        body = "{" + ", ".join(items) + "}"
        return body if t is set else f"frozenset({body})"
    return repr(v)


_TYPE_NAME = type.__dict__["__name__"].__get__


def type_name(cls) -> str:
    """The name of a class, read without running any of its code (a metaclass may define
    ``__name__`` as a property)."""
    try:
        return _TYPE_NAME(cls)
    except BaseException:
        return "?"


def describe(value, limit: int = 100) -> str:
    """A short text for any value the candidate gave, made without running its code:
    plain data as its encoding, anything else as its type."""
    try:
        return encode(to_plain(value))[:limit]
    except BaseException:
        return f"<a {type_name(type(value))} object>"
