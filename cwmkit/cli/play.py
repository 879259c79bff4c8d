"""Play a game: humans, random players and planners in any seat.

'cwmkit play tic_tac_toe' seats you (player 0) against MCTS. Each seat is --p0, --p1, ...
one of mcts, ismcts, random or human (the default: player 0 human, the others the game's
planner: MCTS for perfect information, ISMCTS for imperfect). The reference GameCWM
referees: it decides what is legal and who wins. With --program the planners search with
that program instead (in the sandbox), so you can see how a generated GameCWM plays.

A human sees its own observation and the legal actions, and answers with an action or
its number ('quit' ends the game). Without a human, each mover's observation is shown.
GAME may be 'openspiel:NAME' to play OpenSpiel's game NAME (needs the openspiel extra).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cwmkit.cli._output import print_json
from cwmkit.core.errors import ConfigError, CwmkitError

NAME = "play"
HELP = "play a game against planners, random players or other humans"
SEATS = 6
PLAYERS = ("mcts", "ismcts", "random", "human")


def add_arguments(parser) -> None:
    parser.add_argument("game", help="game id (see 'cwmkit games'), or openspiel:NAME")
    parser.add_argument("--program", type=Path, metavar="FILE",
                        help="the planners search with this GameCWM (sandboxed) instead "
                             "of the reference")
    for p in range(SEATS):
        parser.add_argument(f"--p{p}", choices=PLAYERS, metavar="|".join(PLAYERS),
                            help=f"who plays seat {p} (--p2 ... for more players)" if p < 2
                            else argparse.SUPPRESS)
    parser.add_argument("--sims", type=int, default=400, help="simulations per move")
    parser.add_argument("--rollouts", type=int, default=1, help="rollouts per leaf")
    parser.add_argument("--seed", type=int, default=0, help="seed of the game and players")
    parser.add_argument("--games", type=int, default=1, help="games to play")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes per planner (root-parallel search)")
    parser.add_argument("--json", action="store_true",
                        help="print the games as JSON instead of the moves")


def load_game(name: str):
    """A registered game, or OpenSpiel's with an 'openspiel:' prefix."""
    if name.startswith("openspiel:"):
        from cwmkit.integrations.openspiel import openspiel_game

        return openspiel_game(name.split(":", 1)[1])
    from cwmkit.core.plugins import get_host

    return get_host().get("games", name)


def render(observation, indent: str = "  ") -> str:
    """An observation as text: a dict key by key, boards (lists of rows) as grids."""
    if isinstance(observation, str):
        return "\n".join(indent + line for line in observation.splitlines() or [""])
    if not isinstance(observation, dict):
        return indent + repr(observation)
    if not observation:
        return indent + "(nothing yet)"
    lines = []
    for key, value in observation.items():
        if _is_grid(value):
            lines.append(f"{indent}{key}:")
            lines += [indent + "  " + " ".join(str(c) for c in row) for row in value]
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{indent}{key}:")
            lines.append(render(value, indent + "  "))
        else:
            lines.append(f"{indent}{key}: {value if isinstance(value, str) else repr(value)}")
    return "\n".join(lines)


def _is_grid(value) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) > 1
            and all(isinstance(r, (list, tuple)) and r and len(r) == len(value[0])
                    and all(isinstance(c, (str, int)) and len(str(c)) <= 3 for c in r)
                    for r in value))


def label(names: list[str], player: int) -> str:
    name = names[player]
    return name if name == f"Player {player}" else f"{name} (player {player})"


class HumanBot:
    """Asks on standard input; shows the player's observation and the legal actions."""

    name = "human"

    def __init__(self, names: list[str], out=None, stdin=None) -> None:
        self.names = names
        self.out = out or sys.stdout
        self.stdin = stdin or sys.stdin

    def step(self, seat) -> str:
        out = self.out
        out.write(f"\n{label(self.names, seat.player)}, your observation:\n")
        out.write(render(seat.observation) + "\n")
        out.write("legal actions: " + "  ".join(f"{i}) {a}" for i, a in
                                                 enumerate(seat.legal, 1)) + "\n")
        while True:
            out.write(f"{self.names[seat.player]}> ")
            out.flush()
            line = self.stdin.readline()
            if line and not self.stdin.isatty():
                out.write(line if line.endswith("\n") else line + "\n")
            if not line or line.strip().lower() in ("quit", "exit", "q"):
                raise CwmkitError("the game was left before its end")
            answer = line.strip()
            if answer in seat.legal:
                return answer
            if answer.isdigit() and 1 <= int(answer) <= len(seat.legal):
                return seat.legal[int(answer) - 1]
            out.write(f"{answer!r} is not a legal action here; answer with one of the "
                      "actions above or its number\n")


