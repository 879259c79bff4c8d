"""Planning value: how well a planner plays the real game with a candidate GameCWM.

The same planner (MCTS for perfect information, ISMCTS for imperfect, same settings)
searches with the candidate (sandboxed) in one seat and with the reference (in this
process) in the others; the reference referees. Seats alternate over the games. The
score counts a win 1 and a draw 1/2; its Wilson interval says whether the candidate is
measurably worse (or better) than the reference. A program as good as the reference
for planning scores 1/2; forfeits (moves the real game rejects, or no move at all) are
counted on their own. The candidate's mean payoff (a forfeit counts the game's lowest
payoff) matters where stakes vary, as in poker.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable

from attrs import asdict, field, frozen

from cwmkit.core.errors import ConfigError
from cwmkit.planning.bots import SearchBot, algorithm_for
from cwmkit.planning.match import GameRecord, outcome, play_game
from cwmkit.planning.planners import LocalPlanner, SandboxPlanner
from cwmkit.spec.games import Game
from cwmkit.verify.settings import VerifySettings

__all__ = ["PlanningValue", "mean_interval", "planning_value", "wilson"]

#: The z of a two-sided 95% interval.
Z95 = 1.959964


def mean_interval(values: list[float], z: float = Z95) -> tuple[float, float]:
    """The normal 95% interval of the mean of ``values``."""
    n = len(values)
    mean = sum(values) / n
    var = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    half = z * math.sqrt(var / n)
    return (mean - half, mean + half)


def wilson(score: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a mean ``score`` in [0, 1] over ``n`` games (a draw
    is half a win: the binomial variance bounds the true one, so it is conservative)."""
    if n <= 0:
        return (0.0, 1.0)
    centre = (score + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(score * (1 - score) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@frozen
class PlanningValue:
    """The candidate's results over ``games`` games against the reference planner."""

    game: str
    algorithm: str
    games: int
    wins: int
    draws: int
    losses: int
    score: float
    interval: tuple[float, float] = field(converter=tuple)
    mean_payoff: float
    payoff_interval: tuple[float, float] = field(converter=tuple)
    forfeits: int
    forfeit_rate: float
    illegal_moves: int
    candidate_decisions: int
    failures: dict
    settings: dict
    seconds: float
    records: tuple = field(converter=tuple, default=(), repr=False)

    @property
    def even(self) -> bool:
        """Whether the interval holds 1/2: no measurable difference from the reference."""
        return self.interval[0] <= 0.5 <= self.interval[1]

    def to_dict(self, *, records: bool = False) -> dict:
        data = asdict(self, filter=lambda a, _: a.name != "records")
        data["interval"] = list(self.interval)
        data["payoff_interval"] = list(self.payoff_interval)
        data["even"] = self.even
        if records:
            data["records"] = [r.to_dict() for r in self.records]
        return data


def planning_value(game: Game, source: str, *, games: int = 20, algorithm: str | None = None,
                   simulations: int = 200, rollouts: int = 1, uct_c: float = 2.0,
                   world_samples: int = 64, seed: int = 0, workers: int = 1,
                   settings: VerifySettings | None = None, zygote=None,
                   cpu_seconds: float = 1800.0, move_cpu_seconds: float | None = 30.0,
                   progress: Callable[[int, GameRecord, str], None] | None = None
                   ) -> PlanningValue:
    """Play ``games`` games of ``game``: the planner with ``source`` against the same
    planner with the game's reference, alternating seats (see the module doc).

    ``progress(i, record, outcome)`` is called after each game.
    """
    if games < 1:
        raise ConfigError(f"games must be at least 1, got {games}")
    spec = game.spec
    chosen = algorithm_for(spec.imperfect, algorithm)
    search = {"simulations": simulations, "rollouts": rollouts, "uct_c": uct_c,
              "max_length": spec.max_length}
    if chosen == "ismcts":
        search["world_samples"] = world_samples
    referee = game.reference()
    started = time.perf_counter()
    counts: Counter = Counter()
    failures: Counter = Counter()
    records = []
    payoffs: list[float] = []
    illegal = decisions = forfeits = 0
    with LocalPlanner(referee, workers=workers) as mine, \
            SandboxPlanner(source, players=spec.players, settings=settings, zygote=zygote,
                           workers=workers, cpu_seconds=cpu_seconds,
                           move_cpu_seconds=move_cpu_seconds, seed=seed) as theirs:
        for i in range(games):
            seat = i % spec.players
            bots = [SearchBot(theirs if p == seat else mine, chosen,
                              seed=seed * 1_000_003 + i * 101 + p, **search)
                    for p in range(spec.players)]
            record = play_game(referee, bots, players=spec.players,
                               perfect=not spec.imperfect, seed=seed * 7919 + i,
                               max_length=spec.max_length)
            result = outcome(record, seat)
            counts[result] += 1
            payoffs.append(spec.payoff_min if record.forfeit == seat else record.payoffs[seat])
            decisions += record.decisions[seat]
            if record.forfeit == seat:
                forfeits += 1
                if record.reason == "illegal":
                    illegal += 1
                else:
                    failures[record.reason] += 1
            records.append(record)
            if progress:
                progress(i, record, result)
    score = (counts["win"] + 0.5 * counts["draw"]) / games
    return PlanningValue(
        game=spec.id, algorithm=chosen, games=games, wins=counts["win"],
        draws=counts["draw"], losses=counts["loss"], score=round(score, 6),
        interval=tuple(round(x, 6) for x in wilson(score, games)),
        mean_payoff=round(sum(payoffs) / games, 6),
        payoff_interval=tuple(round(x, 6) for x in mean_interval(payoffs)), forfeits=forfeits,
        forfeit_rate=round(forfeits / games, 6), illegal_moves=illegal,
        candidate_decisions=decisions, failures=dict(failures),
        settings={**search, "algorithm": chosen, "workers": workers, "seed": seed},
        seconds=round(time.perf_counter() - started, 3), records=records)
