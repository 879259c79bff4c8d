"""The verifier: static analysis here, execution in the sandbox, verdicts here.

``verify(source, game=...)`` returns a :class:`VerificationReport`. A :class:`Verifier`
keeps one sandbox zygote and verifies many programs concurrently
(``verify_many``/``averify_many``); start it before importing torch or vLLM.

Untrusted code runs only where the sandbox is isolated (no network, a filesystem view of
the standard library and a private /tmp): elsewhere ``verify`` refuses with a clear
error unless ``allow_unisolated`` is set, and the report then says what was missing.
Each tier that asks the program anything gets a fresh sandboxed process (the dynamics
tier shares the one that loaded it), so no tier is answered from memories of another.
Seeds come from the program's normalised syntax tree: a comment, a docstring or a new
layout re-rolls nothing.
"""

from __future__ import annotations

import ast
import asyncio
import hashlib
import math
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from cwmkit.core.errors import ConfigError
from cwmkit.core.plugins import get_host
from cwmkit.sandbox import policy
from cwmkit.sandbox.allowlist import parse
from cwmkit.sandbox.client import (
    SandboxDied,
    SandboxFailure,
    SandboxTimeout,
    Zygote,
    missing_isolation,
)
from cwmkit.spec.games import Game
from cwmkit.verify.context import CandidateProxy, CheckContext
from cwmkit.verify.report import TierResult, VerificationReport, aggregate, is_verified
from cwmkit.verify.settings import VerifySettings

__all__ = ["Verifier", "default_verifier", "normalised_hash", "verify"]

#: What a report keeps of everything the program printed, in all its processes.
OUTPUT_CAP = 64 * 1024



def _checked_result(check, result) -> TierResult:
    """``result`` if it is what a check must return, else the tier marked broken."""
    if isinstance(result, TierResult):
        return result
    return TierResult.broken(check.name, f"run() returned {type(result).__name__}, "
                                         "not a TierResult")


def _applies(check, ctx) -> bool | TierResult:
    """Whether ``check`` applies; a broken tier when its ``applies`` raises."""
    try:
        return bool(check.applies(ctx))
    except Exception as exc:  # noqa: BLE001 - a broken check plugin, not the program
        return TierResult.broken(check.name, f"applies() raised {type(exc).__name__}: {exc}")


