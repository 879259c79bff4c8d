"""Mutation testing of the verifier over every registered game.

    python benchmarks/mutation.py [--games tic_tac_toe,pig] [--max-mutants 24]
                                  [--equivalence-trajectories 200] [--workers 2]

For each game: the reference's own score (must be exactly 1.0), then mutants of the
reference through the verifier; survivors are examined at length and split into
equivalent mutants and real survivors (blind spots). Writes, after every game so a long
run leaves results as it goes, benchmarks/results/mutation.json and mutation.md. With
--games, the other games' results already in the file are kept (re-run a few games after
a change without re-running all).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from cwmkit.core.plugins import get_host
from cwmkit.verify.mutate import run_mutation
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier

RESULTS = Path(__file__).parent / "results"


def overall(games: list[dict]) -> dict:
    mutants = sum(g["mutants"] for g in games)
    killed = sum(g["killed"] for g in games)
    equivalent = sum(g["equivalent"] for g in games)
    undecided = sum(g["undecided"] for g in games)
    relevant = mutants - equivalent - undecided
    return {"games": len(games), "mutants": mutants, "killed": killed,
            "equivalent": equivalent, "undecided": undecided, "survivors": relevant - killed,
            "kill_rate": round(killed / relevant, 4) if relevant else 1.0,
            "references_at_1": all(g["reference_score"] == 1.0 for g in games)}


def markdown(data: dict) -> str:
    total = data["overall"]
    lines = [
        "# Mutation testing of the verifier", "",
        f"{data['config']['max_mutants']} mutants at most per game (sampled evenly over "
        "operators and functions), default verify settings; a survivor (status ok, score "
        "1.0) is verified again with "
        f"{data['config']['equivalence_trajectories']} reference trajectories and playouts "
        "(the differential tier compares the player to move, legal actions, rewards and "
        "what each player's observations tell apart) and counted equivalent when nothing "
        "differs.",
        "",
        f"**Overall: {total['killed']} of {total['killed'] + total['survivors']} "
        f"non-equivalent mutants killed ({total['kill_rate']:.1%})**; "
        f"{total['equivalent']} equivalent; {total['survivors']} surviving; "
        f"{total['undecided']} undecided (the sandbox failed twice); every reference "
        f"scores exactly 1.0: {'yes' if total['references_at_1'] else 'NO'}.", "",
        "| game | reference | mutants | killed | equivalent | kill rate | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for g in data["games"]:
        lines.append(f"| {g['game']} | {g['reference_score']} | {g['mutants']} | "
                     f"{g['killed']} | {g['equivalent']} | {g['kill_rate']:.1%} | "
                     f"{g['seconds']} |")
    lines += ["", "## Mutants killed per tier (or status)", ""]
    tiers: dict[str, int] = {}
    for g in data["games"]:
        for name, count in g["by_tier"].items():
            tiers[name] = tiers.get(name, 0) + count
    lines += [f"- {name}: {count}" for name, count in sorted(tiers.items())]
    lines += ["", "## Survivors (blind spots)", ""]
    for g in data["games"]:
        for r in g["results"]:
            if not (r["killed"] or r["equivalent"] or r["undecided"]):
                lines.append(f"- {g['game']}: {r['description']} ({r['difference']})")
    if not total["survivors"]:
        lines.append("none")
    lines += ["", "## Equivalent mutants", "",
              "What the examination cannot see counts as equivalent: `resample_history` is "
              "judged by the consistency of what it returns, not by which consistent "
              "histories it can return (a sampler that never draws some passes).", ""]
    for g in data["games"]:
        for r in g["results"]:
            if r["equivalent"]:
                lines.append(f"- {g['game']}: {r['description']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--games", help="comma-separated game ids (default: all)")
    parser.add_argument("--max-mutants", type=int, default=24)
    parser.add_argument("--equivalence-trajectories", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default="mutation", help="results file stem")
    args = parser.parse_args()
    host = get_host()
    ids = args.games.split(",") if args.games else sorted(host.registry("games"))
    data = {"config": {"max_mutants": args.max_mutants,
                       "equivalence_trajectories": args.equivalence_trajectories,
                       "workers": args.workers, "python": platform.python_version()},
            "games": []}
    path = RESULTS / f"{args.out}.json"
    if args.games and path.exists():
        kept = json.loads(path.read_text())["games"]
        data["games"] = [g for g in kept if g["game"] not in ids]
    RESULTS.mkdir(exist_ok=True)
    with Verifier(VerifySettings(workers=args.workers)) as verifier:
        verifier.start()
        for game in ids:
            start = time.perf_counter()
            report = run_mutation(verifier, game, max_mutants=args.max_mutants,
                                  equivalence_trajectories=args.equivalence_trajectories)
            result = {**report.to_dict(), "max_mutants": args.max_mutants,
                      "seconds": round(time.perf_counter() - start, 1)}
            data["games"].append(result)
            data["games"].sort(key=lambda g: g["game"])
            data["overall"] = overall(data["games"])
            path.write_text(json.dumps(data, indent=2) + "\n")
            (RESULTS / f"{args.out}.md").write_text(markdown(data))
            print(f"{game}: {result['killed']} killed, {result['equivalent']} equivalent, "
                  f"{result['undecided']} undecided of {result['mutants']}; "
                  f"{result['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
