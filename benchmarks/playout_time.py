"""Mean random-playout time of every registered game's reference GameCWM.

Plays N random games per reference in this process (references are trusted) and records
the mean time per playout and per action. Usage:

    python benchmarks/playout_time.py [--playouts 200]

Writes benchmarks/results/playout_time.json and .md.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from pathlib import Path

from cwmkit.core.plugins import get_host

RESULTS = Path(__file__).parent / "results"


def measure(module, playouts: int, seed: int) -> dict:
    rng = random.Random(seed)
    times, lengths = [], []
    for _ in range(playouts):
        start = time.perf_counter()
        state = module.get_initial_state()
        steps = 0
        while module.get_current_player(state) != -4:
            state = module.apply_action(state, rng.choice(module.get_legal_actions(state)))
            steps += 1
        module.get_rewards(state)
        times.append(time.perf_counter() - start)
        lengths.append(steps)
    return {"playouts": playouts, "mean_ms": statistics.fmean(times) * 1000,
            "median_ms": statistics.median(times) * 1000,
            "mean_length": statistics.fmean(lengths),
            "us_per_action": sum(times) / max(1, sum(lengths)) * 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--playouts", type=int, default=200)
    args = parser.parse_args()
    host = get_host()
    rows = {}
    for name, game in sorted(host.registry("games").items()):
        rows[name] = measure(game.reference(), args.playouts, seed=0)
        print(f"{name:22s} {rows[name]['mean_ms']:8.2f} ms/playout "
              f"{rows[name]['mean_length']:6.1f} actions", flush=True)
    RESULTS.mkdir(exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(),
            "playouts_per_game": args.playouts}
    (RESULTS / "playout_time.json").write_text(json.dumps({"meta": meta, "games": rows},
                                                          indent=2) + "\n")
    lines = ["# Random-playout time of the reference GameCWMs", "",
             f"`python benchmarks/playout_time.py --playouts {args.playouts}`, Python "
             f"{meta['python']} on {meta['machine']} (2 cores, shared).", "",
             "| game | mean ms / playout | median ms | mean actions | µs / action |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['mean_ms']:.2f} | {r['median_ms']:.2f} | "
                     f"{r['mean_length']:.1f} | {r['us_per_action']:.1f} |")
    (RESULTS / "playout_time.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
