"""What the SFT and GRPO trainers share: typed configs, model and data loading, logging.

The configs are frozen attrs classes whose fields carry help text; a bad value raises a
:class:`ConfigError` that names the field, what was found and (as the hint) what the field
means. They translate into TRL's own configs (``trl_kwargs``); ``trl:`` passes any further
TRL setting through, checked against TRL's fields. The heavy libraries (torch,
transformers, trl, peft, datasets) are imported inside the functions that need them.
"""

from __future__ import annotations

import json
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

__all__ = ["TrainConfig", "load_model", "load_dataset_columns", "load_tokenizer", "log_callback",
           "note", "require_train_extra", "resume_point"]

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

        from cwmkit.core.text import did_you_mean

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
        try:
            return cls(**values, **self.trl)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"{self.section}: TRL refused the settings: {exc}") from None


# ---------------------------------------------------------------------- loading

def load_tokenizer(name: str):
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(name)
    except OSError as exc:
        raise ConfigError(f"cannot load the tokenizer of '{name}': {exc}",
                          hint="give a hub id (e.g. Qwen/Qwen2.5-3B-Instruct) or a folder "
                               "holding a saved model") from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(name: str, config: TrainConfig):
    """The base model of a hub id or local folder, in the config's dtype."""
    from transformers import AutoModelForCausalLM

    try:
        return AutoModelForCausalLM.from_pretrained(name, dtype=config.torch_dtype())
    except OSError as exc:
        raise ConfigError(f"cannot load the model '{name}': {exc}",
                          hint="give a hub id (e.g. Qwen/Qwen2.5-3B-Instruct) or a folder "
                               "holding a saved model") from None


def load_dataset_columns(path: str, columns: tuple[str, ...], *, section: str):
    """A ``datasets.Dataset`` from a save_to_disk folder or a JSONL/JSON file."""
    import datasets

    where = Path(path)
    fix = (f"give {section}.dataset as a folder written by Dataset.save_to_disk or a "
           f".jsonl file with the columns {', '.join(columns)}")
    if where.is_dir():
        try:
            data = datasets.load_from_disk(str(where))
        except (FileNotFoundError, ValueError) as exc:
            raise ConfigError(f"{path}: not a saved dataset ({exc})", hint=fix) from None
        if isinstance(data, datasets.DatasetDict):
            if "train" not in data:
                raise ConfigError(f"{path}: a DatasetDict without a 'train' split", hint=fix)
            data = data["train"]
    elif where.is_file() and where.suffix in (".jsonl", ".json"):
        try:
            data = datasets.Dataset.from_json(str(where))
        except Exception as exc:  # arrow reports mixed or malformed rows in many ways
            raise ConfigError(f"{path}: cannot read the records ({type(exc).__name__}: "
                              f"{exc})", hint=fix) from None
    else:
        raise ConfigError(f"{section}.dataset {path!r}: no such folder or .jsonl file",
                          hint=fix)
    missing = [c for c in columns if c not in data.column_names]
    if missing:
        raise ConfigError(f"{path}: no column {', '.join(map(repr, missing))} (columns: "
                          f"{', '.join(data.column_names)})", hint=fix)
    if len(data) == 0:
        raise ConfigError(f"{path}: the dataset is empty", hint=fix)
    return data


def resume_point(output_dir: Path, resume: bool | str) -> str | None:
    """The checkpoint a run continues from, or ``None`` to start afresh."""
    if resume is False:
        return None
    if resume is True:
        from transformers.trainer_utils import get_last_checkpoint

        last = get_last_checkpoint(str(output_dir)) if output_dir.is_dir() else None
        if last is None:
            note(f"no checkpoint in {output_dir}: starting from the beginning")
        return last
    if not Path(resume).is_dir():
        raise ConfigError(f"resume_from_checkpoint {resume!r}: no such checkpoint folder",
                          hint="give a checkpoint-N folder of an earlier run, or true")
    return resume


def log_callback(path: Path, **fields):
    """A TrainerCallback appending every log record, with ``fields``, to ``path`` as one
    JSON line."""
    from transformers import TrainerCallback

    class JsonlLog(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and state.is_world_process_zero:
                with path.open("a", encoding="utf-8") as out:
                    out.write(json.dumps({**fields, "step": state.global_step, **logs}) + "\n")

    return JsonlLog()
