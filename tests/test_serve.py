"""``cwmkit serve``, run as a user runs it, on the loopback address only.

The server is started as a process of its own; concurrent clients send reward requests
and each must get its own answer, once; a malformed request, an oversized body and a
hostile program each get their error and the server goes on serving. Admission and the
report cache are pinned on their own, without a server.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="cwmkit serve needs the 'serve' extra")
pytest.importorskip("uvicorn", reason="cwmkit serve needs the 'serve' extra")

from cwmkit.serve.client import ServeClient, ServeError  # noqa: E402
from cwmkit.serve.limits import Gate, QueueFull  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TTT = (ROOT / "plugins" / "games" / "tic_tac_toe" / "reference.py").read_text()
LOOPBACK = "127.0.0.1"
BODY_LIMIT = 64 * 1024


def fenced(code: str) -> str:
    return f"```python\n{code}```"


#: A small pool of tic-tac-toe completions and the reward each must get.
POOL = [(fenced(TTT), 1.0), (fenced(TTT + "\n# a second copy\n"), 1.0),
        ("I would rather not.", 0.0), (fenced("import os\nos.system('true')\n"), 0.0),
        (fenced("def get_initial_state(:\n"), 0.0)]
HOSTILE = fenced("while True:\n    pass\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cwmkit", "serve", "--host", LOOPBACK, "--port", str(port),
         "--max-body-bytes", str(BODY_LIMIT), "--max-concurrency", "4", "--set", "playouts=8",
         "--set", "shrink_rounds=2", "--set", "load_cpu_seconds=0.5", "--log-level",
         "warning"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    client = ServeClient(f"http://{LOOPBACK}:{port}", timeout=120)
    deadline = time.monotonic() + 90
    while True:
        try:
            client.health()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start: {process.stdout.read()}")
            time.sleep(0.2)
    yield port, client
    process.terminate()
    output = process.communicate(timeout=60)[0]
    # A graceful stop (uvicorn ends by the signal it caught, after the lifespan stopped
    # the verifier), no traceback.
    assert process.returncode in (0, -signal.SIGTERM), output
    assert "Traceback" not in output, output


def raw_post(port: int, path: str, body: bytes, headers: dict | None = None,
             chunked: bool = False) -> tuple[int, dict]:
    """One request on a connection of its own (the server may close it after an error)."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
    try:
        connection.request("POST", path, body=iter([body]) if chunked else body,
                           headers={"Content-Type": "application/json", **(headers or {})},
                           encode_chunked=chunked)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def test_concurrent_clients_each_get_their_own_answer_once(server):
    _, client = server
    requests = 50

    def one(index: int) -> tuple[int, dict]:
        picks = [(index + k) % len(POOL) for k in range(8)]
        answer = client.reward([POOL[p][0] for p in picks], "tic_tac_toe", request_id=index)
        return index, picks, answer

    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(one, range(requests)))
    assert sorted(answer["id"] for _, _, answer in answers) == list(range(requests))
    for index, picks, answer in answers:
        assert answer["id"] == index
        assert answer["rewards"] == [POOL[p][1] for p in picks]
        assert len(answer["statuses"]) == len(answer["tiers"]["static"]) == 8
    metrics = client.metrics()
    assert metrics["requests"]["/reward"]["200"] >= requests
    assert metrics["latency_ms"]["/reward"]["p99"] >= metrics["latency_ms"]["/reward"]["p50"]
    # Five distinct programs, four of them needing the sandbox: each verified once.
    assert metrics["cache"]["verified"] <= 4 and metrics["cache"]["cached"] > 0


@pytest.mark.parametrize("body, status, message", [
    (b"{not json", 400, "not JSON"),
    (b"", 400, "no body"),
    (b"[1, 2]", 422, "must be a JSON object"),
    (b'{"completions": ["x"]}', 422, "'games'"),
    (b'{"completion": ["x"], "game": "tic_tac_toe"}', 422, "did you mean 'completions'"),
    (b'{"completions": "x", "game": "tic_tac_toe"}', 422, "a list of completions"),
    (b'{"completions": [1], "game": "tic_tac_toe"}', 422, "at index 0"),
    (b'{"completions": ["x"], "game": "tic_tac_to"}', 422, "did you mean 'tic_tac_toe'"),
    (b'{"completions": ["x", "y"], "games": ["tic_tac_toe"]}', 422, "2 completions but 1"),
])
def test_a_malformed_request_gets_a_4xx_that_says_what_is_wrong(server, body, status,
                                                                  message):
    port, client = server
    got, answer = raw_post(port, "/reward", body)
    assert (got, answer["status"]) == (status, status)
    assert message in answer["error"]
    assert client.reward(["no code"], "tic_tac_toe")["rewards"] == [0.0]


