"""Supervised fine-tuning: TRL's SFTTrainer on a LoRA adapter, loss on the completion only.

The records are prompt-completion pairs (chat message lists or strings): the prompt a
model is given for a game and a GameCWM that verifies, so the model learns to answer the
prompt with the program, not to reproduce the prompt.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from cwmkit_plugins.trainers.config import SFTConfig

from cwmkit.core.errors import ConfigError
from cwmkit.training import (
    check_target_modules,
    load_dataset_columns,
    load_model,
    load_tokenizer,
    log_callback,
    note,
    require_train_extra,
    resume_point,
    trim_log,
    write_model_card,
)
from cwmkit.training.distributed import is_main_process

__all__ = ["SFTTrainer", "check_settings", "use_callbacks"]


def _meta_model(name: str):
    """The model of a local folder built on the meta device (no weights), or None."""
    if not (Path(name) / "config.json").is_file():
        return None
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    try:
        with torch.device("meta"):
            return AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(name))
    except Exception:  # noqa: BLE001 - an unusual architecture: checked after loading
        return None


def check_settings(config, make_args, *, lora: bool = True) -> None:
    """TRL's own config built from ``config`` (every TRL setting's type checked) and,
    for a model in a local folder, the LoRA targets checked against its layers: all
    before any weights load."""
    with tempfile.TemporaryDirectory() as scratch:
        make_args(Path(scratch))
    if lora:
        model = _meta_model(config.model)
        if model is not None:
            check_target_modules(config, model)


def use_callbacks(trainer, callbacks) -> None:
    """Add ``callbacks`` to ``trainer``; they replace transformers' progress printers."""
    if callbacks is None:
        return
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)
    for callback in callbacks:
        trainer.add_callback(callback)


class SFTTrainer:
    """The ``sft`` trainer."""

    name = "sft"
    description = "supervised fine-tuning of a LoRA adapter on prompt-completion records (TRL)"
    config_class = SFTConfig

    def _args(self, config: SFTConfig, out: Path):
        from trl import SFTConfig as TRLSFTConfig

        return config.trl_config(TRLSFTConfig, out, max_length=config.max_length,
                                 completion_only_loss=config.completion_only_loss,
                                 packing=config.packing)

    def check(self, config, *, environment: bool = True) -> SFTConfig:
        """Every setting, TRL's included, checked without loading a model."""
        if not isinstance(config, SFTConfig):
            config = SFTConfig.from_dict(config)
        require_train_extra("cwmkit train sft")
        check_settings(config, lambda out: self._args(config, out))
        return config

    def train(self, config, run_dir, *, callbacks=None) -> dict:
        """Train; returns the adapter path, the final metrics and the logs. ``callbacks``
        (TrainerCallbacks) replace the default progress printer when given."""
        config = self.check(config)
        from trl import SFTTrainer as TRLSFTTrainer

        run_dir = Path(run_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        # Under accelerate launch every process trains; the main one writes the folder.
        main = is_main_process()
        if main:
            (run_dir / "train_config.json").write_text(
                json.dumps({"trainer": self.name, **config.to_dict()}, indent=2) + "\n")
        data = load_dataset_columns(config.dataset, ("prompt", "completion"), section="sft")
        args = self._args(config, run_dir)
        resume = resume_point(run_dir, config.resume_from_checkpoint)
        if main:
            trim_log(run_dir / "log.jsonl", int(Path(resume).name.rpartition("-")[2])
                     if resume else 0)
        tokenizer = load_tokenizer(config.model)
        model = load_model(config.model, config)
        check_target_modules(config, model)
        note(f"sft: {len(data)} records, model {config.model}")
        trainer = TRLSFTTrainer(model=model, args=args, train_dataset=data,
                                processing_class=tokenizer, peft_config=config.lora(),
                                callbacks=[log_callback(run_dir / "log.jsonl")])
        use_callbacks(trainer, callbacks)
        kept = len(trainer.train_dataset)
        if kept == 0:
            raise ConfigError(f"sft: no record has a completion token within max_length "
                              f"({config.max_length} tokens): the prompts fill it",
                              hint="raise max_length")
        if kept < len(data):
            note(f"left out {len(data) - kept} of {len(data)} records whose completion starts "
                 f"beyond max_length ({config.max_length} tokens)")
        outcome = trainer.train(resume_from_checkpoint=resume)
        adapter = run_dir / "adapter"
        trainer.save_model(str(adapter))  # every process: sharded weights are gathered
        result = {"trainer": self.name, "run_dir": str(run_dir), "adapter": str(adapter),
                  "global_step": trainer.state.global_step, "metrics": outcome.metrics,
                  "log": str(run_dir / "log.jsonl"), "log_history": trainer.state.log_history}
        if main:
            tokenizer.save_pretrained(str(adapter))
            write_model_card(adapter, trainer=self.name, config=config, result=result)
            write_model_card(run_dir, trainer=self.name, config=config, result=result)
        return result
