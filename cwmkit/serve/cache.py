"""Each program verified once per game: the server's report cache.

A verdict is deterministic (seeds come from the program, limits are CPU time and
counts), so the report of a program the server has seen for a game is the report it
would compute again. Trainers sharing a server send the same programs often: every
group of a converged policy, every retried request. :class:`ReportCache` stands in for
the :class:`~cwmkit.verify.verifier.Verifier` under the reward: a program already
verified is answered from memory, one being verified is awaited rather than verified
twice, and a verification runs to its end (and is kept) even when the request that
asked for it gave up. Infrastructure failures are never kept.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import OrderedDict

__all__ = ["ReportCache"]


class ReportCache:
    """The async verifier interface the reward uses, over ``verifier``, with ``size``
    reports kept (least recently used out first; 0 keeps none)."""

    def __init__(self, verifier, size: int) -> None:
        self.verifier = verifier
        self.settings = verifier.settings
        self.size = size
        self._reports: OrderedDict = OrderedDict()
        self._pending: dict = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.joined = 0
        self.verified = 0

    def start(self) -> dict:
        return self.verifier.start()

    def resolve_game(self, game):
        return self.verifier.resolve_game(game)

    def __len__(self) -> int:
        return len(self._reports)

    @staticmethod
    def _key(source: str, game) -> tuple[str, str]:
        return game.name, hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()

    def knows(self, sources, game) -> bool:
        """Whether every one of ``sources`` has its report kept for ``game``."""
        game = self.resolve_game(game)
        with self._lock:
            return all(self._key(source, game) in self._reports for source in sources)

    def _future(self, source: str, game) -> asyncio.Future:
        key = self._key(source, game)
        with self._lock:
            report = self._reports.get(key)
            if report is not None:
                self._reports.move_to_end(key)
                self.hits += 1
                done = asyncio.get_running_loop().create_future()
                done.set_result(report)
                return done
            pending = self._pending.get(key)
            if pending is not None:
                self.joined += 1
                return pending
            self.verified += 1
            future = asyncio.wrap_future(self.verifier.submit(source, game=game))
            self._pending[key] = future
        future.add_done_callback(lambda f: self._settle(key, f))
        return future

    def _settle(self, key, future) -> None:
        with self._lock:
            self._pending.pop(key, None)
            if future.cancelled() or future.exception() is not None or self.size == 0:
                return
            report = future.result()
            if report.status == "infra_error":
                return
            self._reports[key] = report
            while len(self._reports) > self.size:
                self._reports.popitem(last=False)

    async def averify_many(self, sources, *, game=None, info=None, players=None) -> list:
        """The reports of ``sources`` for ``game``, in order."""
        game = self.resolve_game(game)
        futures = [self._future(source, game) for source in sources]
        # Shielded: a request that times out leaves the verification running for the next.
        return list(await asyncio.gather(*(asyncio.shield(f) for f in futures)))

    def stats(self) -> dict:
        with self._lock:
            return {"verified": self.verified, "cached": self.hits, "joined": self.joined,
                    "kept": len(self._reports), "capacity": self.size,
                    "verifying": len(self._pending)}
