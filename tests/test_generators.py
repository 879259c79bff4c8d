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
from cwmkit.generation import (
    GenerationConfig,
    GenerationError,
    create_generator,
    generation_config,
)


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

@pytest.mark.parametrize("backend, bad, match", [
    ("transformers", {"temperature": -1}, "between 0"),
    ("transformers", {"n": 0}, "at least 1"),
    ("openai", {"top_p": 0}, "above 0"),
    ("transformers", {"max_new_token": 5}, "did you mean 'max_new_tokens'"),
    ("openai", {"concurrency": "4"}, "openai.concurrency must be an integer"),
    ("transformers", {"dtype": "fp8"}, "transformers.dtype must be one of auto, bfloat16"),
    ("vllm", {"options": {"gpu_memory_utilization": 1.5}},
     "vllm.gpu_memory_utilization must be a number of at most 1"),
    ("vllm", {"tensor_parallel_size": 0}, "vllm.tensor_parallel_size must be an integer of "
     "at least 1"),
    ("vllm", {"max_model_len": "8k"}, "vllm.max_model_len must be an integer"),
    ("vllm", {"max_lora_rnk": 8}, "did you mean 'max_lora_rank'"),
    # A setting of another backend is named as such, never silently ignored.
    ("transformers", {"tensor_parallel_size": 2}, "'tensor_parallel_size' is a setting of the "
     "vllm backend, not of transformers"),
    ("vllm", {"base_url": "http://x"}, "a setting of the openai backend"),
    ("openai", {"batch_size": 4}, "a setting of the transformers backend"),
    ("openai", {"adapter": "runs/x/adapter"}, "takes no adapter"),
])
def test_each_backend_checks_its_own_settings(backend, bad, match):
    with pytest.raises(ConfigError, match=match):
        generation_config(backend, bad)


def test_backend_settings_nest_or_sit_beside_the_shared_ones():
    flat = generation_config("vllm", {"model": "m", "tensor_parallel_size": 2})
    nested = generation_config("vllm", {"model": "m", "options": {"tensor_parallel_size": 2}})
    assert flat == nested and flat.options.tensor_parallel_size == 2
    assert flat.to_dict()["options"]["gpu_memory_utilization"] == 0.9
    assert GenerationConfig.from_dict(flat.to_dict()).options["tensor_parallel_size"] == 2


def test_vllm_engine_arguments_and_its_lora(tmp_path):
    from cwmkit_plugins.generators.engine import engine_arguments

    config = generation_config("vllm", {"model": "m", "max_model_len": 8192,
                                        "gpu_memory_utilization": 0.5})
    args = engine_arguments(config)
    assert (args["max_model_len"], args["gpu_memory_utilization"]) == (8192, 0.5)
    assert "enable_lora" not in args
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text(json.dumps({"r": 32}))
    with pytest.raises(ConfigError, match="max_lora_rank is 16 but the adapter's rank is 32"):
        generation_config("vllm", {"model": "m", "adapter": str(adapter)})
    config = generation_config("vllm", {"model": "m", "adapter": str(adapter),
                                        "max_lora_rank": 32})
    assert engine_arguments(config)["enable_lora"] is True
    with pytest.raises(ConfigError, match="holds no LoRA adapter"):
        generation_config("vllm", {"model": "m", "adapter": str(tmp_path)})


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
    from cwmkit.models import build_tiny_model

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


def test_transformers_generates_with_a_lora_adapter(tiny_model, tmp_path):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    lora = LoraConfig(r=4, lora_alpha=64, target_modules=["q_proj", "v_proj", "down_proj"],
                      init_lora_weights=False)
    get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model), lora).save_pretrained(
        tmp_path / "adapter")
    config = {"model": tiny_model, "temperature": 0.0, "max_new_tokens": 8}
    base = create_generator("transformers", config).generate(["Write Go."])
    tuned = create_generator("transformers", {**config, "adapter": str(tmp_path / "adapter")}
                             ).generate(["Write Go."])
    assert base[0].text != tuned[0].text
    with pytest.raises(ConfigError, match="holds no LoRA adapter"):
        create_generator("transformers", {**config, "adapter": str(tmp_path)})


def test_a_call_can_override_the_seed(tiny_model):
    generator = create_generator("transformers", {"model": tiny_model, "max_new_tokens": 6,
                                                  "seed": 1})
    first = [c.text for c in generator.generate(["a", "b"], seed=7)]
    assert [c.text for c in generator.generate(["a", "b"], seed=7)] == first
    assert [c.text for c in generator.generate(["a", "b"])] != first
