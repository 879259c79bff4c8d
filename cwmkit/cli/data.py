"""Build training data from the game specs.

'cwmkit data build --out DIR' writes one record per game (the generation prompt, and the
game's reference GameCWM as the answer in a ```python block) to DIR/records.jsonl and as
a datasets.Dataset to DIR/dataset. Fields: prompt, completion, game, split, tier, source.

With --teacher BACKEND --teacher-model M, each game's prompt is also sent to a teacher
model --samples times; the distinct programs that verify with a score of at least
--min-score are added as records of source 'teacher:BACKEND:M' (rejection sampling).
--teacher-set KEY=VALUE sets any generation setting (base_url, temperature, ...).

With --format verl, DIR/SPLIT.parquet gets verl's RL rows instead (one per game's prompt:
the chat prompt, data_source cwmkit/GAME, reward_model.ground_truth GAME, extra_info), for
verl's data.train_files and the reward in cwmkit.integrations.verl.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cwmkit.cli._output import console, escape, print_json
from cwmkit.core.errors import ConfigError

NAME = "data"
HELP = "build SFT/GRPO datasets from the specs (optionally with a teacher)"


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = sub.add_parser("build", help="write records.jsonl and a datasets folder",
                           description=__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="folder to write records.jsonl and dataset/ into")
    build.add_argument("--split", choices=("train", "eval", "all"), default="train",
                       help="games of this split (default: train)")
    build.add_argument("--games", metavar="A,B", help="only these games (comma-separated)")
    build.add_argument("--format", choices=("chat", "text", "verl"), default="chat",
                       help="chat messages (default), plain text prompt and completion, or "
                            "verl's parquet")
    build.add_argument("--renderer", default="default", help="prompt plugin")
    build.add_argument("--teacher", metavar="BACKEND",
                       help="generation backend of the teacher (transformers, vllm, openai)")
    build.add_argument("--teacher-model", metavar="M", help="the teacher model")
    build.add_argument("--samples", type=int, default=4,
                       help="teacher completions per game (default: 4)")
    build.add_argument("--min-score", type=float, default=1.0,
                       help="least verification score a teacher program needs (default: 1.0)")
    build.add_argument("--teacher-set", action="append", default=[], metavar="KEY=VALUE",
                       help="any generation setting, e.g. --teacher-set temperature=0.7")
    build.add_argument("--workers", type=int, help="programs verified at once")
    build.add_argument("--json", action="store_true", help="print the summary as JSON")


def _teacher(args):
    if not args.teacher:
        if args.teacher_model or args.teacher_set:
            raise ConfigError("--teacher-model and --teacher-set need --teacher BACKEND")
        return None
    if not args.teacher_model:
        raise ConfigError("--teacher needs --teacher-model", hint="e.g. --teacher-model "
                          "Qwen/Qwen2.5-72B-Instruct")
    if args.samples < 1:
        raise ConfigError(f"--samples must be at least 1, got {args.samples}")
    from cwmkit.cli.verify import _number
    from cwmkit.generation import create_generator

    values: dict = {}
    for item in args.teacher_set:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ConfigError(f"--teacher-set {item!r}: expected KEY=VALUE")
        raw = raw.strip()
        try:
            values[key.strip()] = _number(raw)
        except ConfigError:
            values[key.strip()] = raw
    values.update(model=args.teacher_model, n=args.samples)
    return create_generator(args.teacher, values)


def run(args) -> int:
    from cwmkit import data

    if args.out.exists() and not args.out.is_dir():
        raise ConfigError(f"--out {args.out} is a file: the data goes into a folder "
                          "(records.jsonl and dataset/)",
                          hint="give a folder, e.g. --out data/train")
    games = [g.strip() for g in args.games.split(",") if g.strip()] if args.games else None
    data.select_games(args.split, games)  # a bad game or split fails before any work
    generator = _teacher(args)
    verifier = None
    if generator is not None:
        from cwmkit.verify.verifier import Verifier

        verifier = Verifier({"workers": args.workers} if args.workers else None)
    try:
        records, stats = data.build_records(args.split, games,
                                            format="chat" if args.format == "verl"
                                            else args.format,
                                            renderer=args.renderer, generator=generator,
                                            min_score=args.min_score, verifier=verifier)
    finally:
        if verifier is not None:
            verifier.close()
    if args.format == "verl":
        paths = {"parquet": data.save_verl(records, args.out, name=args.split)}
    else:
        paths = data.save(records, args.out, progress=False)
    sources: dict[str, int] = {}
    for r in records:
        sources[r["source"]] = sources.get(r["source"], 0) + 1
    summary = {"records": len(records), "games": len({r["game"] for r in records}),
               "sources": sources, "teacher": stats,
               **{k: str(v) for k, v in paths.items()}}
    if args.json:
        print_json(summary)
        return 0
    by_source = ", ".join(f"{n} {escape(s)}" for s, n in sources.items())
    where = " and ".join(escape(str(p)) for p in paths.values())
    console().print(f"wrote {len(records)} records ({by_source}) for {summary['games']} games "
                    f"to {where}")
    for game, s in stats.items():
        console().print(f"  {escape(game)}: {s['kept']} of {s['programs']} distinct teacher "
                        f"programs kept ({s['generated']} completions)")
    return 0
