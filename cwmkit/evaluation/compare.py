"""Paired differences between two models on the games both were evaluated on.

Both models' samples of a game answer the same prompt, so the comparison is paired by
game: the overall difference (A minus B) of the mean score and of the verified rate
(pass@1) has a cluster bootstrap interval that resamples the shared games once for both
models, and a paired Student-t interval over the per-game differences (Miller 2024,
"Adding Error Bars to Evals"). Each game's own difference has a bootstrap
interval that resamples each model's samples of that game on its own.
"""

from __future__ import annotations

from cwmkit.evaluation.samples import Sample
from cwmkit.evaluation.stats import bootstrap_difference, bootstrap_ratio, rng_for, t_interval
from cwmkit.evaluation.summary import EvaluationSettings

__all__ = ["paired_difference"]

_MEASURES = {"mean_score": lambda s: s.score, "verified_rate": lambda s: float(s.verified)}


def _round(value):
    if value is None:
        return None
    if isinstance(value, list):
        return [round(v, 6) for v in value]
    return round(value, 6)


def _groups(samples: list[Sample]) -> dict[str, list[Sample]]:
    out: dict[str, list[Sample]] = {}
    for sample in samples:
        if sample.scored:
            out.setdefault(sample.game, []).append(sample)
    return out


def paired_difference(a: str, a_samples: list[Sample], b: str, b_samples: list[Sample],
                      settings: EvaluationSettings) -> dict:
    """``a`` minus ``b`` on their shared games (see the module)."""
    groups_a, groups_b = _groups(a_samples), _groups(b_samples)
    shared = sorted(set(groups_a) & set(groups_b))
    out = {"a": a, "b": b, "games": shared,
           "only_a": sorted(set(groups_a) - set(groups_b)),
           "only_b": sorted(set(groups_b) - set(groups_a)), "measures": {}, "per_game": {}}
    level, resamples = settings.confidence, settings.resamples
    for measure, value in _MEASURES.items():
        key = f"paired:{a}:{b}:{measure}"
        clusters_a = [(sum(value(s) for s in groups_a[g]), len(groups_a[g])) for g in shared]
        clusters_b = [(sum(value(s) for s in groups_b[g]), len(groups_b[g])) for g in shared]
        per_game = [sa / ca - sb / cb for (sa, ca), (sb, cb) in zip(clusters_a, clusters_b,
                                                                    strict=True)]
        if shared:
            mean_a = sum(s for s, _ in clusters_a) / sum(c for _, c in clusters_a)
            mean_b = sum(s for s, _ in clusters_b) / sum(c for _, c in clusters_b)
            delta = mean_a - mean_b
        else:
            mean_a = mean_b = delta = None
        out["measures"][measure] = {
            "a": _round(mean_a), "b": _round(mean_b), "delta": _round(delta),
            "bootstrap_interval": _round(bootstrap_ratio(
                clusters_a, minus=clusters_b, confidence=level, resamples=resamples,
                rng=rng_for(settings.seed, key))),
            "t_interval": _round(t_interval(per_game, level, bounds=(-1.0, 1.0))),
            "games_a_better": sum(d > 0 for d in per_game),
            "games_b_better": sum(d < 0 for d in per_game),
        }
        for game, d in zip(shared, per_game, strict=True):
            row = out["per_game"].setdefault(game, {
                "samples_a": [s.key for s in groups_a[game]],
                "samples_b": [s.key for s in groups_b[game]]})
            row[measure] = {"delta": _round(d), "bootstrap_interval": _round(
                bootstrap_difference([value(s) for s in groups_a[game]],
                                     [value(s) for s in groups_b[game]],
                                     confidence=level, resamples=resamples,
                                     rng=rng_for(settings.seed, f"{key}:{game}")))}
    return out
