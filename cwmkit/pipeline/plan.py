"""From a pipeline file to a checked plan: typed stage configs wired to each other.

:func:`load_plan` reads the file, applies ``--set`` overrides, checks every key, type and
file it names (each error at its line, before any work), fills in what one stage takes
from another (the data stage's dataset for SFT and GRPO, the SFT adapter for GRPO, the
last adapter for generation) and gives every step a key: a hash of its config, of what
it reads and of the keys of the steps it reads from. A finished step whose key is
unchanged is skipped; a changed key means its outputs are stale.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from attrs import define, field

from cwmkit.core.errors import ConfigError, CwmkitError, MissingExtraError
from cwmkit.pipeline.config import (
    STAGES,
    TOP_LEVEL,
    DataStage,
    EvaluateStage,
    GenerateStage,
    ReportStage,
    as_mapping,
    backend_of,
    check_name,
    refuse_managed,
    wrap,
)
from cwmkit.pipeline.yamlfile import Locations, load_yaml, parse_scalar

__all__ = ["FORMAT", "Plan", "Step", "load_plan"]

#: Version of the run directory's layout and records (docs/pipelines.md).
FORMAT = 1

#: Settings that change how a step reports or saves, not what it computes: left out of
#: the step's key.
_UNHASHED = {"logging_steps", "save_steps", "save_total_limit", "report_to", "workers",
             "resume_from_checkpoint", "log_completions", "concurrency", "timeout", "retries",
             "backoff", "api_key_env"}


@define
class Step:
    """One step of the plan: a stage (or the tiny model's build) and its typed config."""

    name: str
    config: Any
    folder: Path
    inputs: tuple[str, ...] = ()
    extra: dict = field(factory=dict)
    key: str = ""
    about: str = ""
    check: Any = field(default=None, repr=False, eq=False)

    def config_dict(self) -> dict:
        config = self.config
        return config.to_dict() if hasattr(config, "to_dict") else dict(config)


@define
class Plan:
    """A checked pipeline: its steps in order, each with its key."""

    file: Path
    name: str
    model: str
    model_path: str
    run_dir: Path
    description: str | None
    steps: dict[str, Step]
    text: str
    overrides: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def tiny(self) -> bool:
        return self.model == "tiny"

    def check(self, names) -> None:
        """The checks left to do (a trainer's TRL settings, when the plan was loaded with
        ``check_trainers=False``) of the steps ``names``: before they run."""
        for name in names:
            check = self.steps[name].check
            if check is not None:
                check()

    def resolved(self) -> dict:
        """What ``run_dir/resolved.json`` holds: every step's config and key."""
        return {"format": FORMAT, "name": self.name, "file": str(self.file),
                "model": self.model, "model_path": self.model_path,
                "overrides": list(self.overrides),
                "steps": {n: {"key": s.key, "inputs": list(s.inputs), "about": s.about,
                              "config": s.config_dict()} for n, s in self.steps.items()}}


def _apply_overrides(data: dict, overrides, where: Locations) -> dict:
    for item in overrides:
        key, sep, raw = item.partition("=")
        parts = [p for p in key.strip().split(".") if p]
        if not sep or not parts:
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE",
                              hint="e.g. --set sft.max_steps=2")
        target = data
        for depth, part in enumerate(parts[:-1]):
            inner = target.get(part)
            if inner is None:
                inner = target[part] = {}
            if not isinstance(inner, dict):
                raise ConfigError(f"--set {item}: {'.'.join(parts[:depth + 1])} is not a "
                                  "mapping")
            target = inner
        target[parts[-1]] = parse_scalar(raw)
        where.marks[tuple(parts)] = (0, 0)
        where.overrides[tuple(parts)] = item
    return data


class _Where(Locations):
    """Locations that also know which values came from ``--set``."""

    def __init__(self, base: Locations) -> None:
        super().__init__(base.file, base.lines)
        self.marks = dict(base.marks)
        self.overrides: dict[tuple, str] = {}

    def error(self, path, message, hint=None):
        path = tuple(path)
        for length in range(len(path), 0, -1):
            if path[:length] in self.overrides:
                return ConfigError(f"--set {self.overrides[path[:length]]}: {message}",
                                   hint=hint)
        return super().error(path, message, hint)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _hashable(value, run_dir: str):
    if isinstance(value, dict):
        return {k: _hashable(v, run_dir) for k, v in value.items() if k not in _UNHASHED}
    if isinstance(value, (list, tuple)):
        return [_hashable(v, run_dir) for v in value]
    if isinstance(value, str) and value.startswith(run_dir):
        return "$RUN" + value[len(run_dir):]
    return value


