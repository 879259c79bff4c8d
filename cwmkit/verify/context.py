"""What a check plugin works with: the context, the candidate proxy, shrinking.

A check (tier) is an object with ``name``, ``description``, ``order``,
``applies(context) -> bool`` and ``run(context) -> TierResult``. It asks the candidate
for plain data through ``context.candidate`` (the sandboxed process) and judges that
data itself, here, in the verifier's process.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence
from types import ModuleType

from attrs import define, field

from cwmkit.sandbox.plain import canonical, canonical_json, to_plain
from cwmkit.sandbox.policy import StaticAnalysis
from cwmkit.spec.model import TERMINAL_PLAYER, GameSpec
from cwmkit.spec.scenarios import ReplayFailure, Snapshot
from cwmkit.verify.report import MAX_IMPERFECT, CheckOutcome, Counterexample, TierResult
from cwmkit.verify.settings import VerifySettings

__all__ = [
    "CandidateProxy",
    "CheckContext",
    "outcome",
    "reference_snapshot",
    "reference_trace",
    "reference_trajectories",
    "reference_tree",
    "reference_views",
    "shrink",
    "snapshot_from",
    "tier",
]


class CandidateProxy:
    """The sandboxed candidate, as the checks see it. Every method returns plain data."""

    def __init__(self, session, settings: VerifySettings, players: int | None,
                 perfect: bool) -> None:
        self._session = session
        self._settings = settings
        self.players = players
        self.perfect = perfect
        self.requests = 0

    def _ask(self, message: dict) -> dict:
        self.requests += 1
        from cwmkit.sandbox.client import SandboxDied, SandboxFailure

        reply = self._session.request(message, wall_seconds=self._settings.wall_backstop_seconds)
        error = reply.get("error")
        if error and error.get("kind") == "internal" or "setup_error" in reply:
            raise SandboxFailure(f"harness failure: {error or reply['setup_error']}")
        if error:
            raise SandboxDied({"error": error})
        return reply

    def playouts(self, count: int, seed: int, max_steps: int, *, views: bool = False,
                 check: bool = True) -> list:
        """Random playouts, with every per-state check unless ``check`` is False
        (see ``ops.op_playouts``); a record's ``faults`` maps a fault kind to its first
        occurrence."""
        return self._ask({"op": "playouts", "count": count, "seed": seed,
                          "max_steps": max_steps, "players": self.players,
                          "perfect": self.perfect, "views": views, "check": check})["playouts"]

    def replay(self, histories: Sequence[Sequence[str]], *, trace: bool = False,
               check: bool = False, digests: bool = False) -> list:
        """Replay each history from the initial state (see ``ops.op_replay``); with
        ``digests`` observations come back as digests of their canonical texts."""
        if not histories:
            return []
        return self._ask({"op": "replay", "histories": [list(h) for h in histories],
                          "trace": trace, "check": check, "players": self.players,
                          "perfect": self.perfect,
                          "obs": "digest" if digests else "wire"})["results"]

    def tree(self, nodes: Sequence[tuple[int, str | None]]) -> list:
        """Snapshot every node of a tree of histories (see ``ops.op_tree``)."""
        if not nodes:
            return []
        return self._ask({"op": "tree", "nodes": [list(n) for n in nodes],
                          "players": self.players})["nodes"]

    def names(self) -> dict:
        """``{"names": [...]}`` or ``{"fault": ...}`` for ``get_player_name`` of each player."""
        return self._ask({"op": "names", "players": self.players})

    def resample(self, requests: list[dict]) -> list:
        """``resample_history`` for each ``{"player", "view"}`` (with ``count`` and
        ``seed``: that many samples, ``{"samples": [...]}``)."""
        if not requests:
            return []
        return self._ask({"op": "resample", "requests": requests})["results"]


@define
class CheckContext:
    """Everything a check may use. ``cache`` lets tiers share work (e.g. playouts)."""

    source: str
    spec: GameSpec | None
    players: int | None
    imperfect: bool
    max_length: int
    settings: VerifySettings
    seed: int
    static: StaticAnalysis
    functions: dict = field(factory=dict)
    candidate: CandidateProxy | None = None
    reference: ModuleType | None = None
    game_id: str | None = None
    cache: dict = field(factory=dict)

    def rng(self, salt: str) -> random.Random:
        """A deterministic RNG for this program and purpose (runs here, not in the child)."""
        return random.Random(f"{self.seed}:{salt}")

    def child_seed(self, salt: str) -> int:
        return self.rng(salt).getrandbits(63)

    def playouts(self) -> list:
        """The dynamics playouts, run once and shared by the tiers that judge them."""
        if "playouts" not in self.cache:
            self.cache["playouts"] = self.candidate.playouts(
                self.settings.playouts, self.child_seed("playouts"), self.max_length,
                views=self.imperfect)
        return self.cache["playouts"]

    def exploration(self):
        """The game's exploration through its reference (``cwmkit.verify.explore``):
        built once per game; None without a reference."""
        if "exploration" not in self.cache:
            found = None
            if self.reference is not None and self.spec is not None:
                from cwmkit.verify.explore import exploration

                found = exploration(self.reference, self.spec, self.settings,
                                    game_id=self.game_id)
            self.cache["exploration"] = found
        return self.cache["exploration"]

    def pool(self) -> list[tuple[str, ...]]:
        """The coverage-guided trajectories (empty without a reference)."""
        found = self.exploration()
        return list(found.pool) if found else []

    def pool_replays(self) -> list:
        """The pool replayed on the candidate with every check and a trace, once."""
        if "pool_replays" not in self.cache:
            self.cache["pool_replays"] = self.candidate.replay(self.pool(), trace=True,
                                                               check=True)
        return self.cache["pool_replays"]


def snapshot_from(data: dict) -> Snapshot:
    return Snapshot(data["player"], data["legal"], data["rewards"], data["observations"])


def replay_result(result: dict) -> Snapshot | ReplayFailure:
    """A candidate replay result as what the scenario judge takes."""
    if "end" in result:
        return snapshot_from(result["end"])
    failure = result.get("failure") or {}
    message = failure.get("message", "replay failed")
    if failure.get("kind") not in (None, "illegal"):
        message = f"{failure['kind']}: {message}"
    return ReplayFailure(int(failure.get("index", -1)), message)


# --------------------------------------------------------------------------- reference


def reference_snapshot(module, state) -> dict:
    """What the reference says about ``state``; observations as canonical texts (the
    reference is compared by the distinctions its observations make, never by form)."""
    return {"player": module.get_current_player(state),
            "legal": list(module.get_legal_actions(state)),
            "rewards": to_plain(module.get_rewards(state)),
            "observations": [canonical(o) for o in module.get_observations(state)]}


@functools.lru_cache(maxsize=8192)
def reference_trace(module, actions: tuple[str, ...]) -> tuple[dict, ...]:
    """The reference's snapshot at every step of ``actions`` (cached: the pool and the
    random trajectories are the same for every program of a game)."""
    state = module.get_initial_state()
    steps = [reference_snapshot(module, state)]
    for action in actions:
        if action not in steps[-1]["legal"]:
            raise ValueError(f"{action!r} is not legal in the reference here")
        state = module.apply_action(state, action)
        steps.append(reference_snapshot(module, state))
    return tuple(steps)


@functools.lru_cache(maxsize=1024)
def reference_views(module, actions: tuple[str, ...]) -> dict[int, list]:
    """Per player, the (observation, action) pairs the reference shows it along
    ``actions``: the very objects its ``get_observations`` returned."""
    state = module.get_initial_state()
    views: dict[int, list] = {}
    for action in actions:
        player = module.get_current_player(state)
        if player >= 0:
            views.setdefault(player, []).append((module.get_observations(state)[player],
                                                 action))
        state = module.apply_action(state, action)
    return views


@functools.lru_cache(maxsize=16)
def reference_tree(module, tree: tuple) -> tuple[dict, ...]:
    """The reference's snapshot of every node of an exploration tree."""
    states: list = []
    out = []
    for parent, action in tree:
        state = module.get_initial_state() if parent < 0 else \
            module.apply_action(states[parent], action)
        states.append(state)
        out.append(reference_snapshot(module, state))
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _reference_pool(module, seed: int, count: int, max_length: int) -> tuple:
    rng = random.Random(seed)
    pool = []
    for _ in range(count):
        state = module.get_initial_state()
        actions: list[str] = []
        while module.get_current_player(state) != TERMINAL_PLAYER and len(actions) < max_length:
            action = rng.choice(module.get_legal_actions(state))
            state = module.apply_action(state, action)
            actions.append(action)
        pool.append(tuple(actions))
    return tuple(pool)


