"""The numbers of one model: per game, per tier and overall, each with its intervals and
the keys of the samples behind it.

A *cell* summarises a group of samples: how many programs, how many have a verdict
(``scored``: an infrastructure failure has none and is left out of every mean and rate,
though counted in ``statuses``), the mean score with a Student-t interval and a bootstrap
interval, the ``verified`` count and rate (every check passed) with its interval, the
compile rate, the status counts and the transition accuracy. Within one game the
bootstrap resamples samples; over a model's games it resamples games (a cluster
bootstrap), so that samples of one game are not counted as independent evidence.
pass@k is computed per game with the unbiased estimator and averaged over games, for the
k that every game's sample count allows.
"""

from __future__ import annotations

from collections import Counter

from attrs import field, frozen

from cwmkit.core.config import ConfigBase, help_, number
from cwmkit.evaluation.samples import Sample
from cwmkit.evaluation.stats import bootstrap_ratio, pass_at_k, rng_for, t_interval

__all__ = ["EvaluationSettings", "game_tiers", "model_summary"]


def _ks(instance, attribute, value):
    if not isinstance(value, tuple) or not value or not all(
            type(k) is int and k >= 1 for k in value):
        from cwmkit.core.config import fail

        fail(instance, attribute, "a list of positive integers", value)


@frozen(kw_only=True)
class EvaluationSettings(ConfigBase):
    """How the numbers of an evaluation are computed."""

    section = "evaluate"

    confidence: float = field(default=0.95, validator=number(above=0, maximum=0.999),
                              metadata=help_("level of every interval, e.g. 0.95"))
    resamples: int = field(default=2000, validator=number(int, minimum=100),
                           metadata=help_("bootstrap resamples per interval"))
    seed: int = field(default=0, validator=number(int, minimum=0),
                      metadata=help_("seed of the bootstrap (each interval is seeded by it "
                                     "and by what it measures)"))
    ks: tuple[int, ...] = field(default=(1, 5, 10), converter=lambda v: tuple(v)
                                if isinstance(v, list) else v, validator=_ks,
                                metadata=help_("the k of pass@k (each where every game has "
                                               "at least k samples)"))
    top_checks: int = field(default=5, validator=number(int, minimum=1),
                            metadata=help_("most failed checks shown per model and game"))


def _round(value, digits: int = 6):
    if value is None:
        return None
    if isinstance(value, list):
        return [_round(v, digits) for v in value]
    return round(value, digits)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def game_tiers(samples: list[Sample]) -> dict[str, list[str]]:
    """Game -> the tiers that apply to it: those that scored any program of the game (in
    the order the reports list them)."""
    found: dict[str, dict[str, None]] = {}
    for sample in samples:
        tiers = found.setdefault(sample.game, {})
        for name, score in sample.tiers.items():
            if score is not None:
                tiers[name] = None
    return {game: list(tiers) for game, tiers in found.items()}


def _tier_value(sample: Sample, tier: str) -> float | None:
    """A program's score on a tier of its game: 0 when the tier never ran on it (no
    code, or stopped before), None when it does not count (its plugin failed)."""
    if tier not in sample.tiers:
        return 0.0
    return sample.tiers[tier]


def _interval_fields(values: list[float], clusters, key: str, settings: EvaluationSettings,
                     bootstrap: bool = True) -> dict:
    level = settings.confidence
    return {"t_interval": _round(t_interval(values, level)),
            "bootstrap_interval": _round(bootstrap_ratio(
                clusters, confidence=level, resamples=settings.resamples,
                rng=rng_for(settings.seed, f"{key}:"))) if bootstrap else None}


def _cell(groups: dict[str, list[Sample]], key: str, settings: EvaluationSettings) -> dict:
    """The cell of the samples in ``groups`` (game -> samples). One game: the bootstrap
    resamples samples; more: it resamples games."""
    samples = [s for group in groups.values() for s in group]
    scored = [s for s in samples if s.scored]
    by_game = [[s for s in group if s.scored] for group in groups.values()]
    by_game = [g for g in by_game if g]
    single = len(groups) == 1

    def clusters(value):
        if single:
            return [(value(s), 1) for s in scored]
        return [(sum(value(s) for s in g), len(g)) for g in by_game]

    scores = [s.score for s in scored]
    verified = sum(s.verified for s in scored)
    compiled = sum(s.compiled for s in scored)
    accuracy = [s for s in scored if s.transition_accuracy is not None]
    accuracy_groups = [[s for s in g if s.transition_accuracy is not None] for g in by_game]
    cell = {
        "programs": len(samples),
        "scored": len(scored),
        "mean_score": _round(sum(scores) / len(scores)) if scores else None,
        **_interval_fields(scores, clusters(lambda s: s.score), key, settings),
        "verified": verified,
        "verified_rate": _round(_rate(verified, len(scored))),
        "verified_interval": _round(bootstrap_ratio(
            clusters(lambda s: float(s.verified)), confidence=settings.confidence,
            resamples=settings.resamples, rng=rng_for(settings.seed, f"{key}:verified"))),
        "compile_rate": _round(_rate(compiled, len(scored))),
        "statuses": dict(sorted(Counter(s.status for s in samples).items())),
        "transition_accuracy": {
            "mean": _round(sum(s.transition_accuracy for s in accuracy) / len(accuracy))
            if accuracy else None,
            "programs": len(accuracy),
            **_interval_fields(
                [s.transition_accuracy for s in accuracy],
                [(s.transition_accuracy, 1) for s in accuracy] if single else
                [(sum(s.transition_accuracy for s in g), len(g)) for g in accuracy_groups
                 if g], f"{key}:accuracy", settings, bootstrap=not single),
        },
        "samples": [s.key for s in samples],
    }
    return cell


