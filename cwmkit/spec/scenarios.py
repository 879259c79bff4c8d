"""Judging spec scenarios.

The judging happens on :class:`Snapshot` values (plain data describing one state), so
the same code judges a trusted reference run in-process and an untrusted candidate run
in a sandbox: only snapshots cross the boundary, and every verdict is made here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
from attrs import frozen

import cwmkit.spec.model as m
from cwmkit.sandbox.plain import canonical_json, leaves, to_plain

__all__ = [
    "ReplayFailure",
    "ScenarioOutcome",
    "Snapshot",
    "judge",
    "run_scenario",
    "snapshot_after",
]

TOLERANCE = 1e-9


@frozen
class Snapshot:
    """What a GameCWM says about one state, as plain data."""

    player: int
    legal: list
    rewards: list
    observations: list


@frozen
class ReplayFailure:
    """Replaying a history failed at ``index`` (the action that could not be played)."""

    index: int
    message: str


@frozen
class ScenarioOutcome:
    """The verdict on one scenario; ``failure`` is None when it passed."""

    name: str
    passed: bool
    failure: str | None = None
    actions: tuple[str, ...] = ()
    expected: str | None = None
    actual: str | None = None
    #: Expectations judged, and how many of them failed.
    checked: int = 0
    failed: int = 0


def snapshot_of(module, state) -> Snapshot:
    """The snapshot of ``state`` under ``module`` (a GameCWM); observations in wire form,
    like a candidate's."""
    return Snapshot(
        player=to_plain(module.get_current_player(state)),
        legal=to_plain(module.get_legal_actions(state)),
        rewards=to_plain(module.get_rewards(state)),
        observations=to_plain(module.get_observations(state)),
    )


def snapshot_after(module, actions: Sequence[str]) -> Snapshot | ReplayFailure:
    """Replay ``actions`` from the initial state, checking each is legal, and snapshot.

    For trusted code run in this process (references); the sandbox harness does the
    same on the other side of the boundary.
    """
    state = module.get_initial_state()
    for i, action in enumerate(actions):
        legal = module.get_legal_actions(state)
        if action not in legal:
            return ReplayFailure(i, f"{action!r} is not legal here (legal: {legal!r})")
        state = module.apply_action(state, action)
    return snapshot_of(module, state)


def _fmt(values) -> str:
    return canonical_json(values)