def reference_trajectories(module, count: int, rng: random.Random, max_length: int,
                           pool_size: int = 256) -> list[tuple[str, ...]]:
    """``count`` random reference trajectories, drawn by ``rng`` from a cached pool.

    The pool is fixed per game (the reference is deterministic and so is its seed), so
    verifying many programs of one game plays the reference only once.
    """
    pool = _reference_pool(module, 0xC0FFEE, max(pool_size, count), max_length)
    return rng.sample(list(pool), count)


# --------------------------------------------------------------------------- verdicts


def shrink(actions: Sequence[str], fails: Callable[[list[list[str]]], int | None],
           *, budget: int) -> list[str]:
    """Shorten a failing action sequence by deleting chunks while it still fails.

    ``actions`` already ends where the failure first shows (a playout, a replay and a
    lockstep all stop there), so only deletions inside it can shorten it.
    ``fails(candidates)`` gets a batch of sequences and returns the index of the first
    one that still shows the failure (or None): one sandbox round trip per batch.
    """
    current = list(actions)
    spent = 0
    chunk = max(1, len(current) // 2)
    while chunk >= 1 and spent < budget and current:
        variants = [current[:i] + current[i + chunk:] for i in range(0, len(current), chunk)]
        spent += 1
        hit = fails(variants)
        if hit is not None:
            current = variants[hit]
            chunk = min(chunk, max(1, len(current) // 2))
        elif chunk == 1:
            break
        else:
            chunk //= 2
    return current


def outcome(name: str, trials: int, failures: list[tuple[Sequence[str], str, str | None,
                                                          str | None]],
            *, ok_message: str, counterexample: Counterexample | None = None) -> CheckOutcome:
    """A check outcome from its failures ``(actions, message, expected, actual)``; the
    counterexample is the shortest failure unless one (already shrunk) is given."""
    if not failures:
        return CheckOutcome(name, True, ok_message, trials, 0)
    if counterexample is None:
        actions, message, expected, actual = min(failures, key=lambda f: len(f[0]))
        counterexample = Counterexample(list(actions), message, expected, actual)
    return CheckOutcome(name, False, counterexample.message, trials, len(failures),
                        counterexample)


def tier(name: str, checks: list[CheckOutcome], *, score: float | None = None,
         metrics: dict | None = None) -> TierResult:
    """A tier whose score is the mean of its checks' scores unless given; below 1.0
    whenever a check failed, however small its share."""
    if score is None:
        score = sum(c.score for c in checks) / len(checks) if checks else 1.0
    score = round(score, 6)
    if score >= 1.0 and not all(c.passed for c in checks):
        score = MAX_IMPERFECT
    return TierResult(name, score, checks, None, metrics or {})


def encode(wire) -> str:
    """The canonical text of a wire value: equal by value, equal texts."""
    return canonical_json(wire)
