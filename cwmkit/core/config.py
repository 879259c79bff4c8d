"""The config toolkit every typed config of cwmkit is built with: field validators,
plain-data loading with did-you-mean, ``describe``, ``to_dict`` and ``evolve``.

Configs are frozen attrs classes whose fields carry their help text in
``metadata["help"]`` (``help_``) and whose class attribute ``section`` names them in
messages (``verify.playouts must be ...``). A bad value raises a :class:`ConfigError`
naming the field, what was found and, as the hint, what the field means.
"""

from __future__ import annotations

from typing import Any

import attrs

from cwmkit.core.errors import ConfigError
from cwmkit.core.text import did_you_mean

__all__ = ["ConfigBase", "as_tuple", "choice", "fail", "flag", "help_", "mapping", "names",
           "number", "resume_value", "steps", "targets", "text"]


def help_(text: str) -> dict:
    """Field metadata holding the help text."""
    return {"help": text}


def fail(instance, attribute, expected: str, value, suffix: str = "") -> None:
    """Raise the toolkit's one message: ``<section>.<field> must be <expected>, got <v>``."""
    raise ConfigError(f"{instance.section}.{attribute.name} must be {expected}, got "
                      f"{value!r}{suffix}", hint=attribute.metadata.get("help"))


def number(kind=float, *, minimum=None, maximum=None, above=None, optional=False):
    """A validator for an int (``kind=int``) or float field within bounds."""
    def check(instance, attribute, value):
        if optional and value is None:
            return
        types = int if kind is int else (int, float)
        noun = "an integer" if kind is int else "a number"
        if type(value) is bool or not isinstance(value, types):
            fail(instance, attribute, noun, value)
        if above is not None and value <= above:
            fail(instance, attribute, f"{noun} above {above}", value)
        low = minimum is not None and value < minimum
        high = maximum is not None and value > maximum
        if (low or high) and minimum is not None and maximum is not None:
            fail(instance, attribute, f"{noun} between {minimum} and {maximum}", value)
        if low:
            fail(instance, attribute, f"{noun} of at least {minimum}", value)
        if high:
            fail(instance, attribute, f"{noun} of at most {maximum}", value)
    return check


def steps(instance, attribute, value):
    """A step count: a positive integer, or -1 for "no limit"."""
    if type(value) is not int or not (value == -1 or value >= 1):
        fail(instance, attribute, "a positive integer or -1", value)


def choice(*choices):
    """One of ``choices``, with a did-you-mean for a near miss."""
    def check(instance, attribute, value):
        if value not in choices:
            fail(instance, attribute, "one of " + ", ".join(map(str, choices)), value,
                 did_you_mean(str(value), [str(c) for c in choices]))
    return check


def text(*, optional=False):
    """A non-empty string (or None when ``optional``)."""
    def check(instance, attribute, value):
        if optional and value is None:
            return
        if not isinstance(value, str) or not value.strip():
            fail(instance, attribute, "a non-empty string", value)
    return check


def flag(instance, attribute, value):
    if not isinstance(value, bool):
        fail(instance, attribute, "true or false", value)


def mapping(instance, attribute, value):
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        fail(instance, attribute, "a mapping of setting names to values", value)


def targets(instance, attribute, value):
    """LoRA target modules: ``all-linear`` or a non-empty list of module names."""
    if value == "all-linear":
        return
    if not isinstance(value, tuple) or not value or not all(
            isinstance(v, str) and v for v in value):
        fail(instance, attribute, "'all-linear' or a list of module names", value)


def names(instance, attribute, value):
    if isinstance(value, str) and value:
        return
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v for v in value):
        fail(instance, attribute, "a name or a list of names", value)


def resume_value(instance, attribute, value):
    if not isinstance(value, bool) and not (isinstance(value, str) and value.strip()):
        fail(instance, attribute, "true, false or a checkpoint folder", value)


def as_tuple(value):
    """Converter: a YAML list becomes a tuple (configs are frozen)."""
    return tuple(value) if isinstance(value, list) else value


class ConfigBase:
    """``from_dict`` refusing unknown keys (with did-you-mean), ``to_dict``, ``evolve``."""

    section = "config"

    @classmethod
    def check_keys(cls, data: dict) -> None:
        known = {a.name for a in attrs.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown {cls.section} setting '{unknown[0]}'"
                              f"{did_you_mean(unknown[0], known)}",
                              hint="settings: " + ", ".join(sorted(known)))

    @classmethod
    def from_dict(cls, data: dict | None):
        data = dict(data or {})
        cls.check_keys(data)
        return cls(**data)

    @classmethod
    def describe(cls) -> dict[str, tuple[Any, str]]:
        """Setting name -> (default, help text)."""
        return {a.name: (a.default.factory() if isinstance(a.default, attrs.Factory)
                         else a.default, a.metadata.get("help", ""))
                for a in attrs.fields(cls)}

    def to_dict(self) -> dict:
        return attrs.asdict(self)

    def evolve(self, **changes):
        return attrs.evolve(self, **changes)
