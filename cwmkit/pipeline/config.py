"""The typed configs of a pipeline file's own stages, and the checks of the file's shape.

A pipeline file is a YAML mapping: ``name``, ``model`` (a hub id, a local folder, or
``tiny``), an optional ``description``, and one mapping per stage it runs, in the fixed
order ``data``, ``sft``, ``grpo``, ``generate``, ``verify``, ``evaluate``, ``report``. The
``sft`` and ``grpo`` mappings are the trainer plugins' own configs; ``verify`` is the
verifier's settings; the other stages' configs live here. Reward and generation settings
nest: ``grpo.shaper`` and ``grpo.reward`` (the shaper's own settings), ``grpo.verify``,
``generate.backend`` (``name`` plus that backend's settings), ``data.teacher``.
"""

from __future__ import annotations

import re

from attrs import field, frozen

from cwmkit.core.config import (
    ConfigBase,
    as_tuple,
    choice,
    fail,
    help_,
    mapping,
    number,
    text,
)
from cwmkit.core.errors import ConfigError

__all__ = ["STAGES", "TOP_LEVEL", "DataStage", "EvaluateStage", "GenerateStage",
           "ReportStage", "TeacherConfig", "backend_of", "locate"]

#: The stages a pipeline can run, in the order they run.
STAGES = ("data", "sft", "grpo", "generate", "verify", "evaluate", "report")
TOP_LEVEL = ("name", "model", "description", *STAGES)
SPLITS = ("train", "eval", "all")


def _games(instance, attribute, value):
    if value is None:
        return
    if not isinstance(value, tuple) or not value or not all(
            isinstance(g, str) and g for g in value):
        fail(instance, attribute, "a list of game ids", value)


def _backend(instance, attribute, value):
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        fail(instance, attribute, "a mapping with the backend's name and settings", value)
    if not isinstance(value.get("name", "transformers"), str):
        fail(instance, attribute, "a mapping whose 'name' is a backend name", value)


def _ks(instance, attribute, value):
    if not isinstance(value, tuple) or not value or not all(
            type(k) is int and k >= 1 for k in value):
        fail(instance, attribute, "a list of positive integers", value)


def backend_of(settings: dict) -> tuple[str, dict]:
    """``(name, settings)`` of a ``backend:`` mapping (the name defaults to transformers)."""
    settings = dict(settings)
    return settings.pop("name", "transformers"), settings


@frozen(kw_only=True)
class TeacherConfig(ConfigBase):
    """Rejection sampling from a teacher model: its distinct programs that verify with at
    least ``min_score`` join the data as extra SFT records."""

    section = "teacher"

    model: str = field(validator=text(),
                       metadata=help_("the teacher: the model name its server knows "
                                      "(openai), or a hub id or folder"))
    samples: int = field(default=8, validator=number(int, minimum=1),
                         metadata=help_("completions per game"))
    min_score: float = field(default=1.0, validator=number(minimum=0, maximum=1),
                             metadata=help_("least verification score a program needs"))
    temperature: float = field(default=0.7, validator=number(minimum=0, maximum=5),
                               metadata=help_("sampling temperature"))
    top_p: float = field(default=1.0, validator=number(above=0, maximum=1),
                         metadata=help_("nucleus sampling mass"))
    max_new_tokens: int = field(default=4096, validator=number(int, minimum=1),
                                metadata=help_("most tokens one completion may have"))
    seed: int | None = field(default=0, validator=number(int, minimum=0, optional=True),
                             metadata=help_("sampling seed (null: not seeded)"))
    prompts_per_call: int = field(default=8, validator=number(int, minimum=1),
                                  metadata=help_("prompts sent per generation call (what a "
                                                 "resumed run redoes at most)"))
    backend: dict = field(factory=lambda: {"name": "openai"}, validator=_backend,
                          metadata=help_("the generation backend: name (openai, vllm, "
                                         "transformers) and its settings"))
    verify: dict = field(factory=dict, validator=mapping,
                         metadata=help_("verify settings for the teacher's programs"))


@frozen(kw_only=True)
class DataStage(ConfigBase):
    """Training records from the specs: the prompt of each game with its reference
    program as the answer (and a teacher's verified programs)."""

    section = "data"

    split: str = field(default="train", validator=choice(*SPLITS),
                       metadata=help_("games of this split: train, eval or all"))
    games: tuple[str, ...] | None = field(default=None, converter=as_tuple, validator=_games,
                                          metadata=help_("only these games (null: every "
                                                         "game of the split)"))
    format: str = field(default="chat", validator=choice("chat", "text"),
                        metadata=help_("chat messages or plain text"))
    renderer: str = field(default="default", validator=text(),
                          metadata=help_("prompt renderer plugin"))
    teacher: dict | None = field(default=None,
                                 validator=lambda i, a, v: v is None or mapping(i, a, v),
                                 metadata=help_("rejection sampling from a teacher: model, "
                                                "samples, min_score, backend, ..."))

    def teacher_config(self) -> TeacherConfig | None:
        return None if self.teacher is None else TeacherConfig.from_dict(self.teacher)


def _adapter(instance, attribute, value):
    if not isinstance(value, str) or not value.strip():
        fail(instance, attribute, "auto, none, sft, grpo or an adapter folder", value)


