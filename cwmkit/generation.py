"""Shared types of the generation backends: their typed config and what they return.

A backend (a ``register_generators`` plugin) has ``create(config)`` returning a generator
whose ``generate(prompts)`` takes prompts (a str is one user message, a list of
``{"role", "content"}`` messages is a conversation) and returns ``config.n`` completions
per prompt, prompt by prompt, in order.
"""

from __future__ import annotations

import attrs
from attrs import field, frozen

from cwmkit.core.errors import ConfigError, CwmkitError

__all__ = ["DTYPES", "Completion", "GenerationConfig", "GenerationError", "as_messages",
           "create_generator"]


class GenerationError(CwmkitError):
    """A generation backend that could not produce completions (a server that keeps
    failing, a model that does not load)."""


def _help(text: str) -> dict:
    return {"help": text}


def _number(kind=float, *, minimum=0.0, maximum=None, optional=False):
    def check(instance, attribute, value):
        if optional and value is None:
            return
        hint = attribute.metadata.get("help")
        ok = (type(value) is not bool
              and isinstance(value, (int, float) if kind is float else int))
        if not ok:
            noun = "an integer" if kind is int else "a number"
            raise ConfigError(f"generation.{attribute.name} must be {noun}, got "
                              f"{value!r}", hint=hint)
        if value < minimum or (maximum is not None and value > maximum):
            bound = (f"between {minimum} and {maximum}" if maximum is not None
                     else f"at least {minimum}")
            raise ConfigError(f"generation.{attribute.name} must be {bound}, got {value!r}",
                              hint=hint)
    return check


DTYPES = ("auto", "bfloat16", "float16", "float32")


def _dtype(instance, attribute, value):
    if value not in DTYPES:
        raise ConfigError(f"generation.dtype must be one of {', '.join(DTYPES)}, got {value!r}",
                          hint=attribute.metadata.get("help"))


def _text(instance, attribute, value):
    if not isinstance(value, str):
        raise ConfigError(f"generation.{attribute.name} must be a string, got {value!r}",
                          hint=attribute.metadata.get("help"))


@frozen
class GenerationConfig:
    """How to sample completions, and (for the ``openai`` backend) how to reach a server."""

    model: str = field(default="Qwen/Qwen2.5-3B-Instruct", validator=_text,
                       metadata=_help("hub id or local path (transformers, vllm), or the "
                                      "model name the server knows (openai)"))
    temperature: float = field(default=1.0, validator=_number(maximum=5.0),
                               metadata=_help("sampling temperature; 0 decodes greedily"))
    top_p: float = field(default=1.0, validator=_number(maximum=1.0),
                         metadata=_help("nucleus sampling mass, in (0, 1]"))
    max_new_tokens: int = field(default=4096, validator=_number(int, minimum=1),
                                metadata=_help("most tokens one completion may have"))
    n: int = field(default=1, validator=_number(int, minimum=1),
                   metadata=_help("completions per prompt"))
    seed: int | None = field(default=0, validator=_number(int, optional=True),
                             metadata=_help("sampling seed (None: not seeded)"))
    batch_size: int = field(default=8, validator=_number(int, minimum=1),
                            metadata=_help("prompts per forward batch (transformers)"))
    dtype: str = field(default="auto", validator=_dtype,
                       metadata=_help("weights dtype: auto, bfloat16, float16 or float32"))
    base_url: str = field(default="http://127.0.0.1:8000/v1", validator=_text,
                          metadata=_help("OpenAI-compatible endpoint; /chat/completions is "
                                         "appended (openai)"))
    api_key_env: str = field(default="OPENAI_API_KEY", validator=_text,
                             metadata=_help("environment variable holding the API key; unset "
                                            "sends no key (openai)"))
    concurrency: int = field(default=8, validator=_number(int, minimum=1),
                             metadata=_help("requests in flight at once (openai)"))
    timeout: float = field(default=600.0, validator=_number(minimum=0.01),
                           metadata=_help("seconds one request may take (openai)"))
    retries: int = field(default=4, validator=_number(int, minimum=0),
                         metadata=_help("retries of a request after a timeout, a 429 or a "
                                        "5xx (openai)"))
    backoff: float = field(default=1.0, validator=_number(),
                           metadata=_help("first retry delay in seconds, doubled after each "
                                          "retry (openai)"))

    def __attrs_post_init__(self):
        if self.top_p <= 0:
            raise ConfigError(f"generation.top_p must be above 0, got {self.top_p!r}",
                              hint="1.0 samples from the whole distribution")

    @classmethod
    def from_dict(cls, data: dict | None) -> GenerationConfig:
        data = dict(data or {})
        known = {a.name for a in attrs.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            from cwmkit.core.validate import did_you_mean

            raise ConfigError(f"unknown generation setting '{unknown[0]}'"
                              f"{did_you_mean(unknown[0], known)}",
                              hint="settings: " + ", ".join(sorted(known)))
        return cls(**data)

    def to_dict(self) -> dict:
        return attrs.asdict(self)

    def evolve(self, **changes) -> GenerationConfig:
        return attrs.evolve(self, **changes)

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
