"""A training run of many processes (``accelerate launch``, torchrun, DeepSpeed).

Every process trains its share of each batch and verifies its own completions with its
own sandbox; the run's folder is written once, by the main process (global rank 0):
``train_config.json``, the JSONL log, the adapter's tokenizer and the model card.
Checkpoints and the adapter are saved through the trainer, which writes on the main
process and gathers sharded weights (FSDP, ZeRO-3) from all of them.

The rank is read from the launcher's environment (``RANK``), so it is known before any
model or process group exists. :func:`accelerate_command` is the ``accelerate launch``
line that runs a cwmkit command in many processes (``cwmkit train --accelerate-config``).
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from cwmkit.core.errors import ConfigError

__all__ = ["accelerate_command", "check_accelerate_config", "gather_objects",
           "is_main_process", "process_count", "rank"]


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_accelerate_config(path: Path) -> dict:
    """The accelerate config file as a mapping, or a ConfigError saying what is wrong."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the accelerate config {path}: {exc.strerror}",
                          hint="see pipelines/accelerate/ for DDP, FSDP and DeepSpeed "
                               "examples") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "distributed_type" not in data:
        raise ConfigError(f"{path} is not an accelerate config (no distributed_type)",
                          hint="write one with 'accelerate config', or start from "
                               "pipelines/accelerate/")
    return data


def accelerate_command(argv: list[str], *, config: Path | None,
                       num_processes: int | None) -> list[str]:
    """The ``accelerate launch`` command line that runs ``cwmkit <argv>``."""
    launch = [sys.executable, "-m", "accelerate.commands.launch"]
    settings: dict = {}
    if config is not None:
        settings = check_accelerate_config(config)
        launch += ["--config_file", str(config)]
    if num_processes is not None:
        if num_processes < 1:
            raise ConfigError(f"--num-processes must be at least 1, got {num_processes}")
        launch += ["--num_processes", str(num_processes)]
        if config is None:
            launch += ["--multi_gpu", "--num_machines", "1", "--mixed_precision", "no",
                       "--dynamo_backend", "no"]
    if settings.get("num_machines", 1) == 1 and "main_process_port" not in settings:
        # One machine: a free port, so that two runs side by side do not collide on
        # torchrun's default one. Many machines agree on the port their config names.
        launch += ["--main_process_port", str(_free_port())]
    return [*launch, "-m", "cwmkit", *argv]
