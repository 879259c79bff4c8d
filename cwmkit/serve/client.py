"""A client of ``cwmkit serve`` (standard library only), and the remote TRL reward.

:class:`ServeClient` posts to one or more servers (spread round-robin, one kept-alive
connection per thread and server) and retries a 503 (a full queue, a sandbox failure)
after the server's Retry-After. :class:`RemoteReward` is a TRL reward function that
verifies on such servers: many trainers on many nodes then share one pool of verifiers.
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from urllib.parse import urlsplit

from cwmkit.core.errors import ConfigError, CwmkitError

__all__ = ["RemoteReward", "ServeClient", "ServeError"]


class ServeError(CwmkitError):
    """The server answered with an error (its status, message and hint)."""

    def __init__(self, status: int, message: str, hint: str | None = None) -> None:
        super().__init__(f"{status}: {message}", hint=hint)
        self.status = status


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url if "//" in url else f"http://{url}")
    if parts.scheme != "http" or not parts.hostname:
        raise ConfigError(f"server address {url!r}: expected http://HOST:PORT")
    return parts.hostname, parts.port or 80


class ServeClient:
    """Requests to ``urls`` (``http://HOST:PORT``), each waiting up to ``timeout`` s;
    a 503 is retried up to ``retries`` times."""

    def __init__(self, urls, *, timeout: float = 600.0, retries: int = 5) -> None:
        urls = [urls] if isinstance(urls, str) else list(urls)
        if not urls:
            raise ConfigError("a serve client needs at least one server address")
        self.addresses = [_address(u) for u in urls]
        self.timeout = timeout
        self.retries = retries
        self._turn = itertools.cycle(range(len(self.addresses)))
        self._turn_lock = threading.Lock()
        self._local = threading.local()

    def _connection(self, index: int) -> http.client.HTTPConnection:
        pool = self._local.__dict__.setdefault("connections", {})
        if index not in pool:
            host, port = self.addresses[index]
            pool[index] = http.client.HTTPConnection(host, port, timeout=self.timeout)
        return pool[index]

    def _exchange(self, index: int, method: str, path: str, body: bytes | None):
        connection = self._connection(index)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheader("Retry-After"), response.read()
        except (ConnectionError, http.client.HTTPException):
            connection.close()
            self._local.connections.pop(index, None)
            raise

    def _send(self, index: int, method: str, path: str, body: bytes | None):
        try:
            return self._exchange(index, method, path, body)
        except (ConnectionError, http.client.HTTPException):
            # The server closed a kept-alive connection: once more, on a new one (every
            # request is idempotent: a verdict is deterministic).
            return self._exchange(index, method, path, body)

    def request(self, method: str, path: str, body=None) -> dict:
        """The decoded JSON answer; :class:`ServeError` for an error answer."""
        data = None if body is None else json.dumps(body).encode()
        with self._turn_lock:
            index = next(self._turn)
        attempt = 0
        while True:
            status, retry_after, raw = self._send(index, method, path, data)
            answer = json.loads(raw) if raw else {}
            if status == 200:
                return answer
            if status != 503 or attempt >= self.retries:
                raise ServeError(status, answer.get("error", raw.decode(errors="replace")),
                                 answer.get("hint"))
            attempt += 1
            time.sleep(float(retry_after or 1))
            index = (index + 1) % len(self.addresses)

    def reward(self, completions, games, *, request_id=None) -> dict:
        body = {"completions": list(completions), "id": request_id}
        body.update({"game": games} if isinstance(games, str) else {"games": list(games)})
        return self.request("POST", "/reward", body)

    def verify(self, programs, game: str, *, request_id=None) -> dict:
        return self.request("POST", "/verify", {"programs": list(programs), "game": game,
                                                "id": request_id})

    def health(self) -> dict:
        return self.request("GET", "/health")

    def metrics(self) -> dict:
        return self.request("GET", "/metrics")


class RemoteReward:
    """A TRL reward function verified by ``cwmkit serve``:
    ``reward(completions, game=[...], **kwargs) -> list[float | None]``."""

    __name__ = "cwmkit_verifier"

    def __init__(self, urls, *, game_column: str = "game", **client) -> None:
        self.client = ServeClient(urls, **client)
        self.game_column = game_column

    def __call__(self, completions, **kwargs) -> list[float | None]:
        games = kwargs.get(self.game_column)
        if games is None:
            raise ConfigError(f"the reward needs the '{self.game_column}' column of the "
                              "dataset", hint="give every prompt row the game id it asks for")
        return self.client.reward(completions, games)["rewards"]
