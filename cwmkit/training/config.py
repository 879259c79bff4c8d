"""The settings every trainer shares, and their translation into TRL's configs.

The configs are frozen attrs classes whose fields carry help text; a bad value raises a
:class:`ConfigError` that names the field, what was found and (as the hint) what the field
means. They translate into TRL's own configs (``trl_kwargs``); ``trl:`` passes any further
TRL setting through, checked against TRL's fields and the types TRL declares.
"""

from __future__ import annotations

import logging
from pathlib import Path

import attrs
from attrs import field, frozen

from cwmkit.core.config import (
    ConfigBase,
    as_tuple,
    choice,
    flag,
    help_,
    mapping,
    names,
    number,
    resume_value,
    steps,
    targets,
    text,
)
from cwmkit.core.errors import ConfigError, MissingExtraError
from cwmkit.core.text import did_you_mean

__all__ = ["DEVICES", "DTYPES", "SCHEDULERS", "TrainConfig", "check_trl_types", "note",
           "require_train_extra"]

log = logging.getLogger("cwmkit.training")

DTYPES = ("auto", "float32", "bfloat16", "float16")
DEVICES = ("auto", "cpu", "cuda")
SCHEDULERS = ("linear", "cosine", "cosine_with_restarts", "polynomial", "constant",
              "constant_with_warmup", "inverse_sqrt", "cosine_with_min_lr",
              "warmup_stable_decay")


def note(message: str) -> None:
    """A progress message; the CLI shows them, a library user gets them through logging."""
    log.info(message)


def require_train_extra(feature: str) -> None:
    """Import every library of the ``train`` extra, or say which one is missing."""
    import importlib

    for module in ("torch", "transformers", "trl", "peft", "datasets", "accelerate"):
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtraError(module, "train", feature) from None


# ---------------------------------------------------------------------- configs

@frozen(kw_only=True)
class TrainConfig(ConfigBase):
    """Settings every trainer shares. Subclasses set ``section`` and their own defaults."""

    section = "train"

    model: str = field(default="Qwen/Qwen2.5-3B-Instruct", validator=text(),
                       metadata=help_("base model: a hub id or a local folder"))
    dataset: str | None = field(default=None, validator=text(optional=True),
                                metadata=help_("training data: a folder written by "
                                               "datasets' save_to_disk, or a JSONL file"))
    num_train_epochs: float = field(default=1.0, validator=number(above=0),
                                    metadata=help_("passes over the dataset"))
    max_steps: int = field(default=-1, validator=steps,
                           metadata=help_("optimizer steps to train; -1: the epochs decide"))
    learning_rate: float = field(default=1e-5, validator=number(above=0),
                                 metadata=help_("peak learning rate of the LoRA weights"))
    lr_scheduler_type: str = field(default="cosine", validator=choice(*SCHEDULERS),
                                   metadata=help_("learning-rate schedule"))
    warmup_ratio: float = field(default=0.0, validator=number(minimum=0, maximum=0.99),
                                metadata=help_("fraction of the steps spent warming up"))
    per_device_train_batch_size: int = field(default=1, validator=number(int, minimum=1),
                                             metadata=help_("sequences per device per step"))
    gradient_accumulation_steps: int = field(
        default=8, validator=number(int, minimum=1),
        metadata=help_("micro-batches accumulated into one optimizer step"))
    lora_r: int = field(default=16, validator=number(int, minimum=1),
                        metadata=help_("LoRA rank"))
    lora_alpha: int = field(default=32, validator=number(int, minimum=1),
                            metadata=help_("LoRA scaling numerator (scale = alpha / r)"))
    lora_dropout: float = field(default=0.05, validator=number(minimum=0, maximum=0.99),
                                metadata=help_("dropout on the LoRA path"))
    lora_target_modules: tuple[str, ...] | str = field(
        default=("q_proj", "k_proj", "v_proj", "o_proj"), converter=as_tuple,
        validator=targets,
        metadata=help_("modules that get LoRA adapters: a list of names, or 'all-linear'"))
    logging_steps: int = field(default=5, validator=number(int, minimum=1),
                               metadata=help_("optimizer steps between log lines"))
    save_steps: int = field(default=50, validator=number(int, minimum=1),
                            metadata=help_("optimizer steps between checkpoints"))
    save_total_limit: int | None = field(
        default=3, validator=number(int, minimum=1, optional=True),
        metadata=help_("checkpoints kept (null: all)"))
    seed: int = field(default=42, validator=number(int, minimum=0),
                      metadata=help_("random seed of the run"))
    dtype: str = field(default="auto", validator=choice(*DTYPES),
                       metadata=help_("weight dtype; auto: bfloat16 on a GPU that supports "
                                      "it, float32 on CPU"))
    device: str = field(default="auto", validator=choice(*DEVICES),
                        metadata=help_("auto: the GPU if there is one, else the CPU"))
    gradient_checkpointing: bool = field(default=False, validator=flag,
                                         metadata=help_("trade compute for activation "
                                                        "memory (long sequences on a GPU)"))
    report_to: str | tuple[str, ...] = field(
        default="none", converter=as_tuple, validator=names,
        metadata=help_("experiment trackers (none, wandb, tensorboard, ...)"))
    resume_from_checkpoint: bool | str = field(
        default=False, validator=resume_value,
        metadata=help_("true: continue from the run's last checkpoint; or a checkpoint "
                       "folder"))
    trl: dict = field(factory=dict, validator=mapping,
                      metadata=help_("further settings passed to TRL's config as they are"))

    def on_gpu(self) -> bool:
        if self.device == "cpu":
            return False
        import torch

        if self.device == "cuda" and not torch.cuda.is_available():
            raise ConfigError(f"{self.section}.device is 'cuda' but no GPU is visible",
                              hint="set device: auto or cpu")
        return torch.cuda.is_available()

    def torch_dtype(self):
        import torch

        if self.dtype == "auto":
            if self.on_gpu() and torch.cuda.is_bf16_supported():
                return torch.bfloat16
            return torch.float32
        return getattr(torch, self.dtype)

    def lora(self):
        from peft import LoraConfig

        modules = self.lora_target_modules
        return LoraConfig(r=self.lora_r, lora_alpha=self.lora_alpha,
                          lora_dropout=self.lora_dropout, task_type="CAUSAL_LM",
                          target_modules=modules if isinstance(modules, str) else list(modules))

    def trl_kwargs(self, output_dir: Path) -> dict:
        """The TRL/transformers arguments these settings stand for."""
        import torch

        gpu = self.on_gpu()
        dtype = self.torch_dtype()
        report = self.report_to
        return {
            "output_dir": str(output_dir),
            "num_train_epochs": self.num_train_epochs,
            "max_steps": self.max_steps,
            "learning_rate": self.learning_rate,
            "lr_scheduler_type": self.lr_scheduler_type,
            "per_device_train_batch_size": self.per_device_train_batch_size,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
            "logging_steps": self.logging_steps,
            "logging_first_step": True,
            "save_steps": self.save_steps,
            "save_total_limit": self.save_total_limit,
            "seed": self.seed,
            "report_to": list(report) if isinstance(report, tuple) else report,
            "use_cpu": not gpu,
            "bf16": gpu and dtype == torch.bfloat16,
            "fp16": gpu and dtype == torch.float16,
        }

    def trl_config(self, cls, output_dir: Path, **specific):
        """TRL's ``cls`` (``trl.SFTConfig``, ``trl.GRPOConfig``) for this run."""
        import dataclasses

        names = {f.name for f in dataclasses.fields(cls)}
        # transformers 5 renamed the checkpointing switch (the old name warns) and folded
        # warmup_ratio into warmup_steps (a value below 1 is a fraction of the steps).
        checkpointing = "activation_checkpointing" if "activation_checkpointing" in names \
            else "gradient_checkpointing"
        warmup = "warmup_ratio" if "warmup_ratio" in names else "warmup_steps"
        values = {**self.trl_kwargs(output_dir), checkpointing: self.gradient_checkpointing,
                  warmup: self.warmup_ratio, **specific}
        for key in self.trl:
            if key in values:
                raise ConfigError(f"{self.section}.trl.{key} is set by cwmkit",
                                  hint=f"set it as a {self.section} setting instead"
                                  if key in attrs.fields_dict(type(self)) else
                                  "cwmkit derives it from the other settings")
            if key not in names:
                raise ConfigError(f"{self.section}.trl.{key}: {cls.__name__} has no such "
                                  f"setting{did_you_mean(key, names)}",
                                  hint="see the TRL documentation of " + cls.__name__)
        check_trl_types(cls, self.trl, self.section)
        try:
            return cls(**values, **self.trl)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{self.section}: TRL refused the settings: {exc}") from None