def judge(expectation: m.Expectation, snap: Snapshot, n_players: int,
          other: Callable[[tuple[str, ...]], Snapshot | ReplayFailure]
          ) -> tuple[str, str] | None:
    """``None`` if ``snap`` meets ``expectation``, else ``(expected, actual)`` texts.

    ``other(history)`` snapshots another history (for observation comparisons).
    """
    e = expectation
    if isinstance(e, m.ExpectTerminal):
        is_terminal = snap.player == m.TERMINAL_PLAYER
        if is_terminal != e.terminal:
            want = "terminal" if e.terminal else "not terminal"
            return want, f"current player {snap.player}"
        if is_terminal and snap.legal != []:
            return "no legal actions at a terminal state", f"legal {_fmt(snap.legal)}"
        return None
    if isinstance(e, m.ExpectPlayer):
        return None if snap.player == e.player else (f"player {e.player}",
                                                      f"player {snap.player}")
    if isinstance(e, m.ExpectLegal):
        if not isinstance(snap.legal, list):
            return "a list of legal actions", _fmt(snap.legal)
        have = set(map(str, snap.legal))
        want = set(e.actions)
        if e.mode == "contains" and not want <= have:
            return f"legal actions include {_fmt(sorted(want - have))}", _fmt(snap.legal)
        if e.mode == "excludes" and want & have:
            return f"legal actions exclude {_fmt(sorted(want & have))}", _fmt(snap.legal)
        if e.mode == "equals" and (want != have or len(snap.legal) != len(want)):
            return f"legal actions exactly {_fmt(sorted(want))}", _fmt(snap.legal)
        return None
    if isinstance(e, m.ExpectPayoffs):
        if _close(snap.rewards, e.payoffs):
            return None
        return f"payoffs {_fmt(list(e.payoffs))}", f"payoffs {_fmt(snap.rewards)}"
    if isinstance(e, (m.ExpectWinner, m.ExpectDraw)):
        if snap.player != m.TERMINAL_PLAYER:
            return "a finished game", f"current player {snap.player}"
        if not _numbers(snap.rewards, n_players):
            return f"{n_players} payoffs", _fmt(snap.rewards)
        best = max(snap.rewards)
        leaders = [i for i, r in enumerate(snap.rewards) if abs(r - best) <= TOLERANCE]
        if isinstance(e, m.ExpectDraw):
            if len(leaders) == n_players:
                return None
            return "a draw (equal payoffs)", f"payoffs {_fmt(snap.rewards)}"
        if leaders == [e.player]:
            return None
        return f"player {e.player} wins", f"payoffs {_fmt(snap.rewards)}"
    if isinstance(e, m.ExpectObservationShows):
        obs = _observation(snap, e.player)
        if obs is None:
            return f"an observation for player {e.player}", _fmt(snap.observations)
        seen = set(leaves(obs))
        missing = [v for v in e.values if v not in seen]
        if missing:
            return f"player {e.player} observes {_fmt(missing)}", _fmt(obs)
        return None
    if isinstance(e, m.ExpectObservationSame):
        mine = _observation(snap, e.player)
        there = other(e.history)
        if isinstance(there, ReplayFailure):
            return (f"the history {_fmt(list(e.history))} replays",
                    f"action {there.index}: {there.message}")
        theirs = _observation(there, e.player)
        equal = mine is not None and theirs is not None and (
            canonical_json(mine) == canonical_json(theirs))  # by value
        if equal == e.same:
            return None
        relation = "the same as" if e.same else "different from"
        return (f"player {e.player}'s observation {relation} after {_fmt(list(e.history))}",
                f"{_fmt(mine)} here, {_fmt(theirs)} there")
    raise TypeError(f"not an expectation: {e!r}")


def _numbers(values, n: int) -> bool:
    return (isinstance(values, list) and len(values) == n
            and all(type(v) in (int, float) for v in values))


def _close(actual, expected) -> bool:
    return _numbers(actual, len(expected)) and all(
        abs(a - b) <= TOLERANCE for a, b in zip(actual, expected, strict=True))


def _observation(snap: Snapshot, player: int):
    obs = snap.observations
    if isinstance(obs, list) and 0 <= player < len(obs):
        return obs[player]
    return None


def run_scenario(scenario: m.Scenario, n_players: int,
                 snapshot: Callable[[tuple[str, ...]], Snapshot | ReplayFailure]
                 ) -> ScenarioOutcome:
    """Judge one scenario given a way to snapshot any history. Every expectation is
    judged (``checked``, ``failed``); the outcome describes the first that failed."""
    cache: dict[tuple[str, ...], Snapshot | ReplayFailure] = {}

    def get(history: tuple[str, ...]):
        if history not in cache:
            cache[history] = snapshot(history)
        return cache[history]

    first: ScenarioOutcome | None = None
    failed = 0
    checkpoints = scenario.checkpoints()
    for prefix, expectation in checkpoints:
        snap = get(prefix)
        if isinstance(snap, ReplayFailure):
            if 0 <= snap.index < len(prefix):
                where = f"action {snap.index} ({prefix[snap.index]!r})"
                shown = prefix[: snap.index + 1]
            else:  # the failure names no action: the initial state itself failed
                where, shown = "the initial state", prefix
            failed += 1
            first = first or ScenarioOutcome(scenario.name, False,
                                             f"could not replay: {where}: {snap.message}",
                                             shown)
            continue
        verdict = judge(expectation, snap, n_players, get)
        if verdict is not None:
            expected, actual = verdict
            failed += 1
            first = first or ScenarioOutcome(scenario.name, False,
                                             f"expected {expected}, got {actual}", prefix,
                                             expected, actual)
    if first is not None:
        return attrs.evolve(first, checked=len(checkpoints), failed=failed)
    return ScenarioOutcome(scenario.name, True, actions=scenario.actions,
                           checked=len(checkpoints))
