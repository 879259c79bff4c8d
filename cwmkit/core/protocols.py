"""Each plugin kind's contract as code: one ``typing.Protocol`` per registry.

The plugin host checks every registered object against its kind's protocol when it is
registered (:func:`missing_members`): a missing attribute, or an attribute that must be
callable and is not, is reported by name and the object is skipped. The protocols are
``runtime_checkable`` for users' own ``isinstance`` checks too; the host does not rely on
``isinstance`` alone because it cannot tell a method from a plain attribute.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from cwmkit.spec.model import GameSpec

__all__ = [
    "CheckPlugin",
    "GameEntry",
    "GenerationBackend",
    "PromptRenderer",
    "RewardShaper",
    "Trainer",
    "missing_members",
]


@runtime_checkable
class GameEntry(Protocol):
    """A registered game: ``cwmkit.Game`` (a spec plus its reference's path)."""

    name: str
    spec: GameSpec


@runtime_checkable
class CheckPlugin(Protocol):
    """A verification tier.

    ``applies(context)`` says whether the tier judges this program (``False``: the report
    shows it as not applicable); ``run(context)`` returns a ``cwmkit.verify.TierResult``
    built with the helpers of :mod:`cwmkit.verify.context` (``outcome``, ``tier``). An
    optional ``order`` (int, default 100) places the tier among the others: the built-in
    ones use 10 (static) to 70 (differential). A check that raises or returns anything
    else is reported in the tier as a broken plugin and left out of the score.
    """

    name: str
    description: str

    def applies(self, context: Any) -> bool: ...

    def run(self, context: Any) -> Any: ...


@runtime_checkable
class RewardShaper(Protocol):
    """``shaper(report) -> float | None``: a pure function of a verification report;
    ``None`` means no verdict (an infrastructure failure), never a score."""

    name: str

    def __call__(self, report: Any) -> float | None: ...


@runtime_checkable
class Trainer(Protocol):
    """``train(config, run_dir) -> dict`` of results (paths, metrics)."""

    name: str
    description: str

    def train(self, config: Any, run_dir: Any) -> dict: ...


@runtime_checkable
class GenerationBackend(Protocol):
    """``create(config)`` returns an object with ``generate(prompts) -> list[Completion]``."""

    name: str
    description: str

    def create(self, config: Any) -> Any: ...


@runtime_checkable
class PromptRenderer(Protocol):
    """``render(spec) -> str``: the prompt asking a model for the game's GameCWM."""

    name: str
    description: str

    def render(self, spec: GameSpec) -> str: ...


_NOT_MEMBERS: ClassVar = frozenset({"__init__", "__subclasshook__", "__class_getitem__",
                                    "__init_subclass__"})


def _members(protocol: type) -> tuple[list[str], list[str]]:
    """The protocol's attributes and its methods, in declaration order."""
    attributes = list(getattr(protocol, "__annotations__", {}))
    methods = [name for name, value in vars(protocol).items()
               if inspect.isfunction(value) and name not in _NOT_MEMBERS
               and (not name.startswith("_") or name == "__call__")]
    return attributes, methods


def missing_members(obj: Any, protocol: type) -> list[str]:
    """What ``obj`` lacks of ``protocol``: each missing attribute, and each method that is
    absent or not callable (``"run (not callable)"``)."""
    attributes, methods = _members(protocol)
    problems = [name for name in attributes if not hasattr(obj, name)]
    for name in methods:
        if name == "__call__":
            if not callable(obj):
                problems.append("__call__ (not callable)")
        elif not hasattr(obj, name):
            problems.append(name)
        elif not callable(getattr(obj, name)):
            problems.append(f"{name} (not callable)")
    return problems
