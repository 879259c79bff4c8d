"""cwmkit's MCTS and ISMCTS against OpenSpiel's Python bots, and how strong they play.

    python benchmarks/mcts_vs_openspiel.py [--games 20] [--sims 400] [--rollouts 1] [--json]
    python benchmarks/mcts_vs_openspiel.py --strength   # also the strength suite

Speed, in one process and one run: self-play games where every decision (forced ones
too) is one search of --sims simulations with --rollouts random rollouts per leaf and
the same UCT constant: cwmkit's MCTS through the tic_tac_toe reference (the bot as it
plays: its planner remembers the reference's transitions across the run) against
OpenSpiel's ``MCTSBot`` on its own C++ tic_tac_toe (``solve=False``, so that every
search runs all its simulations); and cwmkit's ISMCTS on the kuhn_poker (and
leduc_poker) references against OpenSpiel's ``ISMCTSBot`` on its own games, both caching
64 world samples per decision. Simulations per second are simulations over the CPU
seconds of the searches. For the record, also cwmkit without the memo, and with it
emptied before every search (cold).

--strength plays the strength suite and writes benchmarks/results/planning.json and
planning.md: MCTS against random at tic_tac_toe and connect4, MCTS self-play at
tic_tac_toe, ISMCTS against random at kuhn_poker and leduc_poker, and planning values
(the references against themselves, mutants with a wrong win rule).

--json prints, as the last line, the speed results with ``cwmkit_sims_per_s``,
``openspiel_sims_per_s`` and ``ratio`` (tic_tac_toe MCTS) at the top level.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time
from pathlib import Path

import numpy as np
import pyspiel
from open_spiel.python.algorithms import ismcts, mcts

from cwmkit.core.plugins import get_host
from cwmkit.planning import LocalPlanner

RESULTS = Path(__file__).parent / "results"
UCT_C = 2.0
WORLDS = 64


# --------------------------------------------------------------------------- speed


def cwmkit_selfplay(game_id: str, games: int, sims: int, rollouts: int, *, memo: str,
                    seed: int = 0) -> dict:
    """``memo``: ``warm`` (the planner's memo kept over the run), ``cold`` (emptied
    before each search) or ``off``."""
    game = get_host().get("games", game_id)
    ref = game.reference()
    planner = LocalPlanner(ref, memo_states=0 if memo == "off" else 100_000)
    imperfect = game.spec.imperfect
    rng = random.Random(seed)
    cpu = 0.0
    simulations = decisions = 0
    for _ in range(games):
        state = ref.get_initial_state()
        actions: list[str] = []
        views: list[list] = [[] for _ in range(game.spec.players)]
        while (player := ref.get_current_player(state)) != -4:
            legal = ref.get_legal_actions(state)
            if player == -1:
                actions.append(rng.choice(legal))
                state = ref.apply_action(state, actions[-1])
                continue
            obs = ref.get_observations(state)[player]
            request = {"simulations": sims, "rollouts": rollouts, "uct_c": UCT_C,
                       "seed": rng.getrandbits(62)}
            if imperfect:
                request.update(algorithm="ismcts", player=player, view=views[player],
                               observation=obs, legal=legal, world_samples=WORLDS)
            else:
                request.update(algorithm="mcts", history=list(actions))
            if memo == "cold":
                planner = LocalPlanner(ref)
            started = time.process_time()
            result = planner.decide(request)
            cpu += time.process_time() - started
            simulations += result["stats"]["simulations"]
            decisions += 1
            views[player].append((obs, result["action"]))
            actions.append(result["action"])
            state = ref.apply_action(state, result["action"])
    return {"simulations": simulations, "decisions": decisions, "cpu_seconds": round(cpu, 3),
            "sims_per_s": round(simulations / cpu, 1)}


def openspiel_selfplay(name: str, games: int, sims: int, rollouts: int, *,
                       seed: int = 0) -> dict:
    game = pyspiel.load_game(name)
    rs = np.random.RandomState(seed)
    evaluator = mcts.RandomRolloutEvaluator(n_rollouts=rollouts, random_state=rs)
    info = game.get_type().information != pyspiel.GameType.Information.PERFECT_INFORMATION
    if info:
        bot = ismcts.ISMCTSBot(game, evaluator, UCT_C, sims, max_world_samples=WORLDS,
                               random_state=rs)
    else:
        bot = mcts.MCTSBot(game, UCT_C, sims, evaluator, solve=False, random_state=rs)
    cpu = 0.0
    decisions = 0
    for _ in range(games):
        state = game.new_initial_state()
        while not state.is_terminal():
            if state.is_chance_node():
                outcomes, probs = zip(*state.chance_outcomes(), strict=True)
                state.apply_action(rs.choice(outcomes, p=probs))
                continue
            started = time.process_time()
            action = bot.step(state)
            cpu += time.process_time() - started
            decisions += 1
            state.apply_action(action)
    simulations = decisions * sims
    return {"simulations": simulations, "decisions": decisions, "cpu_seconds": round(cpu, 3),
            "sims_per_s": round(simulations / cpu, 1)}


def sandboxed_selfplay(game_id: str, games: int, sims: int, rollouts: int) -> dict:
    """The reference's source planned with as an untrusted candidate: the search in the
    sandboxed child, every call budgeted and checked, one copy of the root per
    simulation; CPU seconds are the child's."""
    from cwmkit.planning import SandboxPlanner

    game = get_host().get("games", game_id)
    ref = game.reference()
    rng = random.Random(0)
    simulations = decisions = 0
    with SandboxPlanner(game.reference_source, players=game.spec.players) as planner:
        for _ in range(games):
            state, actions = ref.get_initial_state(), []
            while ref.get_current_player(state) != -4:
                result = planner.decide({"algorithm": "mcts", "history": actions,
                                         "simulations": sims, "rollouts": rollouts,
                                         "uct_c": UCT_C, "seed": rng.getrandbits(62)})
                simulations += result["stats"]["simulations"]
                decisions += 1
                actions = actions + [result["action"]]
                state = ref.apply_action(state, result["action"])
        cpu = sum(session.cpu_seconds for session in planner.sessions)
    return {"simulations": simulations, "decisions": decisions, "cpu_seconds": round(cpu, 3),
            "sims_per_s": round(simulations / cpu, 1)}


