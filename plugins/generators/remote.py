"""The ``openai`` backend: any OpenAI-compatible chat-completions endpoint.

Standard library only (``urllib`` and a thread pool): ``concurrency`` requests in
flight, and a request that times out, is refused or is throttled (429, 5xx) is retried
``retries`` times with exponential back-off (``Retry-After`` honoured when the server
sends one). Any other HTTP error is the caller's mistake and fails at once.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from attrs import field, frozen

from cwmkit.core.config import ConfigBase, help_, number, text
from cwmkit.core.errors import ConfigError
from cwmkit.generation import Completion, GenerationConfig, GenerationError, as_messages

RETRY_STATUSES = frozenset({408, 409, 429}) | frozenset(range(500, 600))
MAX_RETRY_AFTER = 60.0


@frozen
class OpenAISettings(ConfigBase):
    """Settings of the ``openai`` backend: where the server is and how to talk to it."""

    section = "openai"

    base_url: str = field(default="http://127.0.0.1:8000/v1", validator=text(),
                          metadata=help_("OpenAI-compatible endpoint; /chat/completions is "
                                         "appended"))
    api_key_env: str = field(default="OPENAI_API_KEY", validator=text(),
                             metadata=help_("environment variable holding the API key; unset "
                                            "sends no key"))
    concurrency: int = field(default=8, validator=number(int, minimum=1),
                             metadata=help_("requests in flight at once"))
    timeout: float = field(default=600.0, validator=number(minimum=0.01),
                           metadata=help_("seconds one request may take"))
    retries: int = field(default=4, validator=number(int, minimum=0),
                         metadata=help_("retries of a request after a timeout, a 429 or a "
                                        "5xx"))
    backoff: float = field(default=1.0, validator=number(minimum=0),
                           metadata=help_("first retry delay in seconds, doubled after each "
                                          "retry"))


def _settings(config: GenerationConfig) -> OpenAISettings:
    options = config.options
    return options if isinstance(options, OpenAISettings) else \
        OpenAISettings.from_dict(options)


class _Retryable(Exception):
    def __init__(self, message: str, delay: float | None = None) -> None:
        super().__init__(message)
        self.delay = delay


class OpenAIGenerator:
    backend = "openai"

    def __init__(self, config: GenerationConfig) -> None:
        self.config = config
        self.settings = _settings(config)
        self.url = self.settings.base_url.rstrip("/") + "/chat/completions"
        self.api_key = os.environ.get(self.settings.api_key_env) or None

    def _post(self, body: dict) -> dict:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.url, data=json.dumps(body).encode(),
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500].decode("utf-8", "replace")
            if exc.code in RETRY_STATUSES:
                raise _Retryable(f"HTTP {exc.code}: {detail}",
                                 _retry_after(exc.headers.get("Retry-After"))) from None
            raise GenerationError(f"{self.url} answered HTTP {exc.code}: {detail}",
                                  hint="check the model name, base_url and API key") from None
        except TimeoutError as exc:
            raise _Retryable(f"no answer within {self.settings.timeout}s ({exc})") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Retryable(f"no answer within {self.settings.timeout}s") from None
            raise _Retryable(f"cannot reach {self.url}: {exc.reason}") from None
        except (ConnectionError, json.JSONDecodeError) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from None

    def _with_retries(self, body: dict) -> dict:
        c = self.settings
        attempt = 0
        while True:
            try:
                return self._post(body)
            except _Retryable as exc:
                if attempt >= c.retries:
                    raise GenerationError(
                        f"{self.url} failed {c.retries + 1} times; last: {exc}",
                        hint="is the server up? raise 'retries', 'timeout' or 'backoff'"
                    ) from None
                time.sleep(exc.delay if exc.delay is not None else c.backoff * 2 ** attempt)
                attempt += 1

    def _one(self, prompt, seed: int | None = None) -> list[Completion]:
        """The ``n`` completions of one prompt (more requests if a server gives fewer)."""
        c = self.config
        messages = as_messages(prompt)
        out: list[Completion] = []
        while len(out) < c.n:
            body = {"model": c.model, "messages": messages, "temperature": c.temperature,
                    "top_p": c.top_p, "max_tokens": c.max_new_tokens, "n": c.n - len(out)}
            if seed is not None:
                body["seed"] = seed + len(out)
            began = time.perf_counter()
            answer = self._with_retries(body)
            seconds = round(time.perf_counter() - began, 4)
            choices = answer.get("choices") or []
            if not choices:
                raise GenerationError(f"{self.url} answered without choices: "
                                      f"{json.dumps(answer)[:300]}")
            for choice in choices[:c.n - len(out)]:
                text = (choice.get("message") or {}).get("content") or ""
                out.append(Completion(prompt=prompt, text=text, backend=self.backend,
                                      model=c.model, settings=c.sampling(), seconds=seconds,
                                      index=len(out), finish_reason=choice.get("finish_reason")))
        return out

    def generate(self, prompts: list, *, seed: int | None = None) -> list[Completion]:
        seed = self.config.seed if seed is None else seed
        with ThreadPoolExecutor(min(self.settings.concurrency, max(1, len(prompts))),
                                thread_name_prefix="cwmkit-openai") as pool:
            return [c for group in pool.map(lambda p: self._one(p, seed), prompts)
                    for c in group]


def _retry_after(value: str | None) -> float | None:
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value))) if value else None
    except ValueError:
        return None


class OpenAIBackend:
    name = "openai"
    description = "any OpenAI-compatible chat-completions server (vLLM serve, TGI, APIs)"
    settings_class = OpenAISettings

    def check(self, config: GenerationConfig) -> None:
        if config.adapter is not None:
            raise ConfigError("the openai backend samples the model its server loaded: it "
                              "takes no adapter",
                              hint="serve the adapter (e.g. 'vllm serve BASE --enable-lora "
                                   "--lora-modules name=ADAPTER') and give its name as model")

    def create(self, config: GenerationConfig) -> OpenAIGenerator:
        return OpenAIGenerator(config)