def _tier_cell(groups: dict[str, list[Sample]], tier: str, key: str,
               settings: EvaluationSettings, bootstrap: bool = True) -> dict:
    pairs = {game: [(s, _tier_value(s, tier)) for s in group if s.scored]
             for game, group in groups.items()}
    pairs = {game: [(s, v) for s, v in rows if v is not None] for game, rows in pairs.items()}
    values = [v for rows in pairs.values() for _, v in rows]
    if len(groups) == 1:
        clusters = [(v, 1) for v in values]
    else:
        clusters = [(sum(v for _, v in rows), len(rows)) for rows in pairs.values() if rows]
    return {"programs": len(values),
            "mean_score": _round(sum(values) / len(values)) if values else None,
            **_interval_fields(values, clusters, f"{key}:tier:{tier}", settings, bootstrap),
            "games": sorted(g for g, rows in pairs.items() if rows),
            "samples": [s.key for rows in pairs.values() for s, _ in rows]}


def _pass_at_k_game(samples: list[Sample], ks) -> dict:
    scored = [s for s in samples if s.scored]
    n, c = len(scored), sum(s.verified for s in scored)
    return {str(k): {"value": _round(pass_at_k(n, c, k)), "n": n, "c": c}
            for k in ks if 1 <= k <= n}


def _pass_at_k_model(per_game: dict[str, dict], key: str,
                     settings: EvaluationSettings) -> dict:
    out = {}
    for k in settings.ks:
        values = [row[str(k)]["value"] for row in per_game.values()
                  if str(k) in row]
        if not values or len(values) < len(per_game):
            continue  # some game has fewer than k samples with a verdict
        out[str(k)] = {"value": _round(sum(values) / len(values)), "games": len(values),
                       "bootstrap_interval": _round(bootstrap_ratio(
                           [(v, 1) for v in values], confidence=settings.confidence,
                           resamples=settings.resamples,
                           rng=rng_for(settings.seed, f"{key}:pass@{k}")))}
    return out


def failed_checks(samples: list[Sample], top: int | None = None) -> list[dict]:
    """The checks the most programs failed, each with one example: the sample whose
    counterexample is the shortest action trace (or the first failing sample)."""
    found: dict[tuple[str, str], list] = {}
    for sample in samples:
        seen = set()
        for failure in sample.failures:
            name = (failure.tier, failure.check)
            if name in seen:
                continue
            seen.add(name)
            found.setdefault(name, []).append((sample, failure))
    rows = []
    for (tier, check), hits in found.items():
        def rank(hit):
            cx = hit[1].counterexample
            return (cx is None, len(cx["actions"]) if cx else 0, hit[0].game, hit[0].index)

        example, failure = min(hits, key=rank)
        rows.append({"tier": tier, "check": check, "programs": len(hits),
                     "share": _round(len(hits) / len(samples)),
                     "games": sorted({s.game for s, _ in hits}),
                     "example": {"sample": example.key, "message": failure.message,
                                 "counterexample": failure.counterexample},
                     "samples": [s.key for s, _ in hits]})
    rows.sort(key=lambda r: (-r["programs"], r["tier"], r["check"]))
    return rows if top is None else rows[:top]


def model_summary(label: str, samples: list[Sample], tiers: dict[str, list[str]],
                  settings: EvaluationSettings) -> dict:
    """The numbers of one model (``tiers``: game -> the tiers that apply to it)."""
    groups: dict[str, list[Sample]] = {}
    for sample in samples:
        groups.setdefault(sample.game, []).append(sample)
    games = {}
    for game, group in sorted(groups.items()):
        key = f"{label}:{game}"
        cell = _cell({game: group}, key, settings)
        cell["pass_at_k"] = _pass_at_k_game(group, settings.ks)
        # Within a game a tier gets its t-interval only: the bootstraps are the model's.
        cell["tiers"] = {t: _tier_cell({game: group}, t, key, settings, bootstrap=False)
                         for t in tiers.get(game, [])}
        cell["failed_checks"] = failed_checks(group, settings.top_checks)
        games[game] = cell
    overall = _cell(groups, label, settings)
    overall["games"] = len(groups)
    overall["pass_at_k"] = _pass_at_k_model({g: c["pass_at_k"] for g, c in games.items()},
                                            label, settings)
    names: dict[str, None] = {}
    for game in groups:
        names.update(dict.fromkeys(tiers.get(game, [])))
    overall["tiers"] = {t: _tier_cell({g: rows for g, rows in groups.items()
                                       if t in tiers.get(g, [])}, t, label, settings)
                        for t in names}
    overall["failed_checks"] = failed_checks(samples, settings.top_checks * 2)
    return {"overall": overall, "games": games}
