"""What every typed config of cwmkit shares: plain-data loading and field validation.

Configs are frozen attrs classes whose fields carry their help text in
``metadata["help"]`` (``help_``) and whose class attribute ``section`` names them in
messages (``verify.playouts must be ...``). A bad value raises a :class:`ConfigError`
naming the field, what was found and, as the hint, what the field means.
"""

from __future__ import annotations

from typing import Any

import attrs

from cwmkit.core.errors import ConfigError

__all__ = ["ConfigBase", "bounded", "help_"]


def help_(text: str) -> dict:
    """Field metadata holding the help text."""
    return {"help": text}


def bounded(kind=float, *, minimum=0, maximum=None, optional=False):
    """A validator for an int (``kind=int``) or float field in ``[minimum, maximum]``."""
    def check(instance, attribute, value):
        if optional and value is None:
            return
        hint = attribute.metadata.get("help")
        where = f"{instance.section}.{attribute.name}"
        if type(value) is bool or not isinstance(value, int if kind is int else (int, float)):
            noun = "an integer" if kind is int else "a number"
            raise ConfigError(f"{where} must be {noun}, got {value!r}", hint=hint)
        if value < minimum or (maximum is not None and value > maximum):
            bound = (f"between {minimum} and {maximum}" if maximum is not None
                     else f"at least {minimum}")
            raise ConfigError(f"{where} must be {bound}, got {value!r}", hint=hint)
    return check


class ConfigBase:
    """``from_dict`` refusing unknown keys (with did-you-mean), ``to_dict``, ``evolve``."""

    section = "config"

    @classmethod
    def check_keys(cls, data: dict) -> None:
        known = {a.name for a in attrs.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            from cwmkit.core.text import did_you_mean

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