def _model_path(model, where: Locations, run_dir: Path) -> str:
    if not isinstance(model, str) or not model.strip():
        raise where.error(("model",), "pipeline.model is not set" if model is None else
                          f"pipeline.model must be a hub id, a folder or tiny, got {model!r}",
                          hint="model: tiny (a small local model, CPU only, scores near 0), "
                               "a hub id such as Qwen/Qwen2.5-3B-Instruct, or a folder")
    if model == "tiny":
        return str(run_dir / "model")
    local = Path(model).expanduser()
    if model.startswith((".", "/", "~")) or local.is_dir():
        if not (local / "config.json").is_file():
            raise where.error(("model",), f"model {model!r}: no saved model in that folder",
                              hint="give a folder written by save_pretrained, a hub id, or "
                                   "tiny")
        return str(local.resolve())
    return model


def _existing(path, where, location, what: str, marker: str | None = None) -> str:
    folder = Path(str(path)).expanduser()
    if not folder.exists() or (marker and not (folder / marker).is_file()):
        raise where.error(location, f"{'.'.join(map(str, location))} {path!r}: no {what} "
                                    "there", hint=f"give the path of an existing {what}")
    return str(folder.resolve())


def load_plan(file: str | Path, *, run_dir: str | Path | None = None, overrides=(),
              check_trainers: bool = True, environment: bool = True, host=None) -> Plan:
    """The checked plan of a pipeline file (see the module). ``environment`` False
    checks the file alone (a dry run on another machine): a missing extra or GPU is
    listed in ``plan.missing`` instead of raised."""
    from cwmkit.core.plugins import get_host

    host = host or get_host()
    file = Path(file)
    data, base = load_yaml(file)
    where = _Where(base)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise where.error((), "a pipeline file is a mapping: name, model and its stages",
                          hint="see pipelines/quickstart.yaml")
    data = _apply_overrides(data, overrides, where)
    from cwmkit.core.text import did_you_mean

    for key in data:
        if key not in TOP_LEVEL:
            raise where.error((key,), f"unknown pipeline key '{key}'"
                                      f"{did_you_mean(key, TOP_LEVEL)}",
                              hint="keys: " + ", ".join(TOP_LEVEL))
    name = check_name(data.get("name", file.stem), where)
    run_dir = Path(run_dir) if run_dir is not None else Path("runs") / name
    run_dir = run_dir.resolve()
    model = data.get("model")
    model_path = _model_path(model, where, run_dir)
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise where.error(("description",), "pipeline.description must be text")
    stages = {s: as_mapping(data[s], where, (s,)) for s in STAGES if s in data}
    if not stages:
        raise where.error((), "the pipeline runs no stage",
                          hint="add stages: " + ", ".join(STAGES))
    builder = _Builder(host, where, run_dir, model, model_path, stages, check_trainers,
                       environment)
    steps = builder.build()
    plan = Plan(file=file.resolve(), name=name, model=model, model_path=model_path,
                run_dir=run_dir, description=description, steps=steps,
                text="\n".join(base.lines) + "\n", overrides=tuple(overrides),
                missing=tuple(builder.missing))
    for step in steps.values():
        config = _hashable(step.config_dict(), str(run_dir))
        upstream = {n: steps[n].key for n in step.inputs}
        step.key = _digest({"step": step.name, "format": FORMAT, "config": config,
                            "inputs": upstream,
                            "extra": _hashable(step.extra, str(run_dir))})
    return plan


