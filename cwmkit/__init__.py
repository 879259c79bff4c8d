"""cwmkit: train and verify language models that write game code world models."""

from cwmkit.core.errors import CwmkitError
from cwmkit.core.hookspecs import hookimpl
from cwmkit.spec import Game, GameSpec, Scenario

__all__ = ["CwmkitError", "Game", "GameSpec", "Scenario", "__version__", "hookimpl"]

__version__ = "0.1.0"