def _seats(args, players: int, imperfect: bool) -> list[str]:
    from cwmkit.planning import algorithm_for

    planner = algorithm_for(imperfect)
    chosen = []
    for p in range(players):
        given = getattr(args, f"p{p}", None) if p < SEATS else None
        chosen.append(given or ("human" if p == 0 else planner))
        if chosen[-1] in ("mcts", "ismcts"):
            algorithm_for(imperfect, chosen[-1])
    for p in range(players, SEATS):
        if getattr(args, f"p{p}", None):
            raise ConfigError(f"--p{p}: the game has {players} players")
    return chosen


def run(args) -> int:
    from cwmkit.planning import LocalPlanner, RandomBot, SandboxPlanner, SearchBot, play_game

    game = load_game(args.game)
    spec = game.spec
    if args.sims < 1 or args.games < 1:
        raise ConfigError("--sims and --games must be at least 1")
    seats = _seats(args, spec.players, spec.imperfect)
    referee = game.reference()
    names = [str(referee.get_player_name(p)) for p in range(spec.players)]
    humans = "human" in seats
    out = sys.stdout
    if args.program is not None:
        if not args.program.is_file():
            raise ConfigError(f"--program {args.program}: no such file")
        planner = SandboxPlanner(args.program.read_text("utf-8"), players=spec.players,
                                 workers=args.workers, seed=args.seed)
    else:
        planner = LocalPlanner(referee, workers=args.workers)
    search = {"simulations": args.sims, "rollouts": args.rollouts,
              "max_length": spec.max_length}

    def watch(event: str, data: dict) -> None:
        if args.json:
            return
        if event == "turn" and not humans:
            seat = data["seat"]
            out.write(f"\n{label(names, seat.player)} sees:\n"
                      f"{render(seat.observation)}\n")
        elif event == "move":
            out.write(f"{names[data['player']]} plays {data['action']}\n")
        elif event == "chance":
            out.write("chance: " + ("(hidden)" if humans and spec.imperfect
                                    else data["action"]) + "\n")
        elif event == "end":
            record = data["record"]
            shown = [p for p, kind in enumerate(seats) if kind == "human"] if humans and \
                spec.imperfect else [0] if not spec.imperfect else range(spec.players)
            for p in shown:
                who = "" if not spec.imperfect else f" of {names[p]}"
                out.write(f"\nfinal observation{who}:\n{render(data['observations'][p])}\n")
            if record.forfeit is not None:
                out.write(f"\n{names[record.forfeit]} forfeits ({record.reason}): "
                          f"{record.message}\n")
            cut = f" (stopped at {spec.max_length} moves)" if record.truncated else ""
            out.write(f"game over{cut}: payoffs {list(record.payoffs)}\n")

    records = []
    try:
        for g in range(args.games):
            bots = []
            for p, kind in enumerate(seats):
                seed = args.seed * 1_000_003 + g * 101 + p
                if kind == "human":
                    bots.append(HumanBot(names, out))
                elif kind == "random":
                    bots.append(RandomBot(seed))
                else:
                    bots.append(SearchBot(planner, kind, seed=seed, **search))
            records.append(play_game(referee, bots, players=spec.players,
                                     perfect=not spec.imperfect, seed=args.seed + g,
                                     max_length=spec.max_length, watch=watch))
    finally:
        planner.close()
    if args.json:
        print_json({"game": spec.id, "seats": seats, "games": [r.to_dict() for r in records]})
    elif args.games > 1:
        totals = [sum(r.payoffs[p] for r in records) for p in range(spec.players)]
        out.write(f"\n{args.games} games; total payoffs by seat: {totals}\n")
    return 0
