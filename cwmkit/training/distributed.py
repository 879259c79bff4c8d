"""A training run of many processes (``accelerate launch``, torchrun, DeepSpeed).

Every process trains its share of each batch and verifies its own completions with its
own sandbox; the run's folder is written once, by the main process (global rank 0):
``train_config.json``, the JSONL log, the adapter's tokenizer and the model card.
Checkpoints and the adapter are saved through the trainer, which writes on the main
process and gathers sharded weights (FSDP, ZeRO-3) from all of them.

The rank is read from the launcher's environment (``RANK``), so it is known before any
model or process group exists.
"""

from __future__ import annotations

import os

__all__ = ["gather_objects", "is_main_process", "process_count", "rank"]


def rank() -> int:
    """This process's global rank (0 when the run has one process)."""
    return int(os.environ.get("RANK", "0"))


def process_count() -> int:
    """How many processes train together (1 without a launcher)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main_process() -> bool:
    """Whether this process writes the run's folder."""
    return rank() == 0


def gather_objects(value) -> list:
    """``value`` of every process, in rank order (every process must call this at the
    same point); ``[value]`` when the run has one process."""
    if process_count() <= 1:
        return [value]
    import torch.distributed as dist

    if not dist.is_available() or not dist.is_initialized():
        return [value]
    gathered: list = [None] * dist.get_world_size()
    dist.all_gather_object(gathered, value)
    return gathered