def program_hash(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def _is_text(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
        and isinstance(statement.value.value, str)


def normalised_hash(source: str) -> str:
    """SHA-256 of the program's syntax tree without docstrings (or any other statement
    that is only a string): comments, docstrings and layout do not change it, so they
    cannot re-roll the checks' seeds."""
    try:
        tree = parse(source)
        for node in ast.walk(tree):
            for name in ("body", "orelse", "finalbody"):
                body = getattr(node, name, None)
                if isinstance(body, list) and any(isinstance(s, ast.stmt) and _is_text(s)
                                                  for s in body):
                    kept = [s for s in body if not _is_text(s)]
                    setattr(node, name, kept or ([ast.Pass()] if name == "body" else []))
        text = ast.dump(tree, annotate_fields=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return program_hash(source)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


#: Tiers served by the process that loaded the program; every other tier that asks the
#: program anything gets a fresh process.
FIRST_PROCESS_TIERS = frozenset({"static", "dynamics"})


class _Processes:
    """The sandboxed processes of one program. ``first`` loaded it; ``fresh(tier)`` is a
    session that spawns and loads a new process on its first request, so that a tier
    asking about histories the program could have seen before (resampling, privacy,
    differential) asks a process that never saw them. CPU is one budget across all."""

    def __init__(self, verifier: Verifier, ctx: CheckContext, first) -> None:
        self.verifier = verifier
        self.ctx = ctx
        self.sessions = [first]
        self.output: list[str] = []

    @property
    def cpu_seconds(self) -> float:
        return sum(s.cpu_seconds for s in self.sessions)

    def limits(self) -> dict:
        settings = self.ctx.settings
        left = settings.session_cpu_seconds - self.cpu_seconds
        if left <= 0:
            raise SandboxDied({"error": {"kind": "timeout", "message": "the program's CPU "
                                         "budget is spent"}})
        return {**settings.child_limits(), "cpu_seconds": math.ceil(left)}

    def load(self, session, salt: str) -> dict:
        settings = {**self.ctx.settings.child_settings(),
                    "seed": self.ctx.child_seed(f"process:{salt}")}
        return session.request({"op": "load", "source": self.ctx.source,
                                "settings": settings},
                               wall_seconds=self.ctx.settings.wall_backstop_seconds)

    def fresh(self, tier: str) -> _FreshSession:
        return _FreshSession(self, tier)

    def collect(self, session) -> None:
        """Keep what ``session`` printed, then end it."""
        if not session.closed:
            try:
                self.output.append(session.request(
                    {"op": "output"}, wall_seconds=self.ctx.settings.wall_backstop_seconds
                ).get("output", ""))
            except (SandboxDied, SandboxTimeout):
                pass
        session.close()

    def close(self) -> None:
        for session in self.sessions:
            session.close()


class _FreshSession:
    """A session that starts its process (and loads the program) when first asked."""

    def __init__(self, processes: _Processes, tier: str) -> None:
        self.processes = processes
        self.tier = tier
        self.session = None

    @property
    def closed(self) -> bool:
        return self.session is None or self.session.closed

    def request(self, message: dict, *, wall_seconds: float) -> dict:
        if self.session is None:
            processes = self.processes
            self.session = processes.verifier.zygote.spawn(processes.limits())
            processes.sessions.append(self.session)
            loaded = processes.load(self.session, self.tier)
            if loaded.get("status") != "ok":  # loaded once, not twice: the program's doing
                kind = "timeout" if loaded.get("status") == "timeout" else "load"
                raise SandboxDied({"error": {"kind": kind, "message": "loading the program "
                                             f"again failed: {loaded.get('message', '')}"}})
        return self.session.request(message, wall_seconds=wall_seconds)

    def finish(self) -> None:
        if self.session is not None:
            self.processes.collect(self.session)


class Verifier:
    """Verifies programs against games. Thread-safe; one zygote, ``workers`` at once."""

    def __init__(self, settings: VerifySettings | dict | None = None, *, host=None,
                 isolate: bool = True) -> None:
        if isinstance(settings, dict) or settings is None:
            settings = VerifySettings.from_dict(settings)
        self.settings = settings
        self.host = host or get_host()
        self.zygote = Zygote(isolate=isolate)
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self) -> dict:
        """Start the sandbox now; returns which isolations are active."""
        return self.zygote.ensure_started()

    def _require_isolation(self) -> list[str]:
        """The isolations missing here; refuses to go on without them unless the
        verifier's own settings allow it (a game's spec cannot)."""
        missing = missing_isolation(self.zygote.ensure_started())
        if missing and not self.settings.allow_unisolated:
            raise ConfigError(
                "the sandbox cannot isolate untrusted code here (no "
                + ", ".join(m.replace("_", " ") for m in missing) + "), so programs are "
                "not run", hint="'cwmkit doctor' shows what the OS refuses; to run them "
                "anyway, without that isolation, pass --allow-unisolated (VerifySettings "
                "allow_unisolated=True); reports then record it")
        return missing

    # ------------------------------------------------------------------ one program

    def resolve_game(self, game: str | Game | None) -> Game | None:
        """The registered game ``game`` names (a clear error if none), or ``game`` itself."""
        if game is None or isinstance(game, Game):
            return game
        return self.host.get("games", game)

    def settings_for(self, spec) -> VerifySettings:
        """This verifier's settings with the game's own (its spec's ``verify`` line) applied."""
        if spec is None or not spec.verify:
            return self.settings
        changes = dict(spec.verify)
        try:
            VerifySettings.check_keys(changes)
            return self.settings.evolve(**changes)
        except ConfigError as exc:
            raise ConfigError(f"game '{spec.id}': its spec's verify line: {exc.message}",
                              hint=exc.hint) from None

    def _checks(self) -> list:
        return sorted(self.host.registry("checks").values(),
                      key=lambda c: (getattr(c, "order", 100), c.name))

    def verify(self, source: str, *, game: str | Game | None = None,
               info: str | None = None, players: int | None = None) -> VerificationReport:
        """Verify one program against ``game``, or (bare) against ``info``/``players``."""
        game = self.resolve_game(game)
        if game is None and info not in ("perfect", "imperfect"):
            raise ConfigError("a bare program needs --info perfect|imperfect (or a --game)",
                              hint="name a registered game, or say what kind of game it is")
        spec = game.spec if game else None
        imperfect = spec.imperfect if spec else info == "imperfect"
        settings = self.settings_for(spec)
        sha = program_hash(source)
        static = policy.analyse(source)
        seed = int(normalised_hash(source)[:16], 16)
        ctx = CheckContext(
            source=source, spec=spec, players=spec.players if spec else players,
            imperfect=imperfect,
            max_length=spec.max_length if spec else settings.default_max_length,
            settings=settings, seed=seed, static=static,
            reference=game.reference() if game and game.reference_path else None,
            game_id=spec.id if spec else None)
        checks = self._checks()
        base = {"program_sha256": sha, "game": ctx.game_id}
        if static.syntax_error or static.violations:
            status = "compile_error" if static.syntax_error else "policy_violation"
            tiers = self._only_static(checks, ctx, "not run: the program "
                                      + ("does not parse" if static.syntax_error
                                         else "breaks the import and construct policy"))
            message = tiers["static"].checks[-1].message
            return VerificationReport(status, aggregate(tiers, status), tiers, message=message,
                                      **base)
        try:
            missing = self._require_isolation()
            session = self.zygote.spawn(settings.child_limits())
        except SandboxFailure as exc:
            return self._infra(base, str(exc))
        processes = _Processes(self, ctx, session)
        try:
            return self._run(processes, ctx, checks, base, missing)
        finally:
            processes.close()

    def _only_static(self, checks, ctx, why: str) -> dict[str, TierResult]:
        tiers = {}
        for check in checks:
            if check.name == "static":
                tiers["static"] = check.run(ctx)
            elif (applies := _applies(check, ctx)) is True:
                tiers[check.name] = TierResult(check.name, 0.0, (), why)
            else:
                tiers[check.name] = applies or TierResult.not_applicable(check.name)
        return tiers

    def _infra(self, base: dict, message: str) -> VerificationReport:
        return VerificationReport("infra_error", None, {}, message=f"sandbox failure: {message}",
                                  **base)

    def _run(self, processes: _Processes, ctx: CheckContext, checks, base: dict,
             missing: list[str]) -> VerificationReport:
        sandbox = {"isolation": dict(self.zygote.isolation)}
        if missing:
            sandbox["unisolated"] = list(missing)
        session = processes.sessions[0]
        try:
            loaded = processes.load(session, "first")
        except SandboxDied as exc:
            status = "timeout" if exc.timed_out else "crashed"
            return self._stopped(checks, ctx, base, status,
                                 f"the program {'ran out of CPU time' if exc.timed_out else 'died'}"
                                 " while loading", sandbox)
        except SandboxTimeout as exc:
            return self._stopped(checks, ctx, base, "timeout", str(exc), sandbox)
        except SandboxFailure as exc:
            return self._infra(base, str(exc))
        sandbox.update(session.info)
        if loaded.get("status") != "ok":
            return self._stopped(checks, ctx, base, loaded.get("status", "crashed"),
                                 loaded.get("message", ""), sandbox)
        ctx.functions = loaded.get("functions", {})
        first = CandidateProxy(session, ctx.settings, ctx.players, perfect=not ctx.imperfect)
        tiers: dict[str, TierResult] = {}
        status, message, not_a_game = "ok", "", ""
        for check in checks:
            applies = _applies(check, ctx)
            if applies is not True:
                tiers[check.name] = applies or TierResult.not_applicable(check.name)
                continue
            if status != "ok":
                tiers[check.name] = TierResult(check.name, 0.0, (), f"not run: {message}")
                continue
            if not_a_game:
                # A program must be a game before it earns runtime credit.
                tiers[check.name] = TierResult(check.name, 0.0, (), "not run: the program "
                                               f"is not a game ({not_a_game})")
                continue
            fresh = None
            if check.name in FIRST_PROCESS_TIERS:
                ctx.candidate = first
            else:
                fresh = processes.fresh(check.name)
                ctx.candidate = CandidateProxy(fresh, ctx.settings, ctx.players,
                                               perfect=not ctx.imperfect)
            try:
                tiers[check.name] = _checked_result(check, check.run(ctx))
            except SandboxDied as exc:
                status = "timeout" if exc.timed_out else "crashed"
                message = (f"the program ran out of CPU time in the {check.name} tier"
                           if exc.timed_out else f"the program's process died in the "
                           f"{check.name} tier ({exc.status})")
                tiers[check.name] = TierResult(check.name, 0.0, (), f"not finished: {message}")
            except SandboxTimeout as exc:
                status, message = "timeout", f"{check.name} tier: {exc}"
                tiers[check.name] = TierResult(check.name, 0.0, (), f"not finished: {message}")
            except SandboxFailure as exc:
                return self._infra(base, str(exc))
            except Exception as exc:  # noqa: BLE001 - a broken check plugin, not the program
                tiers[check.name] = TierResult.broken(
                    check.name, f"{type(exc).__name__}: {exc}")
            finally:
                if fresh is not None:
                    fresh.finish()
            not_a_game = not_a_game or tiers[check.name].metrics.get("not_a_game", "")
        ctx.candidate = first
        timeouts = [r["faults"]["timeout"] for r in ctx.cache.get("playouts", ())
                    if "timeout" in r.get("faults", {})]
        if status == "ok" and timeouts:
            status, message = "timeout", timeouts[0]["message"]
        processes.collect(session)
        output = "".join(processes.output)
        if len(output) > OUTPUT_CAP:
            output = output[:OUTPUT_CAP] + "\n[output truncated]"
        if not_a_game and not message:
            message = f"not a game: {not_a_game}"
        return VerificationReport(status, aggregate(tiers, status), tiers, message=message,
                                  sandbox=sandbox, cpu_seconds=round(processes.cpu_seconds, 4),
                                  output=output, verified=is_verified(tiers, status), **base)

    def _stopped(self, checks, ctx, base, status, message, sandbox) -> VerificationReport:
        tiers = self._only_static(checks, ctx, f"not run: {message}")
        return VerificationReport(status, aggregate(tiers, status), tiers, message=message,
                                  sandbox=sandbox, **base)

    # ------------------------------------------------------------------ many programs

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.settings.workers,
                                                    thread_name_prefix="cwmkit-verify")
            return self._executor

    def submit(self, source: str, *, game: str | Game | None = None, info: str | None = None,
               players: int | None = None) -> Future:
        """Verify ``source`` on the worker pool; the future's result is its report."""
        return self._pool().submit(self.verify, source, game=game, info=info, players=players)

    def verify_many(self, sources: Sequence[str], *, game: str | Game | None = None,
                    info: str | None = None, players: int | None = None
                    ) -> list[VerificationReport]:
        """Verify programs concurrently over ``settings.workers`` sandboxes; the reports
        come back in order and do not depend on the number of workers."""
        game = self.resolve_game(game)
        futures = [self.submit(s, game=game, info=info, players=players) for s in sources]
        return [f.result() for f in futures]

    async def averify_many(self, sources: Iterable[str], *, game: str | Game | None = None,
                           info: str | None = None, players: int | None = None
                           ) -> list[VerificationReport]:
        """``verify_many`` for async callers (the GRPO reward overlaps it with training)."""
        loop = asyncio.get_running_loop()
        game = self.resolve_game(game)
        tasks = [loop.run_in_executor(self._pool(), lambda s=s: self.verify(
            s, game=game, info=info, players=players)) for s in sources]
        return list(await asyncio.gather(*tasks))

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
                self._executor = None
        self.zygote.close()

    def __enter__(self) -> Verifier:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_DEFAULT: Verifier | None = None
_DEFAULT_LOCK = threading.Lock()


def default_verifier() -> Verifier:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Verifier()
        return _DEFAULT


def verify(source: str, game: str | Game | None = None, settings: VerifySettings | dict |
           None = None, *, info: str | None = None, players: int | None = None
           ) -> VerificationReport:
    """Verify one program. Without ``settings`` a shared verifier (and sandbox) is used."""
    if settings is None:
        return default_verifier().verify(source, game=game, info=info, players=players)
    with Verifier(settings) as verifier:
        return verifier.verify(source, game=game, info=info, players=players)
