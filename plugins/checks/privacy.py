"""The ``privacy`` tier: observations hide what the rules hide, and no more.

Histories come from the reference. For a player, two histories the reference's
observations cannot tell apart (the reference's own ``resample_history`` of the player's
view) must look the same in the candidate's observations at every turn of that player;
two histories the reference does tell apart at the player's turn must look different.
"""

import itertools
import random

from cwmkit.sandbox.plain import to_plain
from cwmkit.verify.context import (
    CheckContext,
    encode,
    outcome,
    reference_trace,
    reference_trajectories,
    reference_views,
    tier,
)
from cwmkit.verify.report import CheckOutcome, TierResult
from cwmkit.verify.seeding import SeededReference


def own_observations(trace: list[dict], actions, player: int) -> list[str]:
    """The player's observation (encoded) at each of its turns along a trace."""
    return [encode(observation_of(step, player)) for step in trace[: len(actions)]
            if step["player"] == player]


def observation_of(step: dict, player: int):
    """The player's observation in a candidate snapshot; None where a malformed list has
    none (the dynamics tier reports the malformation, this one must not crash on it)."""
    observations = step["observations"]
    if isinstance(observations, list) and 0 <= player < len(observations):
        return observations[player]
    return None


class PrivacyCheck:
    name = "privacy"
    description = "observations tell apart exactly the histories the reference's do"
    order = 40

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.imperfect and ctx.reference is not None and ctx.players is not None

    def run(self, ctx: CheckContext) -> TierResult:
        module = ctx.reference
        rng = ctx.rng("privacy")
        seeded = SeededReference(module)
        trajectories = reference_trajectories(module, ctx.settings.privacy_trajectories, rng,
                                              ctx.max_length)
        same_pairs, diff_pairs = [], []
        points: dict[tuple[int, int], list] = {}
        for actions in trajectories:
            trace = reference_trace(module, tuple(actions))
            raw = reference_views(module, tuple(actions))
            for player in range(ctx.players):
                turns = [i for i, s in enumerate(trace[:-1]) if s["player"] == player]
                if not turns:
                    continue
                k = rng.randint(1, len(turns))
                prefix = tuple(actions[: turns[k - 1] + 1])
                view = raw.get(player, [])[:k]
                other = self._resample(seeded, view, player, rng)
                if other is not None and other != prefix:
                    same_pairs.append((player, prefix, other))
                points.setdefault((player, k), []).append(
                    (prefix, trace[turns[k - 1]]["observations"][player]))
        for (player, _k), items in sorted(points.items()):
            for (a, obs_a), (b, obs_b) in itertools.pairwise(items):
                if obs_a != obs_b:
                    diff_pairs.append((player, a, b))
        histories = sorted({h for _, a, b in same_pairs + diff_pairs for h in (a, b)})
        replays = dict(zip(histories, ctx.candidate.replay(histories, trace=True),
                           strict=True))

        def candidate_view(history, player):
            replay = replays[history]
            if replay.get("failure") or "end" not in replay:
                return None
            return own_observations(replay["steps"], history, player)

        leaks, merges = [], []
        same_total = diff_total = 0
        for player, a, b in same_pairs:
            va, vb = candidate_view(a, player), candidate_view(b, player)
            if va is None or vb is None:
                continue
            same_total += 1
            if va != vb:
                leaks.append((list(a), f"player {player}'s observations tell apart {list(a)} "
                              f"and {list(b)}, which the rules hide from it",
                              "the same observations", "different observations"))
        for player, a, b in diff_pairs:
            va, vb = candidate_view(a, player), candidate_view(b, player)
            if va is None or vb is None:
                continue
            diff_total += 1
            if va[-1:] == vb[-1:]:
                merges.append((list(a), f"player {player} cannot tell apart {list(a)} and "
                               f"{list(b)}, which it observes differently under the rules",
                               "different observations", "the same observation"))
        if not same_pairs and not diff_pairs:
            # Nothing the rules hide or show at a player's turn in these histories: the
            # honest verdict is that there is nothing to judge, not a 0.
            return TierResult.not_applicable(self.name, "the reference's histories give no "
                                             "pair of histories to compare")
        if not same_total and not diff_total:
            return tier(self.name, [CheckOutcome("hides", False, "no reference history could "
                                                 "be replayed on the candidate", 0, 0)],
                        score=0.0)
        checks = [
            outcome("hides", same_total, leaks, ok_message="hidden information stays hidden"),
            outcome("reveals", diff_total, merges, ok_message="observable differences show"),
        ]
        scores = [c.score for c, n in zip(checks, (same_total, diff_total), strict=True) if n]
        return tier(self.name, checks, score=sum(scores) / len(scores),
                    metrics={"same_pairs": same_total, "different_pairs": diff_total})

    @staticmethod
    def _resample(seeded: SeededReference, view, player, rng: random.Random):
        seeded.seed(rng.getrandbits(64))
        other = seeded.resample_history([tuple(p) for p in view], player)
        return tuple(to_plain(other))

