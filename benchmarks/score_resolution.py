"""How finely the score ranks programs: distinct values and equal-score pairs.

    python benchmarks/score_resolution.py [--workers 2]

A corpus of programs we wrote or derived, per game: correct ones (the reference and
programs of our own, plain-data variants included), mutants of the reference (ordinary
and rare-bug operators), and broken programs as a model writes them (sloppy types, one
rule case forgotten, a game that ends at once, wrong payoffs, a leaked card, a biased or
inconsistent sampler). Each is verified with the default settings. Recorded, overall and
per game: programs, distinct scores, the share of program pairs with equal scores (all
pairs, and pairs of wrong programs only), how many are verified. Writes
benchmarks/results/score_resolution.{json,md}.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cwmkit.core.plugins import get_host  # noqa: E402
from cwmkit.verify.mutate import generate  # noqa: E402
from cwmkit.verify.settings import VerifySettings  # noqa: E402
from cwmkit.verify.verifier import Verifier  # noqa: E402
from tests.programs import (  # noqa: E402
    DO_NOTHING,
    TTT_COLLECTIONS,
    kuhn,
    reference,
    ttt,
    wrapped,
)

RESULTS = Path(__file__).parent / "results"


def _ttt_written() -> dict[str, str]:
    """Tic-tac-toe as models write it, right and wrong."""
    base = ttt()
    out = {"correct: ours": base, "correct: collections and tuple keys": TTT_COLLECTIONS,
           "correct: int payoffs": base.replace("[1.0, -1.0]", "[1, -1]").replace(
               "[-1.0, 1.0]", "[-1, 1]")}
    for index, name in enumerate(("top row", "middle row", "bottom row", "left column",
                                  "middle column", "right column", "diagonal",
                                  "anti-diagonal")):
        out[f"forgot: o's {name} win"] = base.replace(
            "MISSED == (mark, index, _count(board))", "MISSED[:2] == (mark, index)").replace(
            "\nMISSED = None\n", f"\nMISSED = ('o', {index}, None)\n")
    out["forgot: o's right column win on the 8th mark"] = ttt(MISSED=("o", 5, 8))
    out["forgot: x's diagonal win on the 9th mark"] = ttt(MISSED=("x", 6, 9))
    out["forgot: the draw"] = base.replace('        status = "draw"\n',
                                           '        status = "ongoing"\n')
    out["ends at once: every move wins"] = base.replace("    if _won(board, mark):",
                                                        "    if True:")
    out["ends at once: terminal initial state"] = DO_NOTHING
    out["sloppy: legal actions as a tuple"] = base.replace(
        '    return [f"{MARKS[player]}({r},{c})" for r in range(3) for c in range(3)\n'
        '            if state["board"][r][c] == "."]',
        '    return tuple(f"{MARKS[player]}({r},{c})" for r in range(3) for c in range(3)\n'
        '                 if state["board"][r][c] == ".")')
    out["sloppy: player as a string"] = base.replace(
        '    return _count(state["board"]) % 2', '    return str(_count(state["board"]) % 2)')
    out["sloppy: rewards only at the end"] = base.replace(
        '    return {"x won": [1.0, -1.0], "o won": [-1.0, 1.0]}.get(state["status"], '
        '[0.0, 0.0])', '    return {"x won": [1.0, -1.0], "o won": [-1.0, 1.0]}.get('
        'state["status"])')
    out["sloppy: mutates the board"] = base.replace(
        '    board = [list(row) for row in state["board"]]', '    board = state["board"]')
    out["sloppy: no status in the observation"] = base.replace(
        ', "status": state["status"]}', "}")
    out["sloppy: whose turn instead of the status"] = base.replace(
        ', "status": state["status"]}', ', "turn": get_current_player(state)}')
    out["wrong: payoffs swapped"] = base.replace('"x won": [1.0, -1.0], "o won": [-1.0, 1.0]',
                                                 '"x won": [-1.0, 1.0], "o won": [1.0, -1.0]')
    out["wrong: o moves first"] = base.replace('MARKS = "xo"', 'MARKS = "ox"')
    return out


def _kuhn_written() -> dict[str, str]:
    base = kuhn()
    ref = reference("kuhn_poker")
    return {
        "correct: ours (tuples, int keys)": base,
        "sampler: always the same card": kuhn(SAMPLER="first"),
        "sampler: ignores the betting": base.replace(
            "    return [deal] + list(observation[\"betting\"]) + [action]",
            "    return [deal, action]"),
        "sampler: returns the deal only": base.replace(
            "    return [deal] + list(observation[\"betting\"]) + [action]",
            "    return [deal]"),
        "leak: both cards observed": wrapped(ref, "def get_observations(state):\n"
                                                  "    return [dict(o, cards=state['cards']) "
                                                  "for o in _ref_get_observations(state)]\n"),
        "forgot: the fold payoff": base.replace(
            '        return [-1, 1] if (len(betting) - 1) % 2 == 0 else [1, -1]',
            '        return [1, -1] if (len(betting) - 1) % 2 == 0 else [-1, 1]'),
        "forgot: a called raise pays 2": base.replace(
            '    stake = 2 if "Raise" in betting else 1', '    stake = 1'),
        "forgot: Call-Raise-Call": base.replace(
            '        betting[-1] == "Fold" or betting[-2:] == ("Raise", "Call")))',
            '        betting[-1] == "Fold" or betting == ("Raise", "Call")))'),
        "ends at once: terminal initial state": DO_NOTHING,
        "sloppy: deal as a list": base.replace(
            "DEALS = [a + b for a in RANKS for b in RANKS if a != b]",
            "DEALS = [a + b for a in RANKS for b in RANKS]"),
    }


def corpus() -> list[tuple[str, str, str]]:
    """(game, kind: name, source) for every program of the corpus."""
    out = []
    host = get_host()
    for name, source in _ttt_written().items():
        out.append(("tic_tac_toe", name, source))
    for name, source in _kuhn_written().items():
        out.append(("kuhn_poker", name, source))
    for game_id, ordinary, rare in (("tic_tac_toe", 20, 8), ("kuhn_poker", 16, 4),
                                    ("connect4", 12, 6), ("pig", 10, 4),
                                    ("leduc_poker", 10, 4)):
        game = host.get("games", game_id)
        out.append((game_id, "correct: the reference", game.reference_source))
        imperfect = game.spec.imperfect
        for m in generate(game.reference_source, imperfect=imperfect, max_mutants=ordinary):
            if m.operator != "loop":  # a hang costs a whole session, and says nothing new
                out.append((game_id, f"mutant: {m.operator}: {m.description}", m.source))
        for m in generate(game.reference_source, imperfect=imperfect, max_mutants=rare,
                          rare=True):
            out.append((game_id, f"rare mutant: {m.operator}: {m.description}", m.source))
    return out


def resolution(scores: list[float]) -> dict:
    pairs = list(itertools.combinations(scores, 2))
    equal = sum(a == b for a, b in pairs)
    return {"programs": len(scores), "distinct": len(set(scores)),
            "equal_pairs": equal, "pairs": len(pairs),
            "equal_pair_share": round(equal / len(pairs), 4) if pairs else 0.0}


def summarise(rows: list[dict]) -> dict:
    scores = [r["score"] for r in rows if r["score"] is not None]
    wrong = [r["score"] for r in rows if r["score"] is not None and not r["verified"]]
    return {**resolution(scores), "verified": sum(r["verified"] for r in rows),
            "wrong": resolution(wrong),
            "not_a_game": sum(r["not_a_game"] for r in rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    programs = corpus()
    rows = []
    start = time.perf_counter()
    with Verifier(VerifySettings(workers=args.workers)) as verifier:
        verifier.start()
        futures = [verifier.submit(source, game=game) for game, _, source in programs]
        for (game, name, _), future in zip(programs, futures, strict=True):
            report = future.result()
            rows.append({"game": game, "program": name, "status": report.status,
                         "score": report.score, "verified": report.verified,
                         "not_a_game": "not_a_game" in report.tiers["dynamics"].metrics
                         if "dynamics" in report.tiers else False})
    data = {"config": {"python": platform.python_version(), "workers": args.workers,
                       "seconds": round(time.perf_counter() - start, 1)},
            "overall": summarise(rows),
            "games": {g: summarise([r for r in rows if r["game"] == g])
                      for g in sorted({r["game"] for r in rows})},
            "programs": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "score_resolution.json").write_text(json.dumps(data, indent=2) + "\n")
    (RESULTS / "score_resolution.md").write_text(markdown(data))
    print(json.dumps(data["overall"], indent=2))


def markdown(data: dict) -> str:
    o = data["overall"]
    lines = [
        "# Score resolution", "",
        "`python benchmarks/score_resolution.py`: a corpus of programs we wrote or derived "
        "(correct ones, mutants of the references with the ordinary and the rare-bug "
        "operators, and broken programs as a model writes them: sloppy types, one rule case "
        "forgotten, a game that ends at once, wrong payoffs, a leaked card, a biased or "
        "inconsistent sampler), each verified with the default settings.", "",
        f"**Overall: {o['programs']} programs, {o['distinct']} distinct scores; "
        f"{o['equal_pair_share']:.1%} of all pairs score the same "
        f"({o['wrong']['equal_pair_share']:.1%} among the {o['wrong']['programs']} wrong "
        f"programs, which take {o['wrong']['distinct']} distinct values); "
        f"{o['verified']} verified; {o['not_a_game']} not a game (static share only).**", "",
        "| game | programs | distinct scores | equal pairs | wrong programs | distinct "
        "among wrong | equal pairs among wrong | verified | not a game |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for game, g in data["games"].items():
        lines.append(f"| {game} | {g['programs']} | {g['distinct']} | "
                     f"{g['equal_pair_share']:.1%} | {g['wrong']['programs']} | "
                     f"{g['wrong']['distinct']} | {g['wrong']['equal_pair_share']:.1%} | "
                     f"{g['verified']} | {g['not_a_game']} |")
    lines += ["", "Equal scores among wrong programs come mostly from programs that are not "
              "a game (their initial state is terminal, a player never moves, or no game "
              "ends): they earn the static share only, by design.", "",
              "## Programs", "", "| game | program | status | score | verified |",
              "| --- | --- | --- | ---: | --- |"]
    for r in sorted(data["programs"], key=lambda r: (r["game"], -(r["score"] or 0))):
        name = r["program"].replace("|", "\\|").replace("`", "'")[:90]
        lines.append(f"| {r['game']} | {name} | {r['status']} | {r['score']} | "
                     f"{'yes' if r['verified'] else 'no'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
