"""What the per-game exploration costs, once per game, and what it reaches.

    python benchmarks/exploration_cost.py [--games tic_tac_toe,pig]

For each game, the exploration (``cwmkit.verify.explore``: the coverage-guided pool,
every reachable state of a small game, the small views of resample_history's
distribution) is built from scratch with the default settings, in this process: its CPU
seconds, the search's walks and traced calls, the features found, the pool's size and
steps, the lines of the reference covered, and the states enumerated. A program's
verification never pays this: the exploration is cached in memory and on disk. Writes
benchmarks/results/exploration_cost.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from cwmkit.core.plugins import get_host
from cwmkit.verify import explore
from cwmkit.verify.settings import VerifySettings

RESULTS = Path(__file__).parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", help="comma-separated game ids (default: all)")
    args = parser.parse_args()
    host = get_host()
    games = host.registry("games")
    names = args.games.split(",") if args.games else sorted(games)
    settings = VerifySettings()
    rows = {}
    with tempfile.TemporaryDirectory() as cache:
        os.environ["CWMKIT_CACHE_DIR"] = cache  # from scratch: nothing cached
        for name in names:
            game = games[name]
            module = game.reference()
            explore._MEMORY.clear()
            start = time.process_time()
            found = explore.exploration(module, game.spec, settings)
            cpu = time.process_time() - start
            stats = dict(found.stats)
            rows[name] = {"tier": game.spec.tier, "cpu_seconds": round(cpu, 3), **stats}
            print(name, rows[name], flush=True)
    data = {"config": {"python": platform.python_version(),
                       "explore_events": settings.explore_events,
                       "pool_trajectories": settings.pool_trajectories,
                       "exhaustive_states": settings.exhaustive_states,
                       "distribution_views": settings.distribution_views},
            "games": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "exploration_cost.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "exploration_cost.md").write_text(markdown(data))


def markdown(data: dict) -> str:
    c = data["config"]
    rows = data["games"]
    total = sum(r["cpu_seconds"] for r in rows.values())
    lines = [
        "# Exploration cost, once per game", "",
        f"`python benchmarks/exploration_cost.py` on Python {c['python']}, 2 shared cores; "
        f"default settings (`explore_events` {c['explore_events']:,}, `pool_trajectories` "
        f"{c['pool_trajectories']}, `exhaustive_states` {c['exhaustive_states']:,}, "
        f"`distribution_views` {c['distribution_views']}). Built once per game and cached "
        "(memory and disk): no program's verification pays it.", "",
        f"**All {len(rows)} games: {total:.0f} s of CPU together; median "
        f"{sorted(r['cpu_seconds'] for r in rows.values())[len(rows) // 2]:.1f} s per "
        "game.**", "",
        "| game | tier | CPU s | walks | traced calls | features | pool (steps) | lines "
        "covered | reachable states | views |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in rows.items():
        states = f"{r['states']:,}" if r.get("states") is not None else "> cap"
        lines.append(f"| {name} | {r['tier'] or 'eval'} | {r['cpu_seconds']:.2f} | "
                     f"{r.get('walks', 0)} | {r.get('calls', 0):,} | {r.get('features', 0)} | "
                     f"{r.get('pool', 0)} ({r.get('pool_steps', 0)}) | "
                     f"{r.get('lines_covered', 0)}/{r.get('lines', 0)} | {states} | "
                     f"{r.get('views', 0)} |")
    lines += ["", "Lines not covered are mostly unreachable by legal play (the raise for an "
              "illegal action, defensive branches); `lines_missed` in the JSON lists them."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
