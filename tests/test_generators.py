"""Generation backends: the OpenAI-compatible client against a real local HTTP server
(retries, back-off, timeouts, concurrency), transformers on a tiny local model, and the
missing-extra error of vLLM."""

import importlib.util
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cwmkit.core.errors import ConfigError, MissingExtraError
from cwmkit.generation import GenerationConfig, GenerationError, create_generator


class FakeServer:
    """An OpenAI-compatible chat-completions server on 127.0.0.1. ``script`` is a list of
    what to do with the next requests ("ok", an HTTP status, "sleep" or ("few", k));
    once it runs out every request is answered."""

    def __init__(self):
        self.script: list = []
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.delay = 0.0
        self.reply = lambda prompt, i: f"{prompt}#{i}"
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.lock:
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                    action = server.script.pop(0) if server.script else "ok"
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._answer(body, action)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                finally:
                    with server.lock:
                        server.in_flight -= 1

            def _answer(self, body, action):
                if action == "sleep":
                    time.sleep(1.0)
                time.sleep(server.delay)
                if isinstance(action, int):
                    payload = json.dumps({"error": {"message": f"status {action}"}}).encode()
                    self.send_response(action)
                    if action == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                n = action[1] if isinstance(action, tuple) else body.get("n", 1)
                prompt = body["messages"][-1]["content"]
                choices = [{"index": i, "finish_reason": "stop",
                            "message": {"role": "assistant",
                                        "content": server.reply(prompt, i)}}
                           for i in range(n)]
                payload = json.dumps({"choices": choices}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = FakeServer()
    yield s
    s.close()


def openai(server, **settings):
    config = {"model": "teacher", "base_url": server.url, "backoff": 0.01, "timeout": 5.0,
              "api_key_env": "CWMKIT_TEST_KEY", **settings}
    return create_generator("openai", config)


# --------------------------------------------------------------------- openai

def test_openai_returns_n_completions_per_prompt_in_order(server, monkeypatch):
    monkeypatch.setenv("CWMKIT_TEST_KEY", "sk-test")
    out = openai(server, n=2, temperature=0.7, seed=5).generate(
        ["a", [{"role": "system", "content": "s"}, {"role": "user", "content": "b"}]])
    assert [c.text for c in out] == ["a#0", "a#1", "b#0", "b#1"]
    assert [c.index for c in out] == [0, 1, 0, 1]
    first = out[0]
    assert first.backend == "openai" and first.model == "teacher" and first.prompt == "a"
    assert first.settings["temperature"] == 0.7 and first.seconds >= 0
    body = server.requests[0]
    assert body["model"] == "teacher" and body["n"] == 2 and body["seed"] == 5
    assert body["messages"][0]["role"] in ("user", "system")
    assert all(h["Authorization"] == "Bearer sk-test" for h in server.headers)


def test_openai_tops_up_when_the_server_returns_fewer_choices(server):
    server.script = [("few", 1)]
    out = openai(server, n=3).generate(["p"])
    assert len(out) == 3 and [r["n"] for r in server.requests] == [3, 2]


def test_openai_retries_a_500_then_succeeds(server):
    server.script = [500, 429]
    out = openai(server, retries=2).generate(["x"])
    assert [c.text for c in out] == ["x#0"]
    assert len(server.requests) == 3


def test_openai_retries_after_a_timeout(server):
    server.script = ["sleep"]
    began = time.perf_counter()
    out = openai(server, timeout=0.3, retries=1).generate(["t"])
    assert [c.text for c in out] == ["t#0"]
    assert len(server.requests) == 2 and time.perf_counter() - began < 5


def test_openai_gives_up_after_the_retries(server):
    server.script = [503, 503, 503]
    with pytest.raises(GenerationError, match="failed 2 times.*503"):
        openai(server, retries=1).generate(["x"])
    assert len(server.requests) == 2


def test_openai_does_not_retry_a_client_error(server):
    server.script = [400]
    with pytest.raises(GenerationError, match="HTTP 400") as info:
        openai(server, retries=3).generate(["x"])
    assert info.value.hint and len(server.requests) == 1


def test_openai_keeps_to_the_concurrency_limit(server):
    server.delay = 0.1
    out = openai(server, concurrency=2).generate([str(i) for i in range(6)])
    assert [c.text for c in out] == [f"{i}#0" for i in range(6)]
    assert server.max_in_flight == 2


def test_openai_unreachable_server_is_a_generation_error():
    config = {"base_url": "http://127.0.0.1:9/v1", "retries": 1, "backoff": 0.01,
              "timeout": 1.0}
    with pytest.raises(GenerationError, match="cannot reach"):
        create_generator("openai", config).generate(["x"])


# --------------------------------------------------------------------- config

@pytest.mark.parametrize("bad, match", [
    ({"temperature": -1}, "between 0"),
    ({"n": 0}, "at least 1"),
    ({"top_p": 0}, "above 0"),
    ({"max_new_token": 5}, "did you mean 'max_new_tokens'"),
    ({"concurrency": "4"}, "must be an integer"),
    ({"dtype": "fp8"}, "one of auto, bfloat16"),
])
def test_generation_config_validation(bad, match):
    with pytest.raises(ConfigError, match=match):
        GenerationConfig.from_dict(bad)


def test_unknown_backend_is_named():
    from cwmkit.core.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="openai"):
        create_generator("opneai")


# --------------------------------------------------------------------- vllm

@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vllm is installed")
def test_vllm_without_the_extra_names_it():
    with pytest.raises(MissingExtraError) as info:
        create_generator("vllm", {"model": "Qwen/Qwen2.5-3B-Instruct"})
    assert info.value.extra == "vllm" and "cwmkit[vllm]" in str(info.value)


# --------------------------------------------------------------------- transformers

@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    pytest.importorskip("transformers")
    from tests.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")


def test_transformers_generates_n_per_prompt_in_batches(tiny_model):
    config = {"model": tiny_model, "n": 2, "batch_size": 2, "max_new_tokens": 6,
              "temperature": 1.0, "seed": 3}
    prompts = ["Write tic-tac-toe.", [{"role": "user", "content": "Write Kuhn poker."}],
               "Write Go."]
    out = create_generator("transformers", config).generate(prompts)
    assert len(out) == 6
    assert [c.prompt for c in out] == [p for p in prompts for _ in range(2)]
    assert [c.index for c in out] == [0, 1] * 3
    assert all(c.backend == "transformers" and c.model == tiny_model for c in out)
    assert all(isinstance(c.text, str) and c.finish_reason in ("stop", "length") for c in out)
    again = create_generator("transformers", config).generate(prompts)
    assert [c.text for c in again] == [c.text for c in out]  # seeded


def test_transformers_greedy_ignores_the_batch(tiny_model):
    config = {"model": tiny_model, "temperature": 0.0, "max_new_tokens": 5}
    prompts = ["short", "a much longer prompt about the rules of chess and go"]
    batched = create_generator("transformers", {**config, "batch_size": 2}).generate(prompts)
    single = create_generator("transformers", {**config, "batch_size": 1}).generate(prompts)
    assert [c.text for c in batched] == [c.text for c in single]


def test_transformers_missing_model_is_a_generation_error(tmp_path):
    pytest.importorskip("transformers")
    with pytest.raises(GenerationError, match="cannot load model"):
        create_generator("transformers", {"model": str(tmp_path / "nothing")})
