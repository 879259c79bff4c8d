"""Loading what a trainer trains: models, tokenizers, datasets, with fixes in the errors.

A model name that is neither a folder nor in the hub cache is checked against the hub
once, with a short timeout, so that an offline machine is told at once to use the tiny
model or a local folder instead of retrying for a minute.
"""

from __future__ import annotations

from pathlib import Path

from cwmkit.core.errors import ConfigError
from cwmkit.core.text import did_you_mean
from cwmkit.training.config import TrainConfig

__all__ = ["check_model_source", "check_target_modules", "linear_module_names",
           "load_dataset_columns", "load_model", "load_tokenizer"]


_NO_MODEL_HINT = ("on a machine without the model: 'model: tiny' in a pipeline, or "
                  "'cwmkit model tiny --out DIR' and the folder DIR (a small local model "
                  "cwmkit builds itself); or a folder holding a saved model")


def check_model_source(name: str) -> None:
    """Fail fast, and say what to do, when ``name`` is neither a local folder nor in the
    hub cache and the hub cannot be reached (instead of minutes of retries)."""
    import os
    import urllib.error
    import urllib.request

    if Path(name).expanduser().is_dir():
        return
    if name.startswith((".", "/", "~")) or name.count("/") > 1:
        raise ConfigError(f"model '{name}': no such folder", hint=_NO_MODEL_HINT)
    try:
        from huggingface_hub import try_to_load_from_cache
        from huggingface_hub.constants import ENDPOINT, HF_HUB_OFFLINE
    except ImportError:  # transformers brings huggingface_hub; without it, let it fail
        return
    try:
        if isinstance(try_to_load_from_cache(name, "config.json"), str):
            return
    except ValueError:  # not a valid repo id
        raise ConfigError(f"model '{name}' is neither a folder nor a hub id",
                          hint=_NO_MODEL_HINT) from None
    if HF_HUB_OFFLINE:
        raise ConfigError(f"model '{name}' is not in the local hub cache and HF_HUB_OFFLINE "
                          "is set", hint=_NO_MODEL_HINT)
    url = f"{os.environ.get('HF_ENDPOINT', ENDPOINT).rstrip('/')}/api/models/{name}"
    try:
        urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10).close()
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 404):
            raise ConfigError(f"model '{name}': the hub has no such model (or it is gated)",
                              hint="check the id; for a gated model log in with 'hf auth "
                                   "login'") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ConfigError(f"model '{name}' is not in the local hub cache and the hub cannot "
                          f"be reached ({reason})", hint=_NO_MODEL_HINT) from None


def load_tokenizer(name: str):
    from transformers import AutoTokenizer

    check_model_source(name)
    try:
        tokenizer = AutoTokenizer.from_pretrained(name)
    except OSError as exc:
        raise ConfigError(f"cannot load the tokenizer of '{name}': {exc}",
                          hint=_NO_MODEL_HINT) from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(name: str, config: TrainConfig):
    """The base model of a hub id or local folder, in the config's dtype."""
    from transformers import AutoModelForCausalLM

    check_model_source(name)
    try:
        return AutoModelForCausalLM.from_pretrained(name, dtype=config.torch_dtype())
    except OSError as exc:
        raise ConfigError(f"cannot load the model '{name}': {exc}",
                          hint=_NO_MODEL_HINT) from None


def linear_module_names(model) -> set[str]:
    """The last name part of every linear layer of ``model`` (what LoRA can target)."""
    import torch

    return {name.rsplit(".", 1)[-1] for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear) and name}


def check_target_modules(config: TrainConfig, model) -> None:
    """Refuse LoRA target modules the model does not have, naming the ones it has."""
    modules = config.lora_target_modules
    if isinstance(modules, str):
        return
    have = linear_module_names(model)
    missing = [m for m in modules if m not in have]
    if missing:
        raise ConfigError(f"{config.section}.lora_target_modules: the model has no linear "
                          f"layer named {', '.join(map(repr, missing))}"
                          f"{did_you_mean(missing[0], have)}",
                          hint="its linear layers: " + ", ".join(sorted(have))
                          + "; or 'all-linear'")


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
