"""The statistics of an evaluation, on the standard library alone.

- :func:`t_interval`: the mean with a Student-t interval over independent scores (what
  the reference study reports per model).
- :func:`bootstrap_ratio`: a percentile bootstrap of a ratio of sums over clusters. With
  one cluster per sample it is the ordinary bootstrap of a mean; with one cluster per
  game (each holding that game's sum and count) it is the cluster bootstrap that treats
  samples of one game as dependent (Miller 2024, "Adding Error Bars to Evals"); given a
  second list of clusters it bootstraps the paired difference of two ratios, resampling
  the same clusters for both.
- :func:`pass_at_k`: the unbiased estimator of Chen et al. (2021), "Evaluating Large
  Language Models Trained on Code", eq. 1.

Resampling is seeded by a text key, so a number does not depend on what else was
computed before it.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Sequence

__all__ = ["bootstrap_difference", "bootstrap_ratio", "mean", "pass_at_k", "rng_for",
           "t_interval", "t_quantile"]


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def _t_cdf(t: float, df: float) -> float:
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


@functools.lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError(f"t_quantile needs 0 < p < 1 and df > 0, got p={p}, df={df}")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while _t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        middle = (low + high) / 2.0
        if _t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


def _clip(value: float, bounds: tuple[float, float] | None) -> float:
    if bounds is None:
        return value
    return min(bounds[1], max(bounds[0], value))


def t_interval(values: Sequence[float], confidence: float = 0.95,
               bounds: tuple[float, float] | None = (0.0, 1.0)) -> list | None:
    """``[low, high]``: mean +- t * sd / sqrt(n) over independent ``values``, clipped to
    ``bounds``; None for fewer than two values."""
    n = len(values)
    if n < 2:
        return None
    centre = sum(values) / n
    sd = math.sqrt(sum((v - centre) ** 2 for v in values) / (n - 1))
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)
    return [_clip(centre - half, bounds), _clip(centre + half, bounds)]


def rng_for(seed: int, key: str) -> random.Random:
    """A generator seeded by ``seed`` and a text key (stable across runs and orders)."""
    return random.Random(f"{seed}:{key}")


def _percentiles(values: list[float], confidence: float) -> list:
    values.sort()
    alpha = (1.0 - confidence) / 2.0
    low = values[max(0, math.floor(alpha * len(values)))]
    high = values[min(len(values) - 1, math.ceil((1.0 - alpha) * len(values)) - 1)]
    return [low, high]


def bootstrap_ratio(clusters: Sequence[tuple[float, float]], *, confidence: float = 0.95,
                    resamples: int = 2000, rng: random.Random,
                    minus: Sequence[tuple[float, float]] | None = None) -> list | None:
    """The percentile bootstrap interval ``[low, high]`` of ``sum(s) / sum(c)`` over
    ``clusters`` of ``(s, c)`` resampled with replacement; with ``minus`` (clusters
    paired with ``clusters`` one to one) that of the difference of the two ratios.

    None when there are fewer than two clusters (a single cluster has no spread to
    resample) or no resample had a denominator.
    """
    if minus is not None and len(minus) != len(clusters):
        raise ValueError("paired clusters must match one to one")
    size = len(clusters)
    if size < 2:
        return None
    sums = [float(s) for s, _ in clusters]
    counts = [float(c) for _, c in clusters]
    if minus is None and all(c == 1.0 for c in counts):
        if min(sums) == max(sums):  # no spread: every resample is the same
            return [sums[0], sums[0]]
        drawn = rng.choices(sums, k=size * resamples)  # one call: the loop is the cost
        return _percentiles([sum(drawn[i:i + size]) / size
                             for i in range(0, size * resamples, size)], confidence)
    other_sums = other_counts = None
    if minus is not None:
        other_sums = [float(s) for s, _ in minus]
        other_counts = [float(c) for _, c in minus]
    indices = range(size)
    values = []
    for _ in range(resamples):
        picks = rng.choices(indices, k=size)
        count = sum(map(counts.__getitem__, picks))
        if not count:
            continue
        value = sum(map(sums.__getitem__, picks)) / count
        if other_sums is not None:
            other = sum(map(other_counts.__getitem__, picks))
            if not other:
                continue
            value -= sum(map(other_sums.__getitem__, picks)) / other
        values.append(value)
    return _percentiles(values, confidence) if values else None


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimate of pass@k from ``n`` samples of which ``c`` passed:
    ``1 - C(n - c, k) / C(n, k)``, computed as a stable product."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"pass@k needs 0 <= c <= n and 1 <= k <= n, got n={n} c={c} k={k}")
    if n - c < k:
        return 1.0
    product = 1.0
    for i in range(n - c + 1, n + 1):
        product *= 1.0 - k / i
    return 1.0 - product


def bootstrap_difference(a: Sequence[float], b: Sequence[float], *,
                         confidence: float = 0.95, resamples: int = 2000,
                         rng: random.Random) -> list | None:
    """The percentile bootstrap interval of ``mean(a) - mean(b)`` for two independent
    samples, each resampled on its own; None when either has fewer than two values."""
    if len(a) < 2 or len(b) < 2:
        return None
    if min(a) == max(a) and min(b) == max(b):
        return [a[0] - b[0], a[0] - b[0]]
    drawn_a = rng.choices(a, k=len(a) * resamples)
    drawn_b = rng.choices(b, k=len(b) * resamples)
    return _percentiles([sum(drawn_a[i * len(a):(i + 1) * len(a)]) / len(a)
                         - sum(drawn_b[i * len(b):(i + 1) * len(b)]) / len(b)
                         for i in range(resamples)], confidence)
