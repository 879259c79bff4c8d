"""Shared types of the generation backends: their typed configs and what they return.

A backend (a ``register_generators`` plugin) has ``create(config)`` returning a generator
whose ``generate(prompts, *, seed=None)`` takes prompts (a str is one user message, a list
of ``{"role", "content"}`` messages is a conversation) and returns ``config.n`` completions
per prompt, prompt by prompt, in order; ``seed`` overrides ``config.seed`` for that call.

:class:`GenerationConfig` holds what every backend shares (the model, an optional LoRA
adapter, the sampling settings); ``config.options`` holds the backend's own typed settings,
an instance of the backend's ``settings_class`` (transformers: batch size, dtype, device;
vLLM: tensor parallelism, memory share, context length, LoRA rank; OpenAI-compatible:
endpoint, concurrency, retries). :func:`generation_config` builds one for a named backend
and refuses a setting the backend does not use, naming the backend that does.
"""

from __future__ import annotations

from typing import Any

import attrs
from attrs import field, frozen

from cwmkit.core.config import ConfigBase, help_, number, text
from cwmkit.core.errors import ConfigError, CwmkitError
from cwmkit.core.text import did_you_mean

__all__ = ["DTYPES", "Completion", "GenerationConfig", "GenerationError", "as_messages",
           "backend_settings", "create_generator", "generation_config"]


class GenerationError(CwmkitError):
    """A generation backend that could not produce completions (a server that keeps
    failing, a model that does not load)."""


DTYPES = ("auto", "bfloat16", "float16", "float32")


def _options(instance, attribute, value):
    if not isinstance(value, (dict, ConfigBase)):
        raise ConfigError(f"generation.options must be a mapping of backend settings, got "
                          f"{value!r}", hint=attribute.metadata.get("help"))


@frozen
class GenerationConfig(ConfigBase):
    """What to sample from, and how: shared by every backend."""

    section = "generation"

    model: str = field(default="Qwen/Qwen2.5-3B-Instruct", validator=text(),
                       metadata=help_("hub id or local path (transformers, vllm), or the "
                                      "model name the server knows (openai)"))
    adapter: str | None = field(default=None, validator=text(optional=True),
                                metadata=help_("LoRA adapter folder to generate with "
                                               "(transformers, vllm); null: the base model"))
    temperature: float = field(default=1.0, validator=number(minimum=0, maximum=5.0),
                               metadata=help_("sampling temperature; 0 decodes greedily"))
    top_p: float = field(default=1.0, validator=number(above=0, maximum=1.0),
                         metadata=help_("nucleus sampling mass, in (0, 1]"))
    max_new_tokens: int = field(default=4096, validator=number(int, minimum=1),
                                metadata=help_("most tokens one completion may have"))
    n: int = field(default=1, validator=number(int, minimum=1),
                   metadata=help_("completions per prompt"))
    seed: int | None = field(default=0, validator=number(int, minimum=0, optional=True),
                             metadata=help_("sampling seed (null: not seeded)"))
    options: Any = field(factory=dict, validator=_options,
                         metadata=help_("the backend's own settings (see "
                                        "'cwmkit generate --list-settings')"))

    def sampling(self) -> dict:
        """The settings a completion was sampled with (recorded in each one)."""
        return {"temperature": self.temperature, "top_p": self.top_p,
                "max_new_tokens": self.max_new_tokens, "n": self.n, "seed": self.seed}

    def to_dict(self) -> dict:
        data = attrs.asdict(self, recurse=False)
        data["options"] = (self.options.to_dict() if isinstance(self.options, ConfigBase)
                           else dict(self.options))
        return data


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


def backend_settings(host=None) -> dict[str, type | None]:
    """Backend name -> its settings class (None: it declares none)."""
    from cwmkit.core.plugins import get_host

    return {name: getattr(b, "settings_class", None)
            for name, b in (host or get_host()).registry("generators").items()}


def generation_config(backend: str, values: GenerationConfig | dict | None = None, *,
                      section: str = "generation", host=None) -> GenerationConfig:
    """A :class:`GenerationConfig` for ``backend`` from plain data.

    The backend's settings go under ``options``, or at the top level beside the shared
    ones (``{"model": ..., "base_url": ...}``); either way they are checked against the
    backend's ``settings_class``, and a setting that belongs to another backend is
    refused with that backend's name.
    """
    from cwmkit.core.plugins import get_host

    host = host or get_host()
    plugin = host.get("generators", backend)
    settings_class = getattr(plugin, "settings_class", None)
    if isinstance(values, GenerationConfig):
        values = {**attrs.asdict(values, recurse=False)}
        if isinstance(values["options"], ConfigBase):
            values["options"] = values["options"].to_dict()
    values = dict(values or {})
    options = values.pop("options", None) or {}
    if not isinstance(options, dict):
        raise ConfigError(f"{section}.options must be a mapping of {backend} settings, got "
                          f"{options!r}")
    options = dict(options)
    shared = {a.name for a in attrs.fields(GenerationConfig)}
    for key in [k for k in values if k not in shared]:
        options[key] = values.pop(key)
    own = set(settings_class.describe()) if settings_class else set()
    for key in options:
        if key in own:
            continue
        elsewhere = sorted(name for name, cls in backend_settings(host).items()
                           if cls is not None and key in cls.describe() and name != backend)
        if elsewhere:
            raise ConfigError(f"{section}: '{key}' is a setting of the {' and '.join(elsewhere)}"
                              f" backend, not of {backend}",
                              hint=f"the {backend} backend's settings: "
                                   + (", ".join(sorted(own)) or "none"))
        raise ConfigError(f"unknown {section} setting '{key}'"
                          f"{did_you_mean(key, own | shared)}",
                          hint=f"shared settings: {', '.join(sorted(shared - {'options'}))}; "
                               f"{backend} settings: {', '.join(sorted(own)) or 'none'}")
    typed = settings_class.from_dict(options) if settings_class else {}
    config = GenerationConfig.from_dict({**values, "options": typed})
    check = getattr(plugin, "check", None)
    if check is not None:
        check(config)
    return config


def create_generator(backend: str, config: GenerationConfig | dict | None = None):
    """The generator of the registered backend ``backend``, built from ``config``."""
    from cwmkit.core.plugins import get_host

    config = generation_config(backend, config)
    return get_host().get("generators", backend).create(config)
