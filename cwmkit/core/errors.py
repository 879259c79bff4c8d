"""The one error hierarchy of cwmkit.

Every error a user can cause derives from :class:`CwmkitError`. The CLI maps each class
to an exit code (``exit_code``) and prints its message without a traceback. Messages say
what was expected, what was found and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "CwmkitError",
    "ConfigError",
    "MissingExtraError",
    "PluginError",
    "SpecError",
    "SpecSyntaxError",
    "SpecValidationError",
    "UnknownNameError",
]


class CwmkitError(Exception):
    """Base of every error cwmkit raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\nhint: {self.hint}"
        return self.message


class UnknownNameError(CwmkitError):
    """A game, check, shaper, trainer or generator name that is not registered."""

    exit_code = 2


class ConfigError(CwmkitError):
    """A configuration value that cannot be used as given."""

    exit_code = 2


class SpecError(CwmkitError):
    """A game spec file that cannot be used."""

    exit_code = 3


class SpecFileError(SpecError):
    """A spec file that is missing or cannot be read (not a syntax problem)."""

    def __init__(self, message: str, *, path: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path


class SpecSyntaxError(SpecError):
    """A spec whose text does not follow the grammar.

    The message carries ``file:line:col``, the offending line with a caret under the
    column, what was expected in words and, where one applies, a hint.
    """

    def __init__(self, message: str, *, path: str, line: int, column: int,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.line = line
        self.column = column


class SpecValidationError(SpecError):
    """A spec that parses but states something impossible (reversed bounds, ...)."""

    def __init__(self, problems: list[str], *, path: str) -> None:
        self.problems = list(problems)
        self.path = path
        lines = [f"{path}: {p}" for p in problems]
        super().__init__("\n".join(lines))


class PluginError(CwmkitError):
    """A plugin that failed to load or registered something unusable."""

    exit_code = 4


class MissingExtraError(CwmkitError):
    """A feature that needs an optional dependency which is not installed."""

    exit_code = 5

    def __init__(self, module: str, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the '{module}' package, which is not installed.",
            hint=f"pip install 'cwmkit[{extra}]'",
        )
        self.module = module
        self.extra = extra
