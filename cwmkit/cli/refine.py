"""Refine a GameCWM: generate, verify, feed the failed checks back, repair.

Each round asks the generation backend for --samples programs, given the game's prompt,
the best program so far and what the verifier found wrong with it (the failed checks
with their counterexamples); a verified program ends the rounds. The best program is
written to --out, and, if it verified, as an SFT record to --records (JSON lines).
--set KEY=VALUE sets any generation setting (base_url, temperature, ...).
"""

from __future__ import annotations

import json
from pathlib import Path

from cwmkit.cli._output import console, escape, print_json
from cwmkit.core.errors import ConfigError

NAME = "refine"
HELP = "generate a GameCWM and repair it from the verifier's counterexamples"


def add_arguments(parser) -> None:
    parser.add_argument("game", help="game id (see 'cwmkit games')")
    parser.add_argument("--generator", required=True, metavar="BACKEND",
                        help="generation backend (see 'cwmkit plugins')")
    parser.add_argument("--model", help="the model (the backend's default if not given)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds at most")
    parser.add_argument("--samples", type=int, default=1, help="programs per round")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        dest="settings", help="any generation setting")
    parser.add_argument("--renderer", default="default", help="prompt plugin")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write the best program")
    parser.add_argument("--records", type=Path, metavar="FILE",
                        help="write the verified best program as an SFT record")
    parser.add_argument("--json", action="store_true", help="print the rounds as JSON")


def _generator(args):
    from cwmkit.cli.verify import _number
    from cwmkit.generation import create_generator

    values: dict = {}
    for item in args.settings:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE")
        try:
            values[key.strip()] = _number(raw.strip())
        except ConfigError:
            values[key.strip()] = raw.strip()
    if args.model:
        values["model"] = args.model
    if args.samples < 1:
        raise ConfigError(f"--samples must be at least 1, got {args.samples}")
    values["n"] = args.samples
    return create_generator(args.generator, values)


def run(args) -> int:
    from cwmkit.core.plugins import get_host
    from cwmkit.planning.refine import refine

    game = get_host().get("games", args.game)
    generator = _generator(args)
    out = console()

    def progress(r) -> None:
        if not args.json:
            score = "-" if r.score is None else f"{r.score:.3f}"
            out.print(f"round {r.index}: {r.status}, score {score}"
                      + (", verified" if r.verified else ""))

    result = refine(game, generator, rounds=args.rounds, renderer=args.renderer,
                    progress=progress)
    best = result.best
    if args.out and best is not None:
        args.out.write_text(best.program, "utf-8")
    if args.records:
        with open(args.records, "w", encoding="utf-8") as fh:
            for rec in result.records(game):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if args.json:
        print_json(result.to_dict())
    elif best is None:
        out.print("no round produced a program")
    else:
        out.print(f"best: round {best.index}, score {best.score}, "
                  + ("verified" if best.verified else "not verified")
                  + (f", written to {escape(str(args.out))}" if args.out else ""))
    return 0 if result.verified else 1
