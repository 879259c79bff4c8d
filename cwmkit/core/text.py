"""Small text helpers every part of cwmkit uses in its messages."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean", "one_of"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(what: str, value: str, choices: Iterable[str]) -> str:
    """``unknown <what> '<value>' (did you mean ...): expected one of a, b, c``."""
    choices = list(choices)
    return (f"unknown {what} '{value}'{did_you_mean(value, choices)}: expected one of "
            + ", ".join(choices))
