"""Small views and the statistics that judge ``resample_history``'s distribution.

A *view* is what one player saw and did up to one of its turns: its observation and its
action at each of its first ``turns`` turns. For a small view every history consistent
with it can be enumerated in the reference (a depth-first walk that follows the view at
the player's turns and every legal action elsewhere). A sampler is then judged by which
of those histories it returns and how often: each must come up when it is expected often
enough, and the counts must fit uniform over the consistent histories, the posterior of
uniform chance and uniform play, or the reference's own samples (a chi-square test; the
sampler passes if any of them fits).
"""

from __future__ import annotations

import math
import random

from cwmkit.sandbox.plain import canonical
from cwmkit.spec.model import TERMINAL_PLAYER
from cwmkit.verify.seeding import SeededReference

__all__ = ["chi2_sf", "consistent_histories", "fit_p_value", "homogeneity_p_value",
           "samples_for", "small_views", "truncate"]

#: Largest consistent set a view may have, and the enumeration's node budget.
MAX_CONSISTENT = 16
NODE_BUDGET = 4_000
#: Nodes all the enumerations of one game may visit together.
TOTAL_BUDGET = 15_000
#: A view fails when no target fits at this level, or when a consistent history expected
#: at least ``EXPECTED_MIN`` times never comes up: both false alarms are far rarer than
#: one in ten thousand for a correct sampler.
ALPHA = 1e-6
EXPECTED_MIN = 12.0


def samples_for(consistent: int) -> int:
    """How many samples a view with ``consistent`` histories gets."""
    return max(48, min(256, 16 * consistent))


def _own_turns(module, history, player: int) -> list[tuple[str, str]]:
    """The player's (canonical observation, action) at each of its turns in ``history``."""
    state = module.get_initial_state()
    out = []
    for action in history:
        if module.get_current_player(state) == player:
            out.append((canonical(module.get_observations(state)[player]), action))
        state = module.apply_action(state, action)
    return out


def truncate(module, history, player: int, turns: int) -> tuple[str, ...] | None:
    """``history`` up to and including the player's ``turns``-th action in the reference;
    None when it is not a legal reference history or the player moves fewer times."""
    state = module.get_initial_state()
    seen = 0
    for i, action in enumerate(history):
        if module.get_current_player(state) == TERMINAL_PLAYER or \
                action not in module.get_legal_actions(state):
            return None
        mover = module.get_current_player(state)
        state = module.apply_action(state, action)
        if mover == player:
            seen += 1
            if seen == turns:
                return tuple(history[: i + 1])
    return None


def consistent_histories(module, player: int, view: list[tuple[str, str]],
                         budget: int = NODE_BUDGET
                         ) -> tuple[list[tuple[tuple[str, ...], float]] | None, int]:
    """Every reference history ending with the player's last action of ``view`` (canonical
    observations) that shows the player exactly ``view``, with its weight under uniform
    chance and play; None when there are more than ``MAX_CONSISTENT`` or the walk is too
    long; and the nodes visited."""
    found: list[tuple[tuple[str, ...], float]] = []
    budget = [budget]
    start = budget[0]

    def walk(state, history: tuple[str, ...], turn: int, weight: float) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        mover = module.get_current_player(state)
        if mover == TERMINAL_PLAYER:
            return True
        legal = module.get_legal_actions(state)
        if mover == player:
            observation, action = view[turn]
            if canonical(module.get_observations(state)[player]) != observation or \
                    action not in legal:
                return True
            if turn + 1 == len(view):
                found.append((history + (action,), weight))
                return len(found) <= MAX_CONSISTENT
            return walk(module.apply_action(state, action), history + (action,), turn + 1,
                        weight)
        for action in legal:
            if not walk(module.apply_action(state, action), history + (action,), turn,
                        weight / len(legal)):
                return False
        return True

    complete = walk(module.get_initial_state(), (), 0, 1.0)
    return (found if complete else None), start - max(budget[0], 0)


def _reference_view(module, history, player: int):
    """The raw (observation, action) pairs the reference shows the player."""
    state = module.get_initial_state()
    out = []
    for action in history:
        if module.get_current_player(state) == player:
            out.append((module.get_observations(state)[player], action))
        state = module.apply_action(state, action)
    return out


def small_views(module, spec, trajectories, count: int, seed: int) -> list[dict]:
    """Up to ``count`` views (players in turn, first turns first) with 2 to
    ``MAX_CONSISTENT`` consistent histories, from prefixes of ``trajectories``; each with
    its consistent histories, their posterior weights and the reference's own samples."""
    rng = random.Random(seed)
    candidates: dict[tuple, tuple] = {}
    for history in trajectories:
        mover_turns: dict[int, list[int]] = {}
        state = module.get_initial_state()
        for i, action in enumerate(history):
            mover = module.get_current_player(state)
            if mover >= 0:
                mover_turns.setdefault(mover, []).append(i)
            state = module.apply_action(state, action)
        for player, turns in mover_turns.items():
            for k in (1, 2, 3):
                if k <= len(turns):
                    prefix = tuple(history[: turns[k - 1] + 1])
                    key = (player, tuple(_own_turns(module, prefix, player)))
                    candidates.setdefault(key, (player, k, prefix))
    by_player: dict[int, list[dict]] = {}
    left = TOTAL_BUDGET
    for key in sorted(candidates, key=lambda key: (len(key[1]), key[0], repr(key[1]))):
        if left <= 0 or sum(map(len, by_player.values())) >= count * 2:
            break
        player, k, prefix = candidates[key]
        consistent, spent = consistent_histories(module, player, list(key[1]),
                                                 min(NODE_BUDGET, left))
        left -= spent
        if consistent is None or len(consistent) < 2:
            continue
        by_player.setdefault(player, []).append(
            {"player": player, "turns": k, "history": list(prefix),
             "consistent": [list(h) for h, _ in consistent],
             "weights": [w for _, w in consistent]})
    # Players in turn, so that every player's sampler is judged.
    chosen = []
    queues = [by_player[p] for p in sorted(by_player)]
    while any(queues):
        for queue in queues:
            if queue:
                chosen.append(queue.pop(0))
    views = chosen[:count]
    for view in views:
        view["reference"] = _reference_samples(module, view, rng)
    return [v for v in views if v["reference"] is not None]


