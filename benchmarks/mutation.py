"""Mutation testing of the verifier over every registered game.

    python benchmarks/mutation.py [--games tic_tac_toe,pig] [--max-mutants 24]
                                  [--max-rare 12] [--equivalence-trajectories 200]
                                  [--workers 2]

For each game: the reference's own score (must be exactly 1.0, and ``verified``), then
mutants of the reference through the verifier: ordinary ones, and rare-bug ones (one
case of a rule missed: a table element dropped, a loop's first or last case skipped, a
range bound shifted; reported apart); survivors are examined at length and split into
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
            "references_at_1": all(g["reference_score"] == 1.0 for g in games),
            "references_verified": all(g.get("reference_verified") for g in games),
            "rare": _rare_overall(games)}


def _rare_overall(games: list[dict]) -> dict:
    rare = [g.get("rare", {}) for g in games]
    mutants = sum(r.get("mutants", 0) for r in rare)
    killed = sum(r.get("killed", 0) for r in rare)
    relevant = mutants - sum(r.get("equivalent", 0) + r.get("undecided", 0) for r in rare)
    return {"mutants": mutants, "killed": killed, "survivors": relevant - killed,
            "equivalent": sum(r.get("equivalent", 0) for r in rare),
            "kill_rate": round(killed / relevant, 4) if relevant else 1.0}


def markdown(data: dict) -> str:
    total = data["overall"]
    c = data["config"]
    lines = [
        "# Mutation testing of the verifier", "",
        f"`python benchmarks/mutation.py --max-mutants {c['max_mutants']} --max-rare "
        f"{c.get('max_rare', 0)} --equivalence-trajectories {c['equivalence_trajectories']} "
        f"--workers {c['workers']}` on Python {c['python']}.", "",
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
        f"scores exactly 1.0: {'yes' if total['references_at_1'] else 'NO'}; every "
        f"reference verified: {'yes' if total['references_verified'] else 'NO'}.", "",
        f"**Rare-bug mutants** ({data['config'].get('max_rare', 0)} at most per game: a "
        "table element dropped, a loop's first or last case skipped, a range bound "
        f"shifted): {total['rare']['killed']} of "
        f"{total['rare']['killed'] + total['rare']['survivors']} non-equivalent killed "
        f"({total['rare']['kill_rate']:.1%}); {total['rare']['equivalent']} equivalent.", "",
        "| game | reference | verified | mutants | killed | equivalent | kill rate | rare "
        "mutants | rare killed | rare equivalent | rare kill rate | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for g in data["games"]:
        r = g.get("rare", {})
        lines.append(f"| {g['game']} | {g['reference_score']} | "
                     f"{'yes' if g.get('reference_verified') else 'no'} | {g['mutants']} | "
                     f"{g['killed']} | {g['equivalent']} | {g['kill_rate']:.1%} | "
                     f"{r.get('mutants', 0)} | {r.get('killed', 0)} | "
                     f"{r.get('equivalent', 0)} | {r.get('kill_rate', 1.0):.1%} | "
                     f"{g['seconds']} |")
    lines += ["", "## Mutants killed per tier (or status)", ""]
    tiers: dict[str, int] = {}
    for g in data["games"]:
        for name, count in g["by_tier"].items():
            tiers[name] = tiers.get(name, 0) + count
    lines += [f"- {name}: {count}" for name, count in sorted(tiers.items())]
    lines += ["", "## Survivors (blind spots)", ""]
    for g in data["games"]:
        for r in g["results"] + g.get("rare_results", []):
            if not (r["killed"] or r["equivalent"] or r["undecided"]):
                lines.append(f"- {g['game']}: {r['operator']}: {r['description']} "
                             f"({r['difference']})")
    if not total["survivors"] and not total["rare"]["survivors"]:
        lines.append("none")
    lines += ["", "## Equivalent mutants", "",
              "What the examination cannot see counts as equivalent.", ""]
    for g in data["games"]:
        for r in g["results"] + g.get("rare_results", []):
            if r["equivalent"]:
                lines.append(f"- {g['game']}: {r['operator']}: {r['description']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--games", help="comma-separated game ids (default: all)")
    parser.add_argument("--max-mutants", type=int, default=24)
    parser.add_argument("--max-rare", type=int, default=12,
                        help="rare-bug mutants per game (reported apart)")
    parser.add_argument("--equivalence-trajectories", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default="mutation", help="results file stem")
    args = parser.parse_args()
    host = get_host()
    ids = args.games.split(",") if args.games else sorted(host.registry("games"))
    data = {"config": {"max_mutants": args.max_mutants, "max_rare": args.max_rare,
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
                                  max_rare=args.max_rare,
                                  equivalence_trajectories=args.equivalence_trajectories)
            result = {**report.to_dict(), "max_mutants": args.max_mutants,
                      "seconds": round(time.perf_counter() - start, 1)}
            data["games"].append(result)
            data["games"].sort(key=lambda g: g["game"])
            data["overall"] = overall(data["games"])
            path.write_text(json.dumps(data, indent=2) + "\n")
            (RESULTS / f"{args.out}.md").write_text(markdown(data))
            print(f"{game}: {result['killed']} killed, {result['equivalent']} equivalent, "
                  f"{result['undecided']} undecided of {result['mutants']}; rare: "
                  f"{result['rare']['killed']} killed, {result['rare']['equivalent']} "
                  f"equivalent of {result['rare']['mutants']}; reference "
                  f"{result['reference_score']} verified {result['reference_verified']}; "
                  f"{result['seconds']} s", flush=True)


if __name__ == "__main__":
    main()
