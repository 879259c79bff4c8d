"""The verifier: static analysis here, execution in the sandbox, verdicts here.

``verify(source, game=...)`` returns a :class:`VerificationReport`. A :class:`Verifier`
keeps one sandbox zygote and verifies many programs concurrently
(``verify_many``/``averify_many``); start it before importing torch or vLLM.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from cwmkit.core.errors import ConfigError
from cwmkit.core.plugins import get_host
from cwmkit.sandbox import policy
from cwmkit.sandbox.client import SandboxDied, SandboxFailure, SandboxTimeout, Zygote
from cwmkit.spec.games import Game
from cwmkit.verify.context import CandidateProxy, CheckContext
from cwmkit.verify.report import TierResult, VerificationReport, aggregate, is_verified
from cwmkit.verify.settings import VerifySettings

__all__ = ["Verifier", "default_verifier", "verify"]



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
        ctx = CheckContext(
            source=source, spec=spec, players=spec.players if spec else players,
            imperfect=imperfect,
            max_length=spec.max_length if spec else settings.default_max_length,
            settings=settings, seed=int(sha[:16], 16), static=static,
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
            session = self.zygote.spawn(settings.child_limits())
        except SandboxFailure as exc:
            return self._infra(base, str(exc))
        try:
            return self._run(session, ctx, checks, base)
        finally:
            session.close()

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

    def _run(self, session, ctx: CheckContext, checks, base: dict) -> VerificationReport:
        sandbox = {"isolation": dict(self.zygote.isolation)}
        try:
            loaded = session.request({"op": "load", "source": ctx.source,
                                      "settings": ctx.settings.child_settings()},
                                     wall_seconds=ctx.settings.wall_backstop_seconds)
        except SandboxDied as exc:
            status = "timeout" if exc.timed_out else "crashed"
            return self._stopped(checks, ctx, base, status,
                                 f"the program {'ran out of CPU time' if exc.timed_out else 'died'}"
                                 " while loading", sandbox)
        except SandboxTimeout as exc:
            return self._stopped(checks, ctx, base, "timeout", str(exc), sandbox)
        except SandboxFailure as exc:
            return self._infra(base, str(exc))
        if "setup_error" in loaded:
            return self._infra(base, loaded["setup_error"])
        sandbox.update(loaded.get("sandbox", {}))
        if loaded.get("status") != "ok":
            return self._stopped(checks, ctx, base, loaded.get("status", "crashed"),
                                 loaded.get("message", ""), sandbox)
        ctx.functions = loaded.get("functions", {})
        ctx.candidate = CandidateProxy(session, ctx.settings, ctx.players,
                                       perfect=not ctx.imperfect)
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
            not_a_game = not_a_game or tiers[check.name].metrics.get("not_a_game", "")
        timeouts = [r["faults"]["timeout"] for r in ctx.cache.get("playouts", ())
                    if "timeout" in r.get("faults", {})]
        if status == "ok" and timeouts:
            status, message = "timeout", timeouts[0]["message"]
        output = ""
        if not session.closed:
            try:
                output = session.request({"op": "output"},
                                         wall_seconds=ctx.settings.wall_backstop_seconds
                                         ).get("output", "")
            except (SandboxDied, SandboxTimeout):
                pass
        if not_a_game and not message:
            message = f"not a game: {not_a_game}"
        return VerificationReport(status, aggregate(tiers, status), tiers, message=message,
                                  sandbox=sandbox, cpu_seconds=round(session.cpu_seconds, 4),
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
