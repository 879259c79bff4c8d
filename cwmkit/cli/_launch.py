"""Multi-process training from the cwmkit command line: ``--accelerate-config FILE``
and ``--num-processes N`` run the same command again under ``accelerate launch``.

``accelerate launch --config_file FILE -m cwmkit train ...`` is what the options stand
for; running it by hand does the same. Without a config file, ``--num-processes N``
starts N processes on this machine (torchrun): one per GPU, or N CPU processes talking
over gloo when the trainer's ``device`` is ``cpu`` (or no GPU is visible).
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from cwmkit.core.errors import ConfigError, MissingExtraError

__all__ = ["accelerate_command", "add_launch_arguments", "check_accelerate_config",
           "launching", "relaunch"]

_OWN = ("accelerate_config", "num_processes")


def add_launch_arguments(parser) -> None:
    group = parser.add_argument_group("multi-process training (accelerate)")
    group.add_argument("--accelerate-config", type=Path, metavar="FILE.yaml",
                       help="run under 'accelerate launch --config_file FILE' (DDP, FSDP, "
                            "DeepSpeed: see pipelines/accelerate/)")
    group.add_argument("--num-processes", type=int, metavar="N",
                       help="processes to launch (overrides the config file's)")
    parser.set_defaults(_launch_parser=parser)


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


def _argv(parser, args, command: str) -> list[str]:
    """The command line that parses to ``args``, less the launch options."""
    argv = [command]
    for action in parser._actions:
        if action.dest in _OWN or action.dest.startswith("_") or action.dest == "help":
            continue
        value = getattr(args, action.dest, None)
        if not action.option_strings:
            if value is not None:
                argv += [str(v) for v in value] if isinstance(value, list) else [str(value)]
            continue
        if value is None or value == action.default:
            continue
        flag = next((o for o in action.option_strings if o.startswith("--")),
                    action.option_strings[0])
        if action.nargs == 0:
            argv.append(flag)
        elif isinstance(value, list):
            for item in value:
                argv += [flag, str(item)]
        else:
            argv += [flag, str(value)]
    return argv


def launching(args) -> bool:
    """Whether a launch option was given: the command is to run again, many times over."""
    return getattr(args, "accelerate_config", None) is not None or \
        getattr(args, "num_processes", None) is not None


def relaunch(args, command: str) -> int:
    """Run this command again under ``accelerate launch``; its exit code."""
    try:
        import accelerate  # noqa: F401
    except ImportError:
        raise MissingExtraError("accelerate", "train", "multi-process training") from None
    argv = _argv(args._launch_parser, args, command)
    line = accelerate_command(argv, config=args.accelerate_config,
                              num_processes=args.num_processes)
    return subprocess.call(line)