def test_unknown_endpoints_and_methods_get_json_errors(server):
    port, _ = server
    assert raw_post(port, "/rewards", b"{}")[0] == 404
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
    connection.request("GET", "/reward")
    response = connection.getresponse()
    assert response.status == 405 and "endpoints" in json.loads(response.read())["hint"]
    connection.close()


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_body_gets_413_and_the_server_keeps_serving(server, chunked):
    port, client = server
    big = json.dumps({"completions": ["x" * BODY_LIMIT], "game": "tic_tac_toe"}).encode()
    status, answer = raw_post(port, "/reward", big, chunked=chunked)
    assert status == 413 and "larger than this server's limit" in answer["error"]
    assert client.reward(["no code"], "tic_tac_toe")["rewards"] == [0.0]


def test_a_hostile_program_gets_its_verdict_and_the_server_keeps_serving(server):
    _, client = server
    answer = client.reward([HOSTILE, POOL[0][0]], "tic_tac_toe")
    assert answer["statuses"] == ["timeout", "ok"]
    assert answer["rewards"] == [0.0, 1.0]
    assert client.health()["status"] == "ok"
    report = client.verify([HOSTILE[len("```python\n"):-3]], "tic_tac_toe")["reports"][0]
    assert report["status"] == "timeout" and report["score"] == 0.0


def test_get_reward_speaks_openrlhfs_protocol(server):
    _, client = server
    prompt = "<|im_start|>user\nWrite tic-tac-toe.\n```python\ndef get_initial_state():\n" \
             "    ...\n```<|im_end|>\n<|im_start|>assistant\n"
    queries = [prompt + POOL[0][0] + "<|im_end|>", prompt + "no<|im_end|>"]
    answer = client.request("POST", "/get_reward", {"query": queries, "prompts": [prompt] * 2,
                                                    "labels": ["tic_tac_toe"] * 2})
    assert answer["rewards"] == [1.0, 0.0] and answer["scores"] == [1.0, 0.0]
    assert answer["extra_logs"]["verified"] == [1.0, 0.0]
    assert all(len(v) == 2 for v in answer["extra_logs"].values())
    with pytest.raises(ServeError, match="422: .*2 queries, 1 prompts"):
        client.request("POST", "/get_reward", {"query": queries, "prompts": [prompt],
                                               "labels": ["tic_tac_toe"] * 2})


def test_metrics_count_every_answer(server):
    _, client = server
    metrics = client.metrics()
    answered = metrics["requests"]["/reward"]
    assert {"200", "400", "413", "422"} <= set(answered)
    assert metrics["throughput"]["requests_per_second"] > 0
    assert metrics["verdicts"]["timeout"] >= 1 and metrics["in_flight"] == 0


# ------------------------------------------------------------------ without a server

def test_the_gate_admits_its_concurrency_queues_the_rest_and_refuses_beyond():
    async def scenario():
        gate = Gate(concurrency=1, queue=1)
        release = asyncio.Event()

        async def hold():
            async with gate.admit():
                await release.wait()

        first = asyncio.create_task(hold())
        await asyncio.sleep(0)
        second = asyncio.create_task(hold())
        await asyncio.sleep(0)
        assert (gate.active, gate.waiting) == (1, 1)
        with pytest.raises(QueueFull) as refused:
            async with gate.admit():
                pass
        assert refused.value.status == 503 and refused.value.headers["Retry-After"]
        release.set()
        await asyncio.gather(first, second)
        assert (gate.active, gate.waiting) == (0, 0)

    asyncio.run(scenario())


class _SlowVerifier:
    """Verifies by a thread after ``delay`` seconds; counts what it was asked."""

    settings = None

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.asked: list[str] = []

    def resolve_game(self, game):
        return type("G", (), {"name": game})()

    def submit(self, source, *, game):
        from cwmkit.verify.report import VerificationReport

        self.asked.append(source)
        future: Future = Future()
        report = VerificationReport("ok", 1.0, {}, "0" * 64, game.name)
        threading.Timer(self.delay, future.set_result, [report]).start()
        return future


def test_the_cache_verifies_a_program_once_even_for_a_request_that_gave_up():
    from cwmkit.serve.cache import ReportCache

    async def scenario():
        inner = _SlowVerifier(0.3)
        cache = ReportCache(inner, size=8)
        # A request that times out does not stop the verification it started ...
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.05):
                await cache.averify_many(["a"], game="g")
        # ... which a second request joins rather than repeating, and a third finds kept.
        joined, fresh = await asyncio.gather(cache.averify_many(["a", "a"], game="g"),
                                             cache.averify_many(["b"], game="g"))
        again = await cache.averify_many(["a", "b"], game="g")
        assert inner.asked == ["a", "b"]
        assert [r.status for r in joined + fresh + again] == ["ok"] * 5
        assert cache.stats()["cached"] == 2 and cache.stats()["joined"] == 2

    asyncio.run(scenario())
