"""What keeps the reward server standing under load: bounded admission and body sizes.

:class:`Gate` lets ``concurrency`` requests verify at once and ``queue`` more wait; a
request beyond that is refused at once (503), so that a flood of trainers gets a fast
"come back later" instead of unbounded memory and latency. :func:`read_json` reads a
body up to a size limit (413 beyond it) and decodes it (400 when it is not JSON).
"""

from __future__ import annotations

import asyncio
import contextlib
import json

__all__ = ["Gate", "HTTPProblem", "QueueFull", "read_json"]


class HTTPProblem(Exception):
    """An answer other than 200: its status, message and hint."""

    def __init__(self, status: int, message: str, hint: str | None = None,
                 headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.hint = hint
        self.headers = headers or {}


class QueueFull(HTTPProblem):
    def __init__(self, limit: int) -> None:
        super().__init__(503, f"the server is at its limit ({limit} requests verifying or "
                         "waiting)", hint="retry shortly, or spread the load over more "
                         "servers", headers={"Retry-After": "1"})


class Gate:
    """Admission: ``concurrency`` requests at work, ``queue`` more waiting, no more."""

    def __init__(self, concurrency: int, queue: int) -> None:
        self.concurrency = concurrency
        self.queue = queue
        self.active = 0
        self.waiting = 0
        self._slots = asyncio.Semaphore(concurrency)

    @contextlib.asynccontextmanager
    async def admit(self):
        if self.active + self.waiting >= self.concurrency + self.queue:
            raise QueueFull(self.concurrency + self.queue)
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        self.active += 1
        try:
            yield
        finally:
            self.active -= 1
            self._slots.release()


async def read_json(request, limit: int):
    """The request's JSON body, read no further than ``limit`` bytes."""
    too_large = HTTPProblem(413, f"the request body is larger than this server's limit of "
                            f"{limit} bytes", hint="send fewer or shorter completions per "
                            "request, or start the server with a larger --max-body-bytes")
    length = request.headers.get("content-length")
    if length is not None:
        if not length.isdigit():
            raise HTTPProblem(400, f"Content-Length {length!r} is not a number")
        if int(length) > limit:
            raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise HTTPProblem(400, "the request has no body", hint="send a JSON object")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPProblem(400, f"the request body is not JSON: {exc}",
                          hint="send a JSON object (Content-Type: application/json)") from None
