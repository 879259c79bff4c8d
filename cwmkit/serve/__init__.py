"""The verifier as a network service: ``cwmkit serve``.

One process holds one :class:`~cwmkit.verify.verifier.Verifier` (started and stopped by
the app's lifespan) and answers many trainers: ``POST /verify`` (programs and a game ->
reports), ``POST /reward`` (completions and game ids -> rewards), ``POST /get_reward``
(OpenRLHF's remote reward protocol), ``GET /health`` and ``GET /metrics``.

- ``config``: :class:`ServeConfig`, the server's typed settings;
- ``bodies``: the typed request bodies, checked with messages that say how to fix them;
- ``limits``: admission (bounded concurrency and queue) and the body-size limit;
- ``cache``: verdicts are deterministic, so a program is verified once per game;
- ``metrics``: counts, latency percentiles and throughput;
- ``app``: the Starlette app (:func:`create_app`) and :func:`serve` on uvicorn;
- ``client``: a standard-library client (:class:`ServeClient`) and :class:`RemoteReward`,
  a TRL reward function verified by one or more servers.

Starlette and uvicorn are the ``serve`` extra, imported only by ``app``.
"""

from cwmkit.serve.config import ServeConfig

__all__ = ["ServeConfig"]
