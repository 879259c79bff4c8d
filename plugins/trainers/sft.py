"""Supervised fine-tuning: TRL's SFTTrainer on a LoRA adapter, loss on the completion only.

The records are prompt-completion pairs (chat message lists or strings): the prompt a
model is given for a game and a GameCWM that verifies, so the model learns to answer the
prompt with the program, not to reproduce the prompt.
"""

from __future__ import annotations

import json
from pathlib import Path

from cwmkit_plugins.trainers.config import SFTConfig

from cwmkit.core.errors import ConfigError
from cwmkit.training import (
    load_dataset_columns,
    load_model,
    load_tokenizer,
    log_callback,
    note,
    require_train_extra,
    resume_point,
)

__all__ = ["SFTTrainer"]


class SFTTrainer:
    """The ``sft`` trainer."""

    name = "sft"
    description = "supervised fine-tuning of a LoRA adapter on prompt-completion records (TRL)"
    config_class = SFTConfig

    def train(self, config, run_dir) -> dict:
        """Train; returns the adapter path, the final metrics and the logs."""
        if not isinstance(config, SFTConfig):
            config = SFTConfig.from_dict(config)
        require_train_extra("cwmkit train sft")
        from trl import SFTConfig as TRLSFTConfig
        from trl import SFTTrainer as TRLSFTTrainer

        run_dir = Path(run_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "train_config.json").write_text(
            json.dumps({"trainer": self.name, **config.to_dict()}, indent=2) + "\n")
        data = load_dataset_columns(config.dataset, ("prompt", "completion"), section="sft")
        args = config.trl_config(TRLSFTConfig, run_dir, max_length=config.max_length,
                                 completion_only_loss=config.completion_only_loss,
                                 packing=config.packing)
        resume = resume_point(run_dir, config.resume_from_checkpoint)
        tokenizer = load_tokenizer(config.model)
        model = load_model(config.model, config)
        note(f"sft: {len(data)} records, model {config.model}")
        trainer = TRLSFTTrainer(model=model, args=args, train_dataset=data,
                                processing_class=tokenizer, peft_config=config.lora(),
                                callbacks=[log_callback(run_dir / "log.jsonl")])
        kept = len(trainer.train_dataset)
        if kept == 0:
            raise ConfigError(f"sft: no record has a completion token within max_length "
                              f"({config.max_length} tokens): the prompts fill it",
                              hint="raise max_length")
        if kept < len(data):
            note(f"left out {len(data) - kept} of {len(data)} records whose completion starts "
                 f"beyond max_length ({config.max_length} tokens)")
        result = trainer.train(resume_from_checkpoint=resume)
        adapter = run_dir / "adapter"
        trainer.save_model(str(adapter))
        tokenizer.save_pretrained(str(adapter))
        return {"trainer": self.name, "run_dir": str(run_dir), "adapter": str(adapter),
                "global_step": trainer.state.global_step, "metrics": result.metrics,
                "log": str(run_dir / "log.jsonl"), "log_history": trainer.state.log_history}
