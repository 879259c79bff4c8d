"""What the SFT and GRPO trainers share: typed configs, model and data loading, run folders.

``config``: :class:`TrainConfig`, the settings every trainer shares, and their translation
into TRL's own configs (``trl:`` passes any further TRL setting through, checked against
TRL's fields and their types before any model loads). ``loading``: models, tokenizers and
datasets, failing fast with a fix when a model is nowhere to be found. ``runs``:
checkpoints, the JSONL training log, model cards. The heavy libraries (torch,
transformers, trl, peft, datasets) are imported inside the functions that need them.
"""

from cwmkit.training.config import (
    DEVICES,
    DTYPES,
    SCHEDULERS,
    TrainConfig,
    check_trl_types,
    note,
    require_train_extra,
)
from cwmkit.training.loading import (
    check_model_source,
    check_target_modules,
    linear_module_names,
    load_dataset_columns,
    load_model,
    load_tokenizer,
)
from cwmkit.training.runs import (
    last_checkpoint,
    log_callback,
    resume_point,
    trim_log,
    write_model_card,
)

__all__ = ["DEVICES", "DTYPES", "SCHEDULERS", "TrainConfig", "check_model_source",
           "check_target_modules", "check_trl_types", "last_checkpoint", "linear_module_names",
           "load_dataset_columns", "load_model", "load_tokenizer", "log_callback", "note",
           "require_train_extra", "resume_point", "trim_log", "write_model_card"]