def speed(games: int, sims: int, rollouts: int, *, leduc: bool = True) -> dict:
    out = {"config": {"games": games, "simulations": sims, "rollouts": rollouts,
                      "uct_c": UCT_C, "world_samples": WORLDS,
                      "python": platform.python_version(), "machine": platform.machine()}}
    ttt = {"cwmkit": cwmkit_selfplay("tic_tac_toe", games, sims, rollouts, memo="warm"),
           "openspiel": openspiel_selfplay("tic_tac_toe", games, sims, rollouts),
           "cwmkit_cold": cwmkit_selfplay("tic_tac_toe", max(1, games // 4), sims, rollouts,
                                          memo="cold"),
           "cwmkit_no_memo": cwmkit_selfplay("tic_tac_toe", max(1, games // 4), sims,
                                             rollouts, memo="off"),
           "cwmkit_sandboxed": sandboxed_selfplay("tic_tac_toe", max(1, games // 4), sims,
                                                  rollouts)}
    ttt["ratio"] = round(ttt["cwmkit"]["sims_per_s"] / ttt["openspiel"]["sims_per_s"], 2)
    out["mcts_tic_tac_toe"] = ttt
    for game_id, name in [("kuhn_poker", "kuhn_poker")] + (
            [("leduc_poker", "leduc_poker")] if leduc else []):
        n = games * 5 if game_id == "kuhn_poker" else games
        row = {"cwmkit": cwmkit_selfplay(game_id, n, sims, rollouts, memo="warm"),
               "openspiel": openspiel_selfplay(name, n, sims, rollouts)}
        row["ratio"] = round(row["cwmkit"]["sims_per_s"] / row["openspiel"]["sims_per_s"], 2)
        out[f"ismcts_{game_id}"] = row
    out.update(cwmkit_sims_per_s=ttt["cwmkit"]["sims_per_s"],
               openspiel_sims_per_s=ttt["openspiel"]["sims_per_s"], ratio=ttt["ratio"])
    return out


# --------------------------------------------------------------------------- strength


def _mean_interval(values: list[float]) -> list[float]:
    from cwmkit.planning.value import mean_interval

    return [round(x, 4) for x in mean_interval(values)]


def against_random(game_id: str, games: int, sims: int, *, seed: int = 0) -> dict:
    """The game's planner (MCTS or ISMCTS) in one seat, uniform random in the other,
    seats alternating."""
    from cwmkit.planning import RandomBot, SearchBot, algorithm_for, outcome, play_game

    game = get_host().get("games", game_id)
    ref = game.reference()
    planner = LocalPlanner(ref)
    algorithm = algorithm_for(game.spec.imperfect)
    results, payoffs = [], []
    started = time.perf_counter()
    for i in range(games):
        seat = i % 2
        bots = [RandomBot(seed * 7 + i), RandomBot(seed * 7 + i)]
        bots[seat] = SearchBot(planner, algorithm, seed=seed + i, simulations=sims,
                               uct_c=UCT_C, max_length=game.spec.max_length)
        record = play_game(ref, bots, players=2, perfect=not game.spec.imperfect,
                           seed=seed + 1000 + i, max_length=game.spec.max_length)
        results.append(outcome(record, seat))
        payoffs.append(record.payoffs[seat])
    return {"game": game_id, "planner": algorithm, "opponent": "random", "games": games,
            "simulations": sims, "wins": results.count("win"),
            "draws": results.count("draw"), "losses": results.count("loss"),
            "mean_payoff": round(sum(payoffs) / games, 4),
            "payoff_interval": _mean_interval(payoffs),
            "seconds": round(time.perf_counter() - started, 1)}


def self_play(game_id: str, games: int, sims: int) -> dict:
    from cwmkit.planning import SearchBot, outcome, play_game

    game = get_host().get("games", game_id)
    ref = game.reference()
    planner = LocalPlanner(ref)
    results = []
    started = time.perf_counter()
    for i in range(games):
        bots = [SearchBot(planner, "mcts", seed=i, simulations=sims, uct_c=UCT_C),
                SearchBot(planner, "mcts", seed=10_000 + i, simulations=sims, uct_c=UCT_C)]
        results.append(outcome(play_game(ref, bots, players=2, perfect=True, seed=i), 0))
    return {"game": game_id, "planner": "mcts", "opponent": "mcts (itself)", "games": games,
            "simulations": sims, "wins": results.count("win"), "draws": results.count("draw"),
            "losses": results.count("loss"), "seconds": round(time.perf_counter() - started, 1)}


#: Mutants with a wrong win rule: (game, label, text of the reference, its replacement).
MUTANTS = [
    ("tic_tac_toe", "diagonals do not win",
     "+ [[(0, 0), (1, 1), (2, 2)], [(0, 2), (1, 1), (2, 0)]]  # diagonals", ""),
    ("kuhn_poker", "the lower card wins the showdown",
     "[stake, -stake] if mine > theirs", "[stake, -stake] if mine < theirs"),
]


def planning_values(games: dict, sims: int) -> list[dict]:
    from cwmkit.planning import planning_value

    rows = []
    host = get_host()
    cases = [(gid, "the reference", None, None) for gid in games]
    cases += [m for m in MUTANTS if m[0] in games]
    for game_id, label, old, new in cases:
        game = host.get("games", game_id)
        source = game.reference_source
        if old is not None:
            if old not in source:
                raise SystemExit(f"mutant of {game_id}: {old!r} is not in its reference")
            source = source.replace(old, new)
        value = planning_value(game, source, games=games[game_id], simulations=sims)
        rows.append({"program": label, **value.to_dict()})
    return rows


def strength_suite(scale: float = 1.0) -> dict:
    def n(games: int) -> int:
        return max(2, int(games * scale))

    return {
        # The most a player can win of 100 games against random at tic_tac_toe, seats
        # alternating, is 96.7 on average (99.5% as x, 93.9% as o, by expectimax): MCTS
        # plays the minimax game, so it needs many simulations to come near it.
        "against_random": [against_random("tic_tac_toe", n(100), 3000),
                           against_random("connect4", n(100), 200),
                           against_random("kuhn_poker", n(1000), 300),
                           against_random("leduc_poker", n(300), 300)],
        "self_play": [self_play("tic_tac_toe", n(20), 1000)],
        "planning_value": planning_values({"tic_tac_toe": n(100), "kuhn_poker": n(300)},
                                          200),
    }


def markdown(speed_rows: dict, strength: dict) -> str:
    cfg = speed_rows["config"]
    lines = ["# Planning: speed against OpenSpiel, strength, planning value", "",
             "Recorded by `python benchmarks/mcts_vs_openspiel.py --strength` (CPU time of "
             "the searches, one process).", "", "## Speed", "",
             f"Self-play, {cfg['games']} games per side ({cfg['games'] * 5} for Kuhn), every "
             f"decision one search of {cfg['simulations']} simulations, {cfg['rollouts']} "
             f"random rollout(s) per leaf, UCT c = {cfg['uct_c']}; ISMCTS with "
             f"{cfg['world_samples']} cached world samples on both sides. OpenSpiel's "
             "MCTSBot runs with `solve=False` (every search runs all its simulations).", "",
             "| search | game | cwmkit sims/s | OpenSpiel sims/s | ratio |",
             "| --- | --- | ---: | ---: | ---: |"]
    for key, label in (("mcts_tic_tac_toe", "MCTS"), ("ismcts_kuhn_poker", "ISMCTS"),
                       ("ismcts_leduc_poker", "ISMCTS")):
        if key in speed_rows:
            row = speed_rows[key]
            lines.append(f"| {label} | {key.split('_', 1)[1]} | {row['cwmkit']['sims_per_s']:,.0f} "
                         f"| {row['openspiel']['sims_per_s']:,.0f} | {row['ratio']} |")
    ttt = speed_rows["mcts_tic_tac_toe"]
    lines += ["", "cwmkit's planner remembers the reference's transitions (a trusted program "
              "is pure and deterministic by contract; the search chooses exactly what it "
              "would without the memo). For the record, on tic_tac_toe: with the memo "
              f"emptied before every search {ttt['cwmkit_cold']['sims_per_s']:,.0f} sims/s, "
              f"without it {ttt['cwmkit_no_memo']['sims_per_s']:,.0f} sims/s. The same "
              "search over the reference's source as an untrusted candidate (in the sandbox: "
              "every call budgeted and checked, one copy of the root per simulation; what "
              "planning value pays for the candidate's side) "
              f"{ttt.get('cwmkit_sandboxed', {}).get('sims_per_s', 0):,.0f} sims/s.", "",
              "## Strength", "",
              "| game | planner | opponent | games | sims | wins | draws | losses | "
              "mean payoff (95%) |", "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in strength["against_random"] + strength["self_play"]:
        payoff = (f"{row['mean_payoff']:.3f} ({row['payoff_interval'][0]:.3f} to "
                  f"{row['payoff_interval'][1]:.3f})" if "mean_payoff" in row else "")
        lines.append(f"| {row['game']} | {row['planner']} | {row['opponent']} | {row['games']} "
                     f"| {row['simulations']} | {row['wins']} | {row['draws']} | "
                     f"{row['losses']} | {payoff} |")
    lines += ["", "At tic_tac_toe against random, the most any player wins of 100 games with "
              "seats alternating is 96.7 on average (by expectimax: 99.5% as x, 93.9% as o); "
              "MCTS plays the minimax game and comes near that with many simulations. In "
              "poker the mean payoff (chips) is what beating random means.",
              "", "## Planning value", "",
              "The program planned with (sandboxed) against the same planner with the "
              "reference, seats alternating; score = (wins + draws / 2) / games, with its "
              "95% Wilson interval.", "",
              "| game | program | games | wins | draws | losses | score | interval | "
              "mean payoff (95%) | forfeits |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"]
    for row in strength["planning_value"]:
        low, high = row["payoff_interval"]
        lines.append(f"| {row['game']} | {row['program']} | {row['games']} | {row['wins']} | "
                     f"{row['draws']} | {row['losses']} | {row['score']:.3f} | "
                     f"{row['interval'][0]:.3f} to {row['interval'][1]:.3f} | "
                     f"{row['mean_payoff']:.3f} ({low:.3f} to {high:.3f}) | "
                     f"{row['forfeits']} |")
    return "\n".join(lines) + "\n"


def write_results(speed_rows: dict, folder: Path, *, quiet: bool, scale: float = 1.0) -> None:
    strength = strength_suite(scale)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planning.json").write_text(json.dumps(
        {"speed": speed_rows, "strength": strength}, indent=2) + "\n")
    text = markdown(speed_rows, strength)
    (folder / "planning.md").write_text(text)
    if not quiet:
        print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--games", type=int, default=20, help="self-play games per side")
    parser.add_argument("--sims", type=int, default=400, help="simulations per decision")
    parser.add_argument("--rollouts", type=int, default=1, help="rollouts per leaf")
    parser.add_argument("--no-leduc", action="store_true", help="skip the Leduc speed row")
    parser.add_argument("--strength", action="store_true",
                        help="also play the strength suite and write results/planning.*")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="games of the strength suite, as a share of the recorded run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    result = speed(args.games, args.sims, args.rollouts, leduc=not args.no_leduc)
    if not args.json:
        for key in ("mcts_tic_tac_toe", "ismcts_kuhn_poker", "ismcts_leduc_poker"):
            if key in result:
                row = result[key]
                print(f"{key}: cwmkit {row['cwmkit']['sims_per_s']} sims/s, OpenSpiel "
                      f"{row['openspiel']['sims_per_s']} sims/s, ratio {row['ratio']}")
    if args.strength:
        write_results(result, RESULTS, quiet=args.json, scale=args.scale)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