def _reference_samples(module, view: dict, rng: random.Random) -> list[int] | None:
    """Counts of the reference's own samples over the consistent histories; None when the
    reference returns an inconsistent one (then the view judges nothing)."""
    index = {tuple(h): i for i, h in enumerate(view["consistent"])}
    counts = [0] * len(index)
    raw = _reference_view(module, view["history"], view["player"])
    seeded = SeededReference(module)
    for _ in range(samples_for(len(index))):
        seeded.seed(rng.getrandbits(32))
        sample = seeded.resample_history([tuple(p) for p in raw], view["player"])
        cut = truncate(module, list(sample), view["player"], view["turns"])
        if cut not in index:
            return None
        counts[index[cut]] += 1
    return counts


def candidate_view(steps: list[dict], history, player: int, turns: int) -> list | None:
    """A candidate's own view of ``history`` from its replay trace (wire observations)."""
    out = []
    for step, action in zip(steps, history, strict=False):
        if step["player"] == player:
            observations = step["observations"]
            if not (isinstance(observations, list) and player < len(observations)):
                return None
            out.append([observations[player], action])
    return out[:turns] if len(out) >= turns else None


# --------------------------------------------------------------------------- statistics


def _upper_gamma_q(a: float, x: float) -> float:
    """The regularised upper incomplete gamma function Q(a, x)."""
    if x <= 0:
        return 1.0
    if x < a + 1:  # the series for P, then Q = 1 - P
        term = total = 1.0 / a
        n = a
        for _ in range(1000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(-x + a * math.log(x) - math.lgamma(a)))
    tiny = 1e-300  # Lentz's continued fraction for Q
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return min(1.0, math.exp(-x + a * math.log(x) - math.lgamma(a)) * h)


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for X chi-square distributed with ``df`` degrees of freedom."""
    if df <= 0:
        return 1.0
    return _upper_gamma_q(df / 2, x / 2)


def fit_p_value(counts: list[int], probabilities: list[float]) -> float:
    """Pearson's goodness-of-fit p-value of ``counts`` against ``probabilities``."""
    n = sum(counts)
    total = sum(probabilities)
    if n == 0 or total <= 0:
        return 1.0
    stat = 0.0
    for observed, p in zip(counts, probabilities, strict=True):
        expected = n * p / total
        if expected > 0:
            stat += (observed - expected) ** 2 / expected
        elif observed:
            return 0.0
    return chi2_sf(stat, len(counts) - 1)


def homogeneity_p_value(a: list[int], b: list[int]) -> float:
    """Chi-square p-value that two samples over the same bins share one distribution."""
    na, nb = sum(a), sum(b)
    if not na or not nb:
        return 1.0
    stat, bins = 0.0, 0
    for x, y in zip(a, b, strict=True):
        column = x + y
        if not column:
            continue
        bins += 1
        for observed, n in ((x, na), (y, nb)):
            expected = column * n / (na + nb)
            stat += (observed - expected) ** 2 / expected
    return chi2_sf(stat, bins - 1)


def judge_samples(view: dict, counts: list[int], outside: int) -> tuple[bool, str, dict]:
    """Whether a candidate's samples of one view pass: none outside the consistent set,
    every well-expected history drawn, and some target fitting."""
    n = sum(counts) + outside
    k = len(counts)
    weights = view["weights"]
    total_w = sum(weights)
    uniform = [1.0] * k
    p_values = {"uniform": fit_p_value(counts, uniform),
                "posterior": fit_p_value(counts, weights),
                "reference": homogeneity_p_value(counts, view["reference"])}
    best = max(p_values.values())
    coverage = sum(1 for c in counts if c) / k
    info = {"coverage": round(coverage, 4), "p_values": {a: round(p, 8) for a, p in
                                                         p_values.items()},
            "samples": n, "histories": k}
    if outside:
        return False, f"{outside} of {n} samples are not consistent with the view", info
    missing = [i for i, c in enumerate(counts) if not c
               and n / k >= EXPECTED_MIN and n * weights[i] / total_w >= EXPECTED_MIN]
    if missing:
        return False, (f"{len(missing)} of {k} consistent histories never sampled in {n} "
                       f"draws, e.g. {view['consistent'][missing[0]]}"), info
    if best < ALPHA:
        return False, (f"the samples fit none of uniform, the posterior or the reference "
                       f"(best p = {best:.2g}); counts {counts}"), info
    return True, "", info
