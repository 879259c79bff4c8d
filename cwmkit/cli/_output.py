"""Shared output helpers for the CLI: rich consoles and JSON printing."""

from __future__ import annotations

import functools
import json
import sys

from rich.console import Console


@functools.cache
def console() -> Console:
    return Console(highlight=False)


@functools.cache
def error_console() -> Console:
    return Console(stderr=True, highlight=False)


def print_json(value) -> None:
    """One JSON document on stdout (machine-readable output never goes through rich)."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def print_json_line(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def escape(text: str) -> str:
    from rich.markup import escape as _escape

    return _escape(text)
