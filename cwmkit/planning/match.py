"""The play loop: bots play the real game, whose referee (the reference GameCWM, trusted)
decides what is legal, samples chance uniformly and scores the end.

A bot whose move the referee rejects, or that cannot choose at all (its program lost
track of the game, crashed, ran out of CPU), forfeits: the game ends there and that
player loses it. That is how a planner using a wrong model pays for its mistakes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from attrs import field, frozen

from cwmkit.planning.bots import Seat
from cwmkit.planning.planners import PlanFailure

__all__ = ["GameRecord", "outcome", "play_game"]

CHANCE, TERMINAL = -1, -4


@frozen
class GameRecord:
    """One game: its actions, the referee's payoffs where it ended, the decisions each
    player made, and, for a forfeit, who and why (``illegal`` or a planning failure's
    kind, with a message)."""

    actions: tuple[str, ...] = field(converter=tuple)
    payoffs: tuple[float, ...] = field(converter=tuple)
    decisions: tuple[int, ...] = field(converter=tuple)
    forfeit: int | None = None
    reason: str | None = None
    message: str | None = None
    truncated: bool = False

    def to_dict(self) -> dict:
        return {"actions": list(self.actions), "payoffs": list(self.payoffs),
                "decisions": list(self.decisions), "forfeit": self.forfeit,
                "reason": self.reason, "message": self.message, "truncated": self.truncated}


def outcome(record: GameRecord, player: int) -> str:
    """``win``, ``draw`` or ``loss`` for ``player``: a forfeit loses (and wins for the
    others); otherwise its payoff against the best of the others'."""
    if record.forfeit is not None:
        return "loss" if record.forfeit == player else "win"
    mine = record.payoffs[player]
    best_other = max(p for i, p in enumerate(record.payoffs) if i != player)
    return "win" if mine > best_other else "draw" if mine == best_other else "loss"


def play_game(referee, bots: Sequence, *, players: int, perfect: bool, seed: int = 0,
              max_length: int = 10_000, watch: Callable[[str, dict], None] | None = None
              ) -> GameRecord:
    """Play one game of ``referee`` (a GameCWM module) with ``bots[p]`` in seat ``p``.

    ``watch(event, data)`` sees ``turn`` (the seat, before a bot chooses), ``move`` and
    ``chance`` (``player``, ``action``) and ``end`` (``record``, the final
    ``observations``).
    """
    rng = random.Random(seed)
    state = referee.get_initial_state()
    actions: list[str] = []
    views: list[list] = [[] for _ in range(players)]
    decisions = [0] * players
    forfeit = reason = message = None
    truncated = False
    while True:
        player = referee.get_current_player(state)
        if player == TERMINAL:
            break
        if len(actions) >= max_length:
            truncated = True
            break
        legal = list(referee.get_legal_actions(state))
        if player == CHANCE:
            action = legal[rng.randrange(len(legal))]
            if watch:
                watch("chance", {"player": player, "action": action})
        else:
            observation = referee.get_observations(state)[player]
            seat = Seat(player, tuple(tuple(p) for p in views[player]), observation, legal,
                        tuple(actions) if perfect else None)
            if watch:
                watch("turn", {"player": player, "seat": seat})
            decisions[player] += 1
            try:
                action = bots[player].step(seat)
            except PlanFailure as exc:
                forfeit, reason, message = player, exc.kind, exc.message
                break
            if action not in legal:
                forfeit, reason = player, "illegal"
                message = f"{action!r} is not legal here (legal: {legal[:12]})"
                break
            views[player].append((observation, action))
            if watch:
                watch("move", {"player": player, "action": action})
        state = referee.apply_action(state, action)
        actions.append(action)
    record = GameRecord(actions, [float(r) for r in referee.get_rewards(state)], decisions,
                        forfeit, reason, message, truncated)
    if watch:
        watch("end", {"record": record, "observations": referee.get_observations(state)})
    return record