def _fits(value, hint) -> bool | None:
    """Whether ``value`` fits the annotation ``hint``; None where it cannot tell."""
    import enum
    import types
    import typing

    origin = typing.get_origin(hint)
    if hint is typing.Any:
        return True
    if origin in (typing.Union, types.UnionType):
        fits = [_fits(value, arg) for arg in typing.get_args(hint)]
        return True if True in fits else None if None in fits else False
    if hint is type(None):
        return value is None
    simple = {bool: lambda v: isinstance(v, bool), int: lambda v: type(v) is int,
              float: lambda v: type(v) in (int, float), str: lambda v: isinstance(v, str),
              dict: lambda v: isinstance(v, dict)}
    if hint in simple:
        return simple[hint](value)
    if origin is dict:
        return isinstance(value, dict)
    if origin in (list, tuple):
        if not isinstance(value, (list, tuple)):
            return False
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        fits = [_fits(v, args[0]) for v in value] if len(args) == 1 else []
        return False if False in fits else True
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return isinstance(value, hint) or value in [m.value for m in hint]
    return None


def _type_words(hint) -> str:
    import types
    import typing

    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join(dict.fromkeys(_type_words(a) for a in typing.get_args(hint)))
    words = {bool: "true or false", int: "an integer", float: "a number", str: "a string",
             type(None): "null", dict: "a mapping"}
    if hint in words:
        return words[hint]
    if typing.get_origin(hint) in (list, tuple):
        return "a list"
    if typing.get_origin(hint) is dict:
        return "a mapping"
    return getattr(hint, "__name__", str(hint))


def check_trl_types(cls, values: dict, section: str) -> None:
    """Refuse a ``trl:`` value whose type does not fit the TRL field it sets (checked
    before any model loads, not inside torch later)."""
    import typing

    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 - an annotation TRL's own module cannot resolve
        return
    for key, value in values.items():
        hint = hints.get(key)
        if hint is not None and _fits(value, hint) is False:
            raise ConfigError(f"{section}.trl.{key} must be {_type_words(hint)}, got "
                              f"{value!r}", hint=f"{key} is a setting of TRL's {cls.__name__}: "
                                                 "see its documentation")
