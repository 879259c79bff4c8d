"""The built-in trainers: ``sft`` and ``grpo`` (TRL + PEFT, the ``train`` extra)."""

from cwmkit_plugins.trainers.config import GRPOConfig, SFTConfig
from cwmkit_plugins.trainers.grpo import GRPOTrainer
from cwmkit_plugins.trainers.sft import SFTTrainer

from cwmkit import hookimpl

__all__ = ["GRPOConfig", "GRPOTrainer", "SFTConfig", "SFTTrainer"]


@hookimpl
def register_trainers(register):
    register(SFTTrainer())
    register(GRPOTrainer())
