"""Where a search runs: in this process over a trusted program, or in the sandbox over a
candidate. Both answer ``decide(request)`` with what ``cwmkit.sandbox.decide`` returns
(the chosen action and root statistics) or raise :class:`PlanFailure`.

Root parallelism: ``workers`` independent searches of ``simulations / workers`` each,
their root statistics added up (``search.merge``): over forked processes for a trusted
program, over that many sandboxed children for a candidate (a child may not fork).
"""

from __future__ import annotations

import math
import multiprocessing
import random
import threading
from concurrent.futures import ThreadPoolExecutor

from cwmkit.core.errors import ConfigError
from cwmkit.sandbox import policy
from cwmkit.sandbox.client import SandboxError, SandboxFailure, Zygote, missing_isolation
from cwmkit.sandbox.decide import decide
from cwmkit.sandbox.plain import NotPlainError, to_wire
from cwmkit.sandbox.search import Program, SearchFailure, merge
from cwmkit.verify.settings import VerifySettings

__all__ = ["LocalPlanner", "PlanFailure", "SandboxPlanner", "split"]

#: Seeds of the workers of one decision lie this far apart.
_SEED_STRIDE = 0x9E3779B1


class PlanFailure(Exception):
    """No action could be chosen with this program here (``kind`` says why: ``lost``,
    ``no_world``, ``timeout``, ``crashed``, ``not_loaded``, ...)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


def split(request: dict, workers: int) -> list[dict]:
    """``request`` as ``workers`` searches of an equal share of its simulations, each
    with its own seed."""
    sims = int(request.get("simulations", 1000))
    share = max(1, math.ceil(sims / workers))
    seed = int(request.get("seed", 0))
    return [{**request, "simulations": share, "seed": seed + i * _SEED_STRIDE}
            for i in range(min(workers, sims))]


# --------------------------------------------------------------------------- in process

_PROGRAMS: dict[int, Program] = {}


def _local_decide(program: Program, request: dict) -> dict:
    # A reference samples worlds with the global random module: seed it per decision
    # and leave the caller's random state as it was.
    saved = random.getstate()
    try:
        return decide(program, request, seed_global=random.seed)
    finally:
        random.setstate(saved)


def _worker(job: tuple[int, dict]) -> dict | tuple[str, str]:
    token, request = job
    try:
        return _local_decide(_PROGRAMS[token], request)
    except SearchFailure as exc:
        return (exc.kind, exc.message)


class LocalPlanner:
    """Searches with a trusted GameCWM module (a reference, a bridged OpenSpiel game)
    in this process, its transitions memoized (``memo_states`` of them at most; 0 turns
    that off), over ``workers`` forked processes when more than one."""

    def __init__(self, module, *, workers: int = 1, memo_states: int = 100_000) -> None:
        program = Program.from_module(module)
        self.program = program.memoized(memo_states) if memo_states else program
        self.workers = max(1, int(workers))
        self._pool = None
        self._token = id(self)

    def decide(self, request: dict) -> dict:
        if self.workers == 1:
            try:
                return _local_decide(self.program, request)
            except SearchFailure as exc:
                raise PlanFailure(exc.kind, exc.message) from None
        if self._pool is None:
            _PROGRAMS[self._token] = self.program
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
        results = self._pool.map(_worker, [(self._token, r)
                                           for r in split(request, self.workers)])
        good = [r for r in results if isinstance(r, dict)]
        if not good:
            raise PlanFailure(*results[0])
        return merge(good)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            _PROGRAMS.pop(self._token, None)

    def __enter__(self) -> LocalPlanner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --------------------------------------------------------------------------- sandboxed


def _wire_request(request: dict) -> dict:
    if "view" not in request:
        return request
    try:
        return {**request, "view": [[to_wire(o), a] for o, a in request["view"]],
                "observation": to_wire(request["observation"])}
    except NotPlainError as exc:
        raise PlanFailure("bad_view", f"the player's view is not plain data: {exc}") from None


class SandboxPlanner:
    """Searches with an untrusted program inside ``workers`` sandboxed children (each
    loads the program once and keeps it for every decision).

    The static policy is checked first and the sandbox's isolation required (unless
    ``settings.allow_unisolated``); ``cpu_seconds`` is each child's whole CPU allowance
    and ``move_cpu_seconds`` caps one decision's search. Once a child dies (out of CPU,
    crashed) every later decision fails at once: the program is out of the game.
    """

    def __init__(self, source: str, *, players: int, settings: VerifySettings | None = None,
                 zygote: Zygote | None = None, workers: int = 1, cpu_seconds: float = 600.0,
                 move_cpu_seconds: float | None = 30.0, seed: int = 0) -> None:
        self.source = source
        self.players = int(players)
        self.settings = settings or VerifySettings()
        self._own_zygote = zygote is None
        self.zygote = zygote or Zygote()
        self.workers = max(1, int(workers))
        self.cpu_seconds = float(cpu_seconds)
        self.move_cpu_seconds = move_cpu_seconds
        self.seed = int(seed)
        self.sessions: list = []
        self.failure: PlanFailure | None = None
        self._lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None

    # ------------------------------------------------------------------ sessions

    def _open(self) -> None:
        static = policy.analyse(self.source)
        if static.syntax_error:
            raise PlanFailure("compile_error", static.syntax_error)
        if static.violations:
            raise PlanFailure("policy_violation", str(static.violations[0])[:300])
        missing = missing_isolation(self.zygote.ensure_started())
        if missing and not self.settings.allow_unisolated:
            raise ConfigError("the sandbox cannot isolate untrusted code here (no "
                              + ", ".join(m.replace("_", " ") for m in missing) + ")",
                              hint="'cwmkit doctor' shows what the OS refuses; "
                                   "allow_unisolated=True runs programs without it")
        limits = {**self.settings.child_limits(), "cpu_seconds": int(self.cpu_seconds) + 1}
        for i in range(self.workers):
            session = self.zygote.spawn(limits)
            self.sessions.append(session)
            loaded = session.request({"op": "load", "source": self.source, "settings": {
                **self.settings.child_settings(), "seed": self.seed + i}},
                wall_seconds=self.settings.wall_backstop_seconds)
            if loaded.get("status") != "ok":
                raise PlanFailure(loaded.get("status", "crashed"),
                                  str(loaded.get("message", "the program did not load")))

    def _ensure(self) -> None:
        with self._lock:
            if self.failure is not None:
                raise self.failure
            if not self.sessions:
                try:
                    self._open()
                except PlanFailure as exc:
                    self.failure = exc
                    self._close_sessions()
                    raise
                except SandboxFailure:
                    self._close_sessions()
                    raise
                except SandboxError as exc:
                    self.failure = PlanFailure("crashed", f"the program did not load: {exc}")
                    self._close_sessions()
                    raise self.failure from None

    def _ask(self, session, request: dict) -> dict:
        wall = self.settings.wall_backstop_seconds + (self.move_cpu_seconds or 0) * 4
        reply = session.request({"op": "plan", "players": self.players,
                                 "decisions": [request]}, wall_seconds=wall)
        return reply["results"][0]

    def decide(self, request: dict) -> dict:
        self._ensure()
        request = _wire_request({**request, "cpu_seconds": self.move_cpu_seconds})
        parts = split(request, len(self.sessions))
        try:
            if len(parts) == 1:
                results = [self._ask(self.sessions[0], parts[0])]
            else:
                if self._threads is None:
                    self._threads = ThreadPoolExecutor(len(self.sessions))
                results = list(self._threads.map(self._ask, self.sessions, parts))
        except SandboxFailure:
            raise
        except SandboxError as exc:
            timed_out = getattr(exc, "timed_out", False)
            self.failure = PlanFailure("timeout" if timed_out else "crashed",
                                       f"the program's process ended: {exc}")
            self._close_sessions()
            raise self.failure from None
        good = [r for r in results if "failure" not in r]
        if not good:
            failure = results[0]["failure"]
            if failure.get("kind") == "timeout":
                self.failure = PlanFailure("timeout", failure.get("message", ""))
            raise PlanFailure(failure.get("kind", "failed"), failure.get("message", ""))
        return good[0] if len(good) == 1 else merge(good)

    def _close_sessions(self) -> None:
        for session in self.sessions:
            session.close()
        self.sessions = []

    def close(self) -> None:
        if self._threads is not None:
            self._threads.shutdown(wait=True)
            self._threads = None
        self._close_sessions()
        if self._own_zygote:
            self.zygote.close()

    def __enter__(self) -> SandboxPlanner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
