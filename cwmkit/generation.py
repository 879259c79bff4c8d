"""Shared types of the generation backends: their typed config and what they return.

A backend (a ``register_generators`` plugin) has ``create(config)`` returning a generator
whose ``generate(prompts)`` takes prompts (a str is one user message, a list of
``{"role", "content"}`` messages is a conversation) and returns ``config.n`` completions
per prompt, prompt by prompt, in order.
"""

from __future__ import annotations

import attrs
from attrs import field, frozen

from cwmkit.core.config import ConfigBase, choice, help_, number, text
from cwmkit.core.errors import ConfigError, CwmkitError

__all__ = ["DTYPES", "Completion", "GenerationConfig", "GenerationError", "as_messages",
           "create_generator"]


class GenerationError(CwmkitError):
    """A generation backend that could not produce completions (a server that keeps
    failing, a model that does not load)."""


DTYPES = ("auto", "bfloat16", "float16", "float32")


@frozen
class GenerationConfig(ConfigBase):
    """How to sample completions, and (for the ``openai`` backend) how to reach a server."""

    section = "generation"

    model: str = field(default="Qwen/Qwen2.5-3B-Instruct", validator=text(),
                       metadata=help_("hub id or local path (transformers, vllm), or the "
                                      "model name the server knows (openai)"))
    temperature: float = field(default=1.0, validator=number(minimum=0, maximum=5.0),
                               metadata=help_("sampling temperature; 0 decodes greedily"))
    top_p: float = field(default=1.0, validator=number(above=0, maximum=1.0),
                         metadata=help_("nucleus sampling mass, in (0, 1]"))
    max_new_tokens: int = field(default=4096, validator=number(int, minimum=1),
                                metadata=help_("most tokens one completion may have"))
    n: int = field(default=1, validator=number(int, minimum=1),
                   metadata=help_("completions per prompt"))
    seed: int | None = field(default=0, validator=number(int, minimum=0, optional=True),
                             metadata=help_("sampling seed (None: not seeded)"))
    batch_size: int = field(default=8, validator=number(int, minimum=1),
                            metadata=help_("prompts per forward batch (transformers)"))
    dtype: str = field(default="auto", validator=choice(*DTYPES),
                       metadata=help_("weights dtype: auto, bfloat16, float16 or float32"))
    base_url: str = field(default="http://127.0.0.1:8000/v1", validator=text(),
                          metadata=help_("OpenAI-compatible endpoint; /chat/completions is "
                                         "appended (openai)"))
    api_key_env: str = field(default="OPENAI_API_KEY", validator=text(),
                             metadata=help_("environment variable holding the API key; unset "
                                            "sends no key (openai)"))
    concurrency: int = field(default=8, validator=number(int, minimum=1),
                             metadata=help_("requests in flight at once (openai)"))
    timeout: float = field(default=600.0, validator=number(minimum=0.01),
                           metadata=help_("seconds one request may take (openai)"))
    retries: int = field(default=4, validator=number(int, minimum=0),
                         metadata=help_("retries of a request after a timeout, a 429 or a "
                                        "5xx (openai)"))
    backoff: float = field(default=1.0, validator=number(minimum=0),
                           metadata=help_("first retry delay in seconds, doubled after each "
                                          "retry (openai)"))

    def sampling(self) -> dict:
        """The settings a completion was sampled with (recorded in each one)."""
        return {"temperature": self.temperature, "top_p": self.top_p,
                "max_new_tokens": self.max_new_tokens, "n": self.n, "seed": self.seed}


@frozen
class Completion:
    """One sampled completion: what was asked, what came back, how and how long it took.

    ``seconds`` is the wall time of the request or batch that produced it (shared by the
    completions of that batch); ``index`` is the sample number within its prompt.
    """

    prompt: str | list
    text: str
    backend: str
    model: str
    settings: dict
    seconds: float
    index: int = 0
    finish_reason: str | None = None

    def to_dict(self) -> dict:
        return attrs.asdict(self)


def as_messages(prompt: str | list) -> list[dict]:
    """A prompt as chat messages: a str is one user message."""
    if isinstance(prompt, str):
        return [{"role": "user", "content": prompt}]
    if isinstance(prompt, list) and all(isinstance(m, dict) and "role" in m for m in prompt):
        return [dict(m) for m in prompt]
    raise ConfigError(f"a prompt must be a string or a list of chat messages, got {prompt!r:.80}")


def create_generator(backend: str, config: GenerationConfig | dict | None = None):
    """The generator of the registered backend ``backend``, built from ``config``."""
    from cwmkit.core.plugins import get_host

    if not isinstance(config, GenerationConfig):
        config = GenerationConfig.from_dict(config)
    return get_host().get("generators", backend).create(config)
