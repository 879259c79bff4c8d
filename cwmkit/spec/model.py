"""The game spec model: frozen value objects parsed from the rule DSL.

Values only: :mod:`cwmkit.spec.dsl` parses text into them and writes them back
(``parse_spec(format_spec(spec)) == spec`` for every valid spec), and
:mod:`cwmkit.spec.validate` says what is wrong with one.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Literal

import attrs
from attrs import field, frozen

__all__ = [
    "CHANCE_PLAYER",
    "TERMINAL_PLAYER",
    "ExpectDraw",
    "ExpectLegal",
    "ExpectObservationSame",
    "ExpectObservationShows",
    "ExpectPayoffs",
    "ExpectPlayer",
    "ExpectTerminal",
    "ExpectWinner",
    "Expectation",
    "GameSpec",
    "PROPERTIES",
    "Play",
    "Scenario",
    "Step",
    "normalize_prose",
]

#: ``get_current_player`` at a chance node.
CHANCE_PLAYER = -1
#: ``get_current_player`` at a terminal state.
TERMINAL_PLAYER = -4

INFORMATION = ("perfect", "imperfect")
CHANCE = ("none", "uniform")
UTILITIES = ("zero_sum", "constant_sum", "general_sum", "identical")
SPLITS = ("train", "eval")
LEGAL_MODES = ("contains", "excludes", "equals")
PROSE_SECTIONS = ("rules", "actions", "observe")

#: Declarable properties, each enforced by the verifier, with what it promises.
PROPERTIES: dict[str, str] = {
    "terminal_rewards_only": "rewards are all zero at every non-terminal state",
    "alternating": "no player moves twice in a row (chance nodes aside)",
    "win_loss_draw": "final payoffs are a win and a loss (+1 and -1) or a draw (all 0)",
    "unbounded_length": "the rules set no limit on a game's length; max_length is only the "
                        "cap of a verification playout, which random play stays well within",
}


def normalize_prose(text: str) -> str:
    """Canonical form of a prose section: no common indent, no trailing blanks.

    The DSL text of a prose block is indented to sit inside the spec; this undoes that,
    so the same prose reads the same whatever the indentation it was written with.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    body = textwrap.dedent("\n".join(lines))
    return body.strip("\n")


def _tuple_of_str(values) -> tuple[str, ...]:
    return tuple(values)


def _tuple_of_float(values) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


@frozen
class Play:
    """Apply these actions, in order, to the scenario's current state."""

    actions: tuple[str, ...] = field(converter=_tuple_of_str)


@frozen
class ExpectTerminal:
    """The state is terminal (``terminal=True``) or not."""

    terminal: bool = True


@frozen
class ExpectPlayer:
    """``get_current_player`` returns ``player`` (``CHANCE_PLAYER`` for chance)."""

    player: int


@frozen
class ExpectLegal:
    """The legal actions contain / exclude / equal (as a set) ``actions``."""

    mode: Literal["contains", "excludes", "equals"]
    actions: tuple[str, ...] = field(converter=_tuple_of_str)


@frozen
class ExpectPayoffs:
    """``get_rewards`` returns exactly these numbers (to 1e-9)."""

    payoffs: tuple[float, ...] = field(converter=_tuple_of_float)


@frozen
class ExpectWinner:
    """The state is terminal and ``player`` alone has the highest payoff."""

    player: int


@frozen
class ExpectDraw:
    """The state is terminal and every player has the same payoff."""


@frozen
class ExpectObservationShows:
    """Each of ``values`` appears as a leaf of ``player``'s observation.

    Observations are free-form dicts, so a spec cannot name their keys; it can say
    which values a player must be able to see. A leaf is compared as a string.
    """

    player: int
    values: tuple[str, ...] = field(converter=_tuple_of_str)


@frozen
class ExpectObservationSame:
    """``player``'s observation equals (``same``) or differs from its observation
    after ``history``, another action sequence from the initial state.

    This pins what a player can and cannot tell apart without naming any key.
    """

    player: int
    history: tuple[str, ...] = field(converter=_tuple_of_str)
    same: bool = True


Expectation = (
    ExpectTerminal
    | ExpectPlayer
    | ExpectLegal
    | ExpectPayoffs
    | ExpectWinner
    | ExpectDraw
    | ExpectObservationShows
    | ExpectObservationSame
)
Step = Play | Expectation


@frozen
class Scenario:
    """A named action sequence from the initial state with expectations along the way.

    ``steps`` interleave :class:`Play` and expectations; each expectation is judged on
    the state reached by all plays before it.
    """

    name: str
    steps: tuple[Step, ...] = field(converter=tuple)

    @property
    def actions(self) -> tuple[str, ...]:
        """Every action the scenario plays, in order."""
        return tuple(a for s in self.steps if isinstance(s, Play) for a in s.actions)

    def checkpoints(self) -> list[tuple[tuple[str, ...], Expectation]]:
        """Each expectation with the action prefix it is judged after."""
        out: list[tuple[tuple[str, ...], Expectation]] = []
        prefix: tuple[str, ...] = ()
        for step in self.steps:
            if isinstance(step, Play):
                prefix = prefix + step.actions
            else:
                out.append((prefix, step))
        return out


@frozen
class GameSpec:
    """Everything cwmkit knows about a game without running any code.

    Build one with ``cwmkit.spec.load_spec`` or ``parse_spec``; the constructor does not
    validate, ``spec_problems`` does (the parser calls it).
    """

    id: str
    title: str
    players: int
    information: Literal["perfect", "imperfect"]
    chance: Literal["none", "uniform"]
    utility: Literal["zero_sum", "constant_sum", "general_sum", "identical"]
    payoff_min: float = field(converter=float)
    payoff_max: float = field(converter=float)
    max_length: int
    split: Literal["train", "eval"]
    rules: str = field(converter=normalize_prose)
    actions: str = field(converter=normalize_prose)
    observe: str = field(converter=normalize_prose)
    tier: int | None = None
    utility_constant: float | None = field(
        default=None, converter=attrs.converters.optional(float)
    )
    properties: tuple[str, ...] = field(default=(), converter=_tuple_of_str)
    #: Verifier settings this game needs (``verify playouts 12``): name -> number pairs,
    #: applied over the user's settings; the names are ``VerifySettings`` fields.
    verify: tuple[tuple[str, float], ...] = field(default=(), converter=tuple)
    scenarios: tuple[Scenario, ...] = field(default=(), converter=tuple)
    path: Path | None = field(default=None, eq=False, repr=False)

    def evolve(self, **changes) -> GameSpec:
        """A copy with ``changes`` applied (not validated)."""
        return attrs.evolve(self, **changes)

    @property
    def imperfect(self) -> bool:
        return self.information == "imperfect"

    @property
    def has_chance(self) -> bool:
        return self.chance != "none"

    def scenario(self, name: str) -> Scenario:
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(name)
