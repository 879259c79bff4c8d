"""The reward server's own numbers: requests by answer, latency, throughput, verdicts."""

from __future__ import annotations

import time
from collections import Counter, defaultdict, deque

__all__ = ["Metrics", "percentile"]

#: Latencies kept per endpoint for the percentiles (the most recent ones).
WINDOW = 4096
#: Seconds over which the recent throughput is measured.
RECENT = 60.0


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Metrics:
    """Counters the handlers feed; :meth:`snapshot` is what ``GET /metrics`` shows."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.answers: dict[str, Counter] = defaultdict(Counter)
        self.latency: dict[str, deque] = defaultdict(lambda: deque(maxlen=WINDOW))
        self.statuses: Counter = Counter()
        self.items = 0
        self.requests = 0
        self._recent: deque = deque()

    def observe(self, path: str, status: int, seconds: float, items: int = 0) -> None:
        """One answered request: its endpoint, HTTP status, time taken and item count."""
        now = time.monotonic()
        self.answers[path][str(status)] += 1
        self.requests += 1
        if status == 200:
            self.latency[path].append(seconds)
            self.items += items
            self._recent.append((now, items))
        while self._recent and self._recent[0][0] < now - RECENT:
            self._recent.popleft()

    def verdicts(self, statuses) -> None:
        self.statuses.update(statuses)

    def snapshot(self) -> dict:
        now = time.monotonic()
        uptime = now - self.started
        while self._recent and self._recent[0][0] < now - RECENT:
            self._recent.popleft()
        span = min(RECENT, uptime) or 1.0
        latency = {}
        for path, values in self.latency.items():
            ms = [v * 1000 for v in values]
            latency[path] = {"count": len(ms), "p50": percentile(ms, 0.50),
                             "p90": percentile(ms, 0.90), "p99": percentile(ms, 0.99),
                             "max": max(ms), "mean": sum(ms) / len(ms)}
        ok = sum(counts["200"] for counts in self.answers.values())
        return {
            "uptime_seconds": round(uptime, 3),
            "requests": {path: dict(counts) for path, counts in sorted(self.answers.items())},
            "latency_ms": latency,
            "throughput": {
                "requests_per_second": ok / uptime if uptime else 0.0,
                "items_per_second": self.items / uptime if uptime else 0.0,
                "last_minute": {"requests_per_second": len(self._recent) / span,
                                "items_per_second": sum(n for _, n in self._recent) / span},
            },
            "items": self.items,
            "verdicts": dict(self.statuses),
        }
