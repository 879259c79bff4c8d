"""Players: what a player knows at its turn (:class:`Seat`) and the bots that choose.

A bot has ``step(seat) -> action`` and owns its random state (a seed given once), so a
game is reproducible from its seeds. :class:`SearchBot` plans with a planner
(``planners``): MCTS from the public history in perfect-information games, ISMCTS from
the player's own view in imperfect-information games (where a seat has no history).
"""

from __future__ import annotations

import random
from typing import Any

from attrs import field, frozen

from cwmkit.core.errors import ConfigError

__all__ = ["ALGORITHMS", "RandomBot", "SearchBot", "Seat", "algorithm_for"]

ALGORITHMS = ("mcts", "ismcts")


@frozen
class Seat:
    """What the player to move knows: its id, its own (observation, action) pairs so far,
    its current observation, the actions the game offers it, and (perfect information
    only, else None) every action played so far."""

    player: int
    view: tuple = field(converter=tuple)
    observation: Any
    legal: tuple[str, ...] = field(converter=tuple)
    history: tuple[str, ...] | None = None


def algorithm_for(imperfect: bool, algorithm: str | None = None) -> str:
    """The search for a game: ``mcts`` for perfect information, ``ismcts`` for imperfect
    (a mismatch is refused: MCTS would read hidden state, ISMCTS needs resample_history)."""
    chosen = algorithm or ("ismcts" if imperfect else "mcts")
    if chosen not in ALGORITHMS:
        raise ConfigError(f"the planner must be one of {', '.join(ALGORITHMS)}, got "
                          f"{chosen!r}")
    if chosen == "mcts" and imperfect:
        raise ConfigError("MCTS plans on the true state, which an imperfect-information "
                          "game hides from the player", hint="use ismcts for this game")
    if chosen == "ismcts" and not imperfect:
        raise ConfigError("ISMCTS samples hidden state with resample_history, which a "
                          "perfect-information game does not have", hint="use mcts")
    return chosen


class RandomBot:
    """Uniformly random among the legal actions."""

    name = "random"

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)

    def step(self, seat: Seat) -> str:
        return seat.legal[self.rng.randrange(len(seat.legal))]


class SearchBot:
    """MCTS or ISMCTS with ``planner`` (a ``LocalPlanner`` or ``SandboxPlanner``).

    ``settings`` are the search's (``simulations``, ``rollouts``, ``uct_c``,
    ``world_samples``, ``max_length``); each decision draws its seed from the bot's own
    random state. ``last`` keeps the latest decision's statistics.
    """

    def __init__(self, planner, algorithm: str, *, seed: int = 0, **settings) -> None:
        if algorithm not in ALGORITHMS:
            raise ConfigError(f"the planner must be one of {', '.join(ALGORITHMS)}, got "
                              f"{algorithm!r}")
        self.planner = planner
        self.algorithm = algorithm
        self.name = algorithm
        self.settings = {k: v for k, v in settings.items() if v is not None}
        self.rng = random.Random(seed)
        self.last: dict | None = None

    def request(self, seat: Seat) -> dict:
        """The planning request for this seat (see ``cwmkit.sandbox.decide``)."""
        base = {**self.settings, "algorithm": self.algorithm,
                "seed": self.rng.getrandbits(62)}
        if self.algorithm == "mcts":
            if seat.history is None:
                raise ConfigError("MCTS needs the public history of a perfect-information "
                                  "game", hint="use ismcts for this game")
            return {**base, "history": list(seat.history)}
        return {**base, "player": seat.player, "view": [list(p) for p in seat.view],
                "observation": seat.observation, "legal": list(seat.legal)}

    def step(self, seat: Seat) -> str:
        if len(seat.legal) == 1:
            self.last = None
            return seat.legal[0]
        self.last = self.planner.decide(self.request(seat))
        return self.last["action"]
