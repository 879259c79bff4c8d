"""The Starlette app of ``cwmkit serve`` (:func:`create_app`) and its uvicorn runner.

The lifespan starts one :class:`~cwmkit.verify.verifier.Verifier` (one sandbox zygote,
``verify.workers`` programs at once) when the server starts and stops it when the server
stops; every request is verified by it. Answers: 200 with the result; 400 for a body
that is not JSON; 413 for one over the size limit; 422 for one that is JSON but not a
request (the message names the field and the hint says how to fix it), or that names a
game that is not registered; 503 when the queue is full or the sandbox failed (retry);
504 when a request ran out of time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time

from cwmkit.core.errors import CwmkitError, MissingExtraError
from cwmkit.integrations._reward import VerifierUnavailable, ajudge, item_values, tier_names
from cwmkit.integrations.openrlhf import response_of, reward_payload
from cwmkit.rewards import extract_code
from cwmkit.serve.bodies import GetRewardBody, RewardBody, VerifyBody, parse_body
from cwmkit.serve.cache import ReportCache
from cwmkit.serve.config import ServeConfig
from cwmkit.serve.limits import Gate, HTTPProblem, read_json
from cwmkit.serve.metrics import Metrics

__all__ = ["create_app", "serve"]

log = logging.getLogger("cwmkit.serve")


class _State:
    """What the lifespan starts and every request shares."""

    def __init__(self, config: ServeConfig, verifier, isolation: dict) -> None:
        from cwmkit.rewards import VerifierReward

        self.config = config
        self.verifier = verifier
        self.isolation = isolation
        self.cache = ReportCache(verifier, config.cache_size)
        self.reward = VerifierReward(config.shaper, verifier=self.cache)
        self.gate = Gate(config.max_concurrency, config.max_queue)
        self.metrics = Metrics()
        self.tiers = tier_names(verifier.host)

    def known_games(self, games) -> None:
        for game in set(games):
            self.verifier.resolve_game(game)

    def admit(self, codes, games):
        """A place at the gate for a request whose programs need the sandbox; a request
        the cache answers whole goes straight through (it costs no verification)."""
        by_game: dict = {}
        for code, game in zip(codes, games, strict=True):
            if code is not None:
                by_game.setdefault(game, []).append(code)
        if all(self.cache.knows(sources, game) for game, sources in by_game.items()):
            return contextlib.nullcontext()
        return self.gate.admit()


def _finite(value):
    return None if isinstance(value, float) and math.isnan(value) else value


async def _verify(state: _State, body: VerifyBody) -> dict:
    game = state.verifier.resolve_game(body.game)
    async with state.admit(body.programs, [game] * body.items):
        reports = await state.cache.averify_many(body.programs, game=game)
        for _ in range(state.config.retries):
            failed = [i for i, r in enumerate(reports) if r.status == "infra_error"]
            if not failed:
                break
            again = await state.cache.averify_many([body.programs[i] for i in failed],
                                                   game=game)
            for i, report in zip(failed, again, strict=True):
                reports[i] = report
    state.metrics.verdicts(r.status for r in reports)
    return {"id": body.id, "game": game.name, "reports": [r.to_dict() for r in reports]}


async def _reward(state: _State, body: RewardBody) -> dict:
    games = body.game_ids
    state.known_games(games)
    completions = list(body.completions)
    async with state.admit([extract_code(c) for c in completions], games):
        judged = await ajudge(state.reward, completions, games,
                              retries=state.config.retries, unavailable=False)
    statuses = ["no_code" if report is None else report.status for _, report in judged]
    state.metrics.verdicts(statuses)
    values = [item_values(report, state.tiers) for _, report in judged]
    return {"id": body.id, "rewards": [reward for reward, _ in judged], "statuses": statuses,
            "verified": [bool(v["verified"]) for v in values],
            "tiers": {name: [_finite(v[f"tier/{name}"]) for v in values]
                      for name in state.tiers}}


async def _get_reward(state: _State, body: GetRewardBody) -> dict:
    games = list(body.labels)
    state.known_games(games)
    responses = [response_of(q, p) for q, p in zip(body.query, body.prompts, strict=True)]
    async with state.admit([extract_code(r) for r in responses], games):
        judged = await ajudge(state.reward, responses, games, retries=state.config.retries)
    state.metrics.verdicts("no_code" if report is None else report.status
                           for _, report in judged)
    return reward_payload(judged)


def _problem(status: int, message: str, hint: str | None = None) -> dict:
    return {"error": message, "hint": hint, "status": status}


def _endpoint(path: str, work, body_class):
    from starlette.responses import JSONResponse

    async def handle(request):
        state: _State = request.app.state.cwmkit
        began = time.perf_counter()
        items, headers = 0, {}
        try:
            body = parse_body(body_class, await read_json(request, state.config.max_body_bytes))
            items = body.items
            if items > state.config.max_items:
                raise HTTPProblem(413, f"{items} items in one request; this server takes at "
                                  f"most {state.config.max_items}",
                                  hint="split the request, or raise --max-items")
            async with asyncio.timeout(state.config.request_timeout):
                status, payload = 200, await work(state, body)
        except HTTPProblem as exc:
            status, payload, headers = exc.status, _problem(exc.status, exc.message,
                                                            exc.hint), exc.headers
        except VerifierUnavailable as exc:
            log.warning("%s: %s", path, exc.message)
            status, payload, headers = 503, _problem(503, exc.message, exc.hint), \
                {"Retry-After": "1"}
        except CwmkitError as exc:
            status, payload = 422, _problem(422, exc.message, exc.hint)
        except TimeoutError:
            status, payload = 504, _problem(
                504, f"the request took longer than {state.config.request_timeout:g} s",
                "its programs are still verified and kept: the same request again is "
                "answered sooner; or send smaller requests")
        except Exception as exc:  # noqa: BLE001 - a bug of ours: a 500 that says so, and on
            log.exception("%s failed", path)
            status, payload = 500, _problem(500, f"internal error: {type(exc).__name__}: {exc}")
        state.metrics.observe(path, status, time.perf_counter() - began, items)
        return JSONResponse(payload, status_code=status, headers=headers)

    return handle


async def _health(request):
    from starlette.responses import JSONResponse

    state: _State = request.app.state.cwmkit
    try:
        # A sandbox that died is started again here: health says whether it is up now.
        state.isolation = await asyncio.to_thread(state.verifier.start)
    except Exception as exc:  # noqa: BLE001 - any failure to start is "unhealthy"
        return JSONResponse(_problem(503, f"the sandbox does not start: {exc}"), 503)
    return JSONResponse({"status": "ok", "isolation": state.isolation,
                         "games": len(state.verifier.host.registry("games")),
                         "workers": state.verifier.settings.workers,
                         "uptime_seconds": round(time.monotonic() - state.metrics.started, 3)})


async def _metrics(request):
    from starlette.responses import JSONResponse

    state: _State = request.app.state.cwmkit
    config = state.config
    return JSONResponse({**state.metrics.snapshot(),
                         "in_flight": state.gate.active, "queued": state.gate.waiting,
                         "cache": state.cache.stats(),
                         "limits": {"max_concurrency": config.max_concurrency,
                                    "max_queue": config.max_queue,
                                    "request_timeout": config.request_timeout,
                                    "max_body_bytes": config.max_body_bytes,
                                    "max_items": config.max_items,
                                    "workers": state.verifier.settings.workers}})


def create_app(config: ServeConfig | dict | None = None):
    """The reward server's ASGI app; its lifespan owns the verifier."""
    try:
        from starlette.applications import Starlette
        from starlette.exceptions import HTTPException
        from starlette.responses import JSONResponse
        from starlette.routing import Route
    except ImportError:
        raise MissingExtraError("starlette", "serve", "cwmkit serve") from None
    if not isinstance(config, ServeConfig):
        config = ServeConfig.from_dict(config)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        from cwmkit.verify.verifier import Verifier

        verifier = Verifier(config.verify)
        try:
            isolation = await asyncio.to_thread(verifier.start)
            app.state.cwmkit = _State(config, verifier, isolation)
            log.info("verifier started: %d workers, isolation %s",
                     verifier.settings.workers, isolation)
            yield
        finally:
            await asyncio.to_thread(verifier.close)

    async def http_problem(request, exc: HTTPException):
        return JSONResponse(_problem(exc.status_code, f"{request.method} {request.url.path}: "
                                     f"{exc.detail}", "endpoints: POST /verify, /reward, "
                                     "/get_reward; GET /health, /metrics"),
                            status_code=exc.status_code)

    routes = [Route("/verify", _endpoint("/verify", _verify, VerifyBody), methods=["POST"]),
              Route("/reward", _endpoint("/reward", _reward, RewardBody), methods=["POST"]),
              Route("/get_reward", _endpoint("/get_reward", _get_reward, GetRewardBody),
                    methods=["POST"]),
              Route("/health", _health, methods=["GET"]),
              Route("/metrics", _metrics, methods=["GET"])]
    return Starlette(routes=routes, lifespan=lifespan,
                     exception_handlers={HTTPException: http_problem})


def serve(config: ServeConfig | dict | None = None) -> None:
    """Run the reward server until it is stopped (Ctrl-C, SIGTERM)."""
    try:
        import uvicorn
    except ImportError:
        raise MissingExtraError("uvicorn", "serve", "cwmkit serve") from None
    if not isinstance(config, ServeConfig):
        config = ServeConfig.from_dict(config)
    app = create_app(config)
    uvicorn.run(app, host=config.host, port=config.port, log_level=config.log_level,
                access_log=False, lifespan="on", timeout_keep_alive=30)