@frozen(kw_only=True)
class GenerateStage(ConfigBase):
    """Samples per prompt from the model (with a trained adapter or without), written as
    records to ``generate/generations.jsonl``."""

    section = "generate"

    split: str = field(default="eval", validator=choice(*SPLITS),
                       metadata=help_("games of this split: train, eval or all (with games "
                                      "named: all)"))
    games: tuple[str, ...] | None = field(default=None, converter=as_tuple, validator=_games,
                                          metadata=help_("only these games (null: every "
                                                         "game of the split)"))
    samples: int = field(default=4, validator=number(int, minimum=1),
                         metadata=help_("completions per game"))
    temperature: float = field(default=0.6, validator=number(minimum=0, maximum=5),
                               metadata=help_("sampling temperature; 0 decodes greedily"))
    top_p: float = field(default=1.0, validator=number(above=0, maximum=1),
                         metadata=help_("nucleus sampling mass"))
    max_new_tokens: int = field(default=4096, validator=number(int, minimum=1),
                                metadata=help_("most tokens one completion may have"))
    seed: int | None = field(default=0, validator=number(int, minimum=0, optional=True),
                             metadata=help_("sampling seed (null: not seeded)"))
    adapter: str = field(default="auto", validator=_adapter,
                         metadata=help_("auto: the last trained adapter of the pipeline "
                                        "(grpo, else sft, else none); none: the base model; "
                                        "sft, grpo, or a folder"))
    renderer: str = field(default="default", validator=text(),
                          metadata=help_("prompt renderer plugin"))
    prompts_per_call: int = field(default=4, validator=number(int, minimum=1),
                                  metadata=help_("prompts per generation call (what a "
                                                 "resumed run redoes at most)"))
    backend: dict = field(factory=lambda: {"name": "transformers"}, validator=_backend,
                          metadata=help_("the generation backend: name (transformers, vllm, "
                                         "openai) and its own settings"))


@frozen(kw_only=True)
class EvaluateStage(ConfigBase):
    """Per-game and overall mean scores with confidence intervals, pass rates, statuses."""

    section = "evaluate"

    confidence: float = field(default=0.95, validator=choice(0.9, 0.95, 0.99),
                              metadata=help_("level of the intervals: 0.9, 0.95 or 0.99"))
    resamples: int = field(default=2000, validator=number(int, minimum=100),
                           metadata=help_("bootstrap resamples per interval"))
    seed: int = field(default=0, validator=number(int, minimum=0),
                      metadata=help_("seed of the bootstrap"))
    ks: tuple[int, ...] = field(default=(1, 5, 10), converter=as_tuple, validator=_ks,
                                metadata=help_("the k of pass@k (each where every game "
                                               "has at least k samples)"))


@frozen(kw_only=True)
class ReportStage(ConfigBase):
    """``report.md``: what ran, what it scored, and what the numbers mean."""

    section = "report"

    title: str | None = field(default=None, validator=text(optional=True),
                              metadata=help_("the report's title (default: the run's name)"))


def _patterns(path: tuple) -> list[str]:
    keys = [str(k) for k in path if not isinstance(k, int)]
    if not keys:
        return []
    last = keys[-1]
    found = [f"'{last}'", f".{last} ", f".{last}:", f"{last} must", f"'{last}' is"]
    if len(keys) >= 2:
        found.insert(0, f"{keys[-2]}.{last}")
    return found


def locate(message: str, data, base: tuple = ()) -> tuple:
    """The path (under ``base``) of the key of ``data`` that ``message`` is about: the key
    whose name the message mentions most specifically; ``base`` if none."""
    best, best_score = base, 0
    stack = [(base, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, inner in value.items():
                child = path + (key,)
                for pattern in _patterns(child):
                    if pattern in message:
                        score = len(pattern) + 2 * len(child)
                        if score > best_score:
                            best, best_score = child, score
                stack.append((child, inner))
    return best


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


def check_name(value, where, path=("name",)) -> str:
    if not isinstance(value, str) or not _NAME.match(value):
        raise where.error(path, f"pipeline name must be letters, digits, '_', '-' or '.', "
                                f"got {value!r}", hint="e.g. name: quickstart")
    return value


def known_stage_keys(stage: str, config_class) -> set[str]:
    """The keys a stage's mapping may hold."""
    return set(config_class.describe()) if config_class is not None else set()


def refuse_managed(stage: str, values: dict, where, managed: dict[str, str]) -> None:
    """Refuse settings the pipeline sets itself (``managed``: key -> why)."""
    for key, why in managed.items():
        if key in values:
            raise where.error((stage, key), f"{stage}.{key} is set by the pipeline: {why}",
                              hint=f"remove {stage}.{key}")


def as_mapping(value, where, path) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise where.error(path, f"{'.'.join(map(str, path))} must be a mapping of settings, "
                                f"got {value!r}", hint="write one 'setting: value' per line, "
                                                       "indented under the stage")
    return value


def wrap(error: ConfigError, where, data, base: tuple) -> ConfigError:
    """``error`` placed at the line of the key it is about."""
    path = locate(error.message, data, base)
    return where.error(path, error.message, hint=error.hint)
