"""Multi-process training from the cwmkit command line: ``--accelerate-config FILE``
and ``--num-processes N`` run the same command again under ``accelerate launch``.

``accelerate launch --config_file FILE -m cwmkit train ...`` is what the options stand
for; running it by hand does the same. Without a config file, ``--num-processes N``
starts N processes on this machine (torchrun): one per GPU, or N CPU processes talking
over gloo when the trainer's ``device`` is ``cpu`` (or no GPU is visible).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from cwmkit.core.errors import MissingExtraError
from cwmkit.training.distributed import accelerate_command

__all__ = ["add_launch_arguments", "launching", "relaunch"]

_OWN = ("accelerate_config", "num_processes")


def add_launch_arguments(parser) -> None:
    group = parser.add_argument_group("multi-process training (accelerate)")
    group.add_argument("--accelerate-config", type=Path, metavar="FILE.yaml",
                       help="run under 'accelerate launch --config_file FILE' (DDP, FSDP, "
                            "DeepSpeed: see pipelines/accelerate/)")
    group.add_argument("--num-processes", type=int, metavar="N",
                       help="processes to launch (overrides the config file's)")
    parser.set_defaults(_launch_parser=parser)


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
