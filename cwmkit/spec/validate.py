"""Semantic validation of game specs.

The grammar says what a spec may look like; this module says what it may mean.
Each problem names where it is (``where``) so the parser can point at the line.
"""

from __future__ import annotations

import math
import re

from attrs import frozen

import cwmkit.spec.model as m
from cwmkit.core.text import one_of

__all__ = ["Problem", "spec_problems"]

_ID = re.compile(r"[a-z][a-z0-9_]*\Z")


@frozen
class Problem:
    """One semantic problem; ``where`` is a path such as ``("scenario", 2, 1)``."""

    message: str
    where: tuple = ()


def _prose_problem(name: str, text: str) -> str | None:
    if not text.strip():
        return f"the '{name}' section is empty: describe the game there"
    if '"""' in text:
        return f"the '{name}' section contains '\"\"\"', which would end the block early"
    bad = [c for c in text if ord(c) < 32 and c not in "\n\t"]
    if bad:
        return f"the '{name}' section contains control character {bad[0]!r}"
    return None


def spec_problems(spec: m.GameSpec) -> list[Problem]:
    """Every semantic problem of ``spec``; an empty list when it is valid."""
    out: list[Problem] = []

    def add(message: str, *where) -> None:
        out.append(Problem(message, tuple(where)))

    if not _ID.match(spec.id):
        add(f"game id '{spec.id}' must be lowercase letters, digits and '_', "
            "starting with a letter", "game")
    if not spec.title.strip():
        add("the game title is empty", "game")
    if not 1 <= spec.players <= 16:
        add(f"players must be between 1 and 16, found {spec.players}", "players")
    if spec.information not in m.INFORMATION:
        add(one_of("information", spec.information, m.INFORMATION), "information")
    if spec.chance not in m.CHANCE:
        add(one_of("chance", spec.chance, m.CHANCE), "chance")
    if spec.utility not in m.UTILITIES:
        add(one_of("utility", spec.utility, m.UTILITIES), "utility")
    elif spec.utility == "constant_sum" and spec.utility_constant is None:
        add("utility constant_sum needs the constant, e.g. 'utility constant_sum 10'",
            "utility")
    elif spec.utility != "constant_sum" and spec.utility_constant is not None:
        add(f"utility {spec.utility} takes no number (only constant_sum does)", "utility")
    for name in ("payoff_min", "payoff_max"):
        if not math.isfinite(getattr(spec, name)):
            add("payoff bounds must be finite numbers", "payoff")
            break
    else:
        if spec.payoff_min > spec.payoff_max:
            add(f"payoff bounds are reversed: {spec.payoff_min:g} .. {spec.payoff_max:g}; "
                f"write 'payoff {spec.payoff_max:g} .. {spec.payoff_min:g}'", "payoff")
    if spec.max_length < 1:
        add(f"max_length must be at least 1, found {spec.max_length}", "max_length")
    if spec.split not in m.SPLITS:
        add(one_of("split", spec.split, m.SPLITS), "split")
    if spec.tier is not None:
        if spec.tier < 1:
            add(f"tier must be 1 or more, found {spec.tier}", "tier")
        if spec.split == "eval":
            add("a tier orders the training curriculum: eval games take no tier", "tier")
    elif spec.split == "train":
        add("a train game needs a curriculum tier, e.g. 'tier 1'", "split")
    seen_props: set[str] = set()
    for i, prop in enumerate(spec.properties):
        if prop not in m.PROPERTIES:
            add(one_of("property", prop, m.PROPERTIES), "properties", i)
        if prop in seen_props:
            add(f"property '{prop}' is declared twice", "properties", i)
        seen_props.add(prop)
    for section in m.PROSE_SECTIONS:
        problem = _prose_problem(section, getattr(spec, section))
        if problem:
            add(problem, section)

    names: set[str] = set()
    for i, scenario in enumerate(spec.scenarios):
        if scenario.name in names:
            add(f"scenario name '{scenario.name}' is used twice", "scenario", i)
        names.add(scenario.name)
        if not scenario.name.strip():
            add("a scenario needs a name", "scenario", i)
        if not any(not isinstance(s, m.Play) for s in scenario.steps):
            add(f"scenario '{scenario.name}' expects nothing: add an 'expect' line",
                "scenario", i)
        for j, step in enumerate(scenario.steps):
            for message in _step_problems(spec, step):
                add(f"scenario '{scenario.name}': {message}", "scenario", i, j)
    return out


def _step_problems(spec: m.GameSpec, step) -> list[str]:
    out: list[str] = []
    n = spec.players

    def player_ok(p: int, what: str) -> None:
        if not 0 <= p < n:
            out.append(f"{what} {p} is not a player: players are 0..{n - 1}")

    actions: tuple[str, ...] = ()
    if isinstance(step, m.Play):
        actions = step.actions
        if not actions:
            out.append("'play' needs at least one action")
    elif isinstance(step, m.ExpectPlayer):
        if step.player != m.CHANCE_PLAYER:
            player_ok(step.player, "player")
        elif spec.chance == "none":
            out.append("expects a chance node, but the game declares 'chance none'")
    elif isinstance(step, m.ExpectLegal):
        actions = step.actions
        if step.mode not in m.LEGAL_MODES:
            out.append(one_of("legal mode", step.mode, m.LEGAL_MODES))
        if not step.actions:
            out.append("'expect legal' needs at least one action")
    elif isinstance(step, m.ExpectPayoffs):
        if len(step.payoffs) != n:
            out.append(f"payoffs list has {len(step.payoffs)} numbers, expected {n} "
                       "(one per player)")
        if not all(math.isfinite(p) for p in step.payoffs):
            out.append("payoffs must be finite numbers")
    elif isinstance(step, m.ExpectWinner):
        player_ok(step.player, "winner")
    elif isinstance(step, m.ExpectObservationShows):
        player_ok(step.player, "observation of player")
        if not step.values:
            out.append("'shows' needs at least one value")
    elif isinstance(step, m.ExpectObservationSame):
        player_ok(step.player, "observation of player")
        actions = step.history
    if any(a == "" for a in actions):
        out.append("an action string is empty")
    return out