class _Builder:
    """Builds each step's typed config, in stage order."""

    def __init__(self, host, where, run_dir, model, model_path, stages, check_trainers,
                 environment):
        self.host, self.where, self.run = host, where, run_dir
        self.model, self.model_path, self.stages = model, model_path, stages
        self.check_trainers, self.environment = check_trainers, environment
        self.steps: dict[str, Step] = {}
        self.missing: list[str] = []

    def typed(self, stage: str, cls, values: dict):
        try:
            return cls.from_dict(values)
        except ConfigError as exc:
            raise wrap(exc, self.where, self.stages[stage], (stage,)) from None

    def build(self) -> dict[str, Step]:
        if self.model == "tiny":
            from cwmkit.models.tiny import VERSION, corpus_sha256

            self.steps["model"] = Step(
                "model", {"model": "tiny", "version": VERSION}, self.run / "model",
                extra={"corpus_sha256": corpus_sha256()},
                about="build the tiny model (2 layers, width 64) and its tokenizer")
        for stage in self.stages:
            getattr(self, f"_{stage}")(self.stages[stage])
        return self.steps

    def _model_inputs(self) -> tuple[str, ...]:
        return ("model",) if "model" in self.steps else ()

    # ------------------------------------------------------------------ stages

    def _data(self, values):
        config = self.typed("data", DataStage, values)
        from cwmkit import data as records

        try:
            games = records.select_games(config.split, config.games, host=self.host)
            teacher = config.teacher_config()
        except CwmkitError as exc:
            raise wrap(exc, self.where, values, ("data",)) from None
        if not games:
            raise self.where.error(("data",), f"no registered game in the {config.split} split")
        content = {g.name: _digest([records.prompt_text(g.spec, config.renderer),
                                    g.reference_source if g.reference_path else None])
                   for g in games}
        inputs: tuple[str, ...] = ()
        if teacher is not None:
            # Its own step, so that what the teacher wrote survives a change of what the
            # data stage keeps of it (min_score, format).
            backend, generation = self._generation(("data", "teacher"), teacher.backend,
                                                   teacher, adapter=None, model=teacher.model)
            prompts = {g.name: _digest(records.prompt_text(g.spec, config.renderer))
                       for g in games}
            sampling = {k: v for k, v in teacher.to_dict().items() if k != "min_score"}
            self.steps["teacher"] = Step(
                "teacher", sampling, self.run / "teacher",
                extra={"prompts": prompts, "backend": backend, "renderer": config.renderer,
                       "games": [g.name for g in games], "split": config.split,
                       "generation": generation.to_dict()},
                about=f"{teacher.samples} samples of {len(games)} games from the teacher "
                      f"{teacher.model} ({backend}), verified")
            inputs = ("teacher",)
        self.steps["data"] = Step("data", config, self.run / "data", inputs=inputs,
                                  extra={"games": content},
                                  about=f"records of {len(games)} games"
                                        + (" with a teacher" if teacher else ""))

    def _trainer_config(self, stage: str, values: dict, filled: dict):
        trainer = self.host.get("trainers", stage)
        refuse_managed(stage, values, self.where, {
            "model": "it trains the pipeline's model: set 'model' at the top",
            "resume_from_checkpoint": "a run resumes by itself"})
        config = self.typed(stage, trainer.config_class, {**filled, **values})
        self._check_targets(stage, config, values)
        if not hasattr(trainer, "check"):
            return config, None
        checked = config
        if "sft_adapter" in filled:  # made by the sft step: not there yet
            checked = config.evolve(sft_adapter=None, sft_adapter_mode="merge")
        kwargs = {} if self.environment else {"environment": False}

        def check() -> None:
            try:
                trainer.check(checked, **kwargs)
            except MissingExtraError as exc:
                if self.environment:
                    raise
                self.missing.append(f"{stage}: {exc.message} ({exc.hint})")
            except ConfigError as exc:
                raise wrap(exc, self.where, values, (stage,)) from None

        if self.check_trainers:
            check()
        return config, check

    def _check_targets(self, stage, config, values) -> None:
        from cwmkit.models.tiny import LINEAR_MODULES

        targets = config.lora_target_modules
        if self.model == "tiny" and not isinstance(targets, str):
            missing = [t for t in targets if t not in LINEAR_MODULES]
            if missing:
                raise self.where.error(
                    (stage, "lora_target_modules"), f"{stage}.lora_target_modules: the model "
                    f"has no linear layer named {', '.join(map(repr, missing))}",
                    hint="its linear layers: " + ", ".join(LINEAR_MODULES) + "; or 'all-linear'")

    def _dataset(self, stage: str, values: dict, default: Path) -> tuple[str, tuple]:
        if "dataset" in values:
            return _existing(values["dataset"], self.where, (stage, "dataset"),
                             "dataset (a .jsonl file or a saved dataset folder)"), ()
        if "data" not in self.steps:
            raise self.where.error((stage,), f"{stage} has no dataset",
                                   hint=f"add a data stage before it, or set {stage}.dataset")
        return str(default), ("data",)

    def _sft(self, values):
        dataset, inputs = self._dataset("sft", values, self.run / "data" / "dataset")
        config, check = self._trainer_config("sft", values, {"model": self.model_path,
                                                             "dataset": dataset})
        self.steps["sft"] = Step("sft", config, self.run / "sft", check=check,
                                 inputs=self._model_inputs() + inputs,
                                 about=f"SFT of a LoRA adapter ({config.max_steps} steps)"
                                 if config.max_steps > 0 else "SFT of a LoRA adapter")

    def _grpo(self, values):
        dataset, inputs = self._dataset("grpo", values, self.run / "data" / "prompts.jsonl")
        filled = {"model": self.model_path, "dataset": dataset}
        if "sft_adapter" in values:
            if values["sft_adapter"] is not None:
                values = {**values, "sft_adapter": _existing(
                    values["sft_adapter"], self.where, ("grpo", "sft_adapter"),
                    "LoRA adapter", "adapter_config.json")}
        elif "sft" in self.steps:
            filled["sft_adapter"] = str(self.run / "sft" / "adapter")
            inputs += ("sft",)
        config, check = self._trainer_config("grpo", values, filled)
        self.steps["grpo"] = Step("grpo", config, self.run / "grpo", check=check,
                                  inputs=self._model_inputs() + tuple(dict.fromkeys(inputs)),
                                  about="GRPO on the verifier's reward"
                                        + (" (curriculum)" if config.curriculum else ""))

    def _generation(self, location, backend_settings, sampling, *, adapter, model):
        from cwmkit.generation import generation_config

        name, options = backend_of(backend_settings)
        values = {"model": model, "adapter": adapter, "temperature": sampling.temperature,
                  "top_p": sampling.top_p, "max_new_tokens": sampling.max_new_tokens,
                  "n": sampling.samples, "seed": sampling.seed, "options": options}
        try:
            return name, generation_config(name, values, section=".".join(location),
                                           host=self.host)
        except CwmkitError as exc:
            raw = self.stages[location[0]]
            raise wrap(exc, self.where, raw, (location[0],)) from None

    def _adapter(self, choice: str) -> tuple[str | None, tuple]:
        if choice == "auto":
            for stage in ("grpo", "sft"):
                if stage in self.steps:
                    return "$" + stage, (stage,)
            return None, ()
        if choice == "none":
            return None, ()
        if choice in ("sft", "grpo"):
            if choice not in self.steps:
                raise self.where.error(("generate", "adapter"), f"generate.adapter is "
                                       f"'{choice}' but the pipeline has no {choice} stage",
                                       hint="use auto, none or an adapter folder")
            return "$" + choice, (choice,)
        return _existing(choice, self.where, ("generate", "adapter"), "LoRA adapter",
                         "adapter_config.json"), ()

    def _generate(self, values):
        if values.get("games") and "split" not in values:
            values = {**values, "split": "all"}  # named games, whatever their split
        config = self.typed("generate", GenerateStage, values)
        from cwmkit import data as records

        try:
            games = records.select_games(config.split, config.games, host=self.host)
        except CwmkitError as exc:
            raise wrap(exc, self.where, values, ("generate",)) from None
        adapter, inputs = self._adapter(config.adapter)
        backend_name = backend_of(config.backend)[0]
        if adapter is not None and adapter.startswith("$") and backend_name == "openai":
            raise self.where.error(("generate", "adapter"), "the openai backend samples the "
                                   "model its server loaded: it cannot use the pipeline's "
                                   f"{adapter[1:]} adapter", hint="set adapter: none, or "
                                   "generate with transformers or vllm")
        # The adapter of a stage that has not run yet: a placeholder folder to check.
        placeholder = None if adapter is None or adapter.startswith("$") else adapter
        backend, generation = self._generation(("generate", "backend"), config.backend,
                                               config, adapter=placeholder,
                                               model=self.model_path)
        prompts = {g.name: _digest(records.prompt_text(g.spec, config.renderer))
                   for g in games}
        self.steps["generate"] = Step(
            "generate", config, self.run / "generate", inputs=self._model_inputs() + inputs,
            extra={"prompts": prompts, "adapter": adapter, "backend": backend,
                   "generation": generation.to_dict()},
            about=f"{config.samples} samples for each of {len(games)} games ({backend})")

    def _verify(self, values):
        from cwmkit.verify.settings import VerifySettings

        config = self.typed("verify", VerifySettings, values)
        if "generate" not in self.steps:
            raise self.where.error(("verify",), "verify needs a generate stage before it",
                                   hint="add a generate stage, or use 'cwmkit verify' on "
                                        "files")
        self.steps["verify"] = Step("verify", config, self.run / "verify",
                                    inputs=("generate",),
                                    about="verify every generated program in the sandbox")

    def _evaluate(self, values):
        config = self.typed("evaluate", EvaluateStage, values)
        if "verify" not in self.steps:
            raise self.where.error(("evaluate",), "evaluate needs a verify stage before it",
                                   hint="add verify: {} after generate")
        self.steps["evaluate"] = Step("evaluate", config, self.run / "evaluate",
                                      inputs=("verify",),
                                      about=f"mean scores with {config.confidence:.0%} "
                                            "intervals per game")

    def _report(self, values):
        config = self.typed("report", ReportStage, values)
        inputs = tuple(s for s in ("sft", "grpo", "evaluate") if s in self.steps)
        self.steps["report"] = Step("report", config, self.run / "report", inputs=inputs,
                                    about="write report.md")
