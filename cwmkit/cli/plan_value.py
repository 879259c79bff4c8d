"""The planning value of a GameCWM: how well a planner plays the real game with it.

The same planner (MCTS for perfect information, ISMCTS for imperfect) searches with the
program (sandboxed) in one seat and with the game's reference in the others, seats
alternating; the reference referees. Prints wins, draws and losses from the program's
side, the score (a draw counts half) with its 95% Wilson interval, and the forfeits
(moves the real game rejects, or no move at all). A program as good as the reference
for planning scores 0.5: 'even' means the interval holds 0.5.
"""

from __future__ import annotations

import json
from pathlib import Path

from cwmkit.cli._output import console, escape, print_json
from cwmkit.core.errors import ConfigError

NAME = "plan-value"
HELP = "measure how well a planner plays a game with a program"


def add_arguments(parser) -> None:
    parser.add_argument("game", help="game id (see 'cwmkit games'), or openspiel:NAME")
    parser.add_argument("--program", type=Path, required=True, metavar="FILE",
                        help="the GameCWM to plan with")
    parser.add_argument("--games", type=int, default=20, help="games to play")
    parser.add_argument("--sims", type=int, default=200, help="simulations per move")
    parser.add_argument("--rollouts", type=int, default=1, help="rollouts per leaf")
    parser.add_argument("--algorithm", choices=("mcts", "ismcts"),
                        help="the planner (default: the game's kind decides)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the games and planners")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes per planner (root-parallel search)")
    parser.add_argument("--records", type=Path, metavar="FILE",
                        help="write every game (actions, payoffs, forfeits) as JSON lines")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args) -> int:
    from cwmkit.cli.play import load_game
    from cwmkit.planning import planning_value

    if not args.program.is_file():
        raise ConfigError(f"--program {args.program}: no such file")
    if args.sims < 1:
        raise ConfigError(f"--sims must be at least 1, got {args.sims}")
    game = load_game(args.game)
    value = planning_value(game, args.program.read_text("utf-8"), games=args.games,
                           algorithm=args.algorithm, simulations=args.sims,
                           rollouts=args.rollouts, seed=args.seed, workers=args.workers)
    if args.records:
        with open(args.records, "w", encoding="utf-8") as fh:
            for r in value.records:
                fh.write(json.dumps(r.to_dict()) + "\n")
    if args.json:
        print_json({"program": str(args.program), **value.to_dict()})
        return 0
    low, high = value.interval
    verdict = "even with the reference" if value.even else (
        "measurably worse than the reference" if high < 0.5 else
        "measurably better than the reference")
    out = console()
    out.print(f"planning value of {escape(str(args.program))} on {value.game} "
              f"({value.algorithm}, {value.settings['simulations']} simulations per move):")
    out.print(f"  {value.wins} wins, {value.draws} draws, {value.losses} losses in "
              f"{value.games} games")
    out.print(f"  score {value.score:.3f} (95% interval {low:.3f} to {high:.3f}): {verdict}")
    p_low, p_high = value.payoff_interval
    out.print(f"  mean payoff {value.mean_payoff:.3f} (95% interval {p_low:.3f} to "
              f"{p_high:.3f})")
    failures = ", ".join(f"{k} {n}" for k, n in sorted(value.failures.items()))
    out.print(f"  forfeits {value.forfeits} ({value.forfeit_rate:.1%} of games): "
              f"{value.illegal_moves} illegal moves of {value.candidate_decisions}"
              + (f", no move: {escape(failures)}" if failures else ""))
    return 0
