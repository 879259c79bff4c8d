"""Models cwmkit builds itself.

'cwmkit model tiny --out DIR' writes the tiny model and its tokenizer to DIR: a
randomly initialised two-layer Qwen2-shaped chat model (about 200,000 parameters) with a
byte-level BPE tokenizer trained on the registered games' specs and references, built
in seconds with no download. Every command that takes a model takes DIR (and a pipeline
file takes 'model: tiny'), so training, generation and whole pipelines run on a CPU.
It scores near zero: it is for trying cwmkit out and for tests, not for results.
"""

from __future__ import annotations

from pathlib import Path

from cwmkit.cli._output import console, escape, print_json
from cwmkit.core.errors import ConfigError

NAME = "model"
HELP = "build the tiny local model (for CPUs, tests and trying cwmkit out)"


def add_arguments(parser) -> None:
    parser.add_argument("kind", metavar="KIND", help="the model to build: tiny")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="folder to write the model and tokenizer into (new or empty)")
    parser.add_argument("--json", action="store_true", help="print what was built as JSON")


def run(args) -> int:
    import json

    from cwmkit.core.text import did_you_mean
    from cwmkit.models.tiny import MARKER, TINY, build_tiny_model

    if args.kind != TINY:
        raise ConfigError(f"unknown model kind '{args.kind}'{did_you_mean(args.kind, [TINY])}",
                          hint="cwmkit builds one model itself: tiny")
    try:
        import transformers

        transformers.utils.logging.disable_progress_bar()
    except ImportError:
        pass  # build_tiny_model names the missing extra
    path = build_tiny_model(args.out)
    info = {"path": path, **json.loads((Path(path) / MARKER).read_text("utf-8"))}
    if args.json:
        print_json(info)
        return 0
    console().print(f"wrote the tiny model ({info['parameters']:,} parameters) to "
                    f"{escape(path)}\n  use it with --model {escape(path)} (or 'model: tiny' "
                    "in a pipeline); it scores near zero: it is for trying things out")
    return 0
