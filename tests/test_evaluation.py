"""The statistics of an evaluation on synthetic data with known answers: pass@k against
its closed form and its expectation, Student-t quantiles against the tables, and the
intervals' coverage over repeated synthetic draws (the t-interval on independent
scores, the cluster bootstrap on games whose samples are correlated, the paired
difference of two models), kept small enough to run in seconds."""

from __future__ import annotations

import random
from math import comb
from pathlib import Path

import pytest

from cwmkit.evaluation import EvaluationSettings, Sample, Source, evaluate
from cwmkit.evaluation.stats import (
    bootstrap_difference,
    bootstrap_ratio,
    pass_at_k,
    t_interval,
    t_quantile,
)


def test_pass_at_k_is_the_closed_form():
    for n in range(1, 16):
        for c in range(n + 1):
            for k in range(1, n + 1):
                expected = 1.0 - comb(n - c, k) / comb(n, k)
                assert pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)
    assert pass_at_k(200, 0, 10) == 0.0 and pass_at_k(200, 200, 10) == 1.0
    with pytest.raises(ValueError):
        pass_at_k(5, 1, 6)


def test_pass_at_k_is_unbiased():
    rng = random.Random(7)
    p, n, k, draws = 0.15, 20, 5, 4000
    total = 0.0
    for _ in range(draws):
        c = sum(rng.random() < p for _ in range(n))
        total += pass_at_k(n, c, k)
    assert total / draws == pytest.approx(1 - (1 - p) ** k, abs=0.015)


def test_t_quantiles_match_the_tables():
    table = {(0.975, 1): 12.706, (0.975, 4): 2.776, (0.975, 10): 2.228,
             (0.975, 29): 2.045, (0.995, 3): 5.841, (0.95, 20): 1.725, (0.975, 1000): 1.962}
    for (p, df), value in table.items():
        assert t_quantile(p, df) == pytest.approx(value, abs=6e-4)
    assert t_quantile(0.025, 10) == pytest.approx(-2.228, abs=6e-4)


def _coverage(draws: int, make, truth: float) -> float:
    hits = 0
    for i in range(draws):
        low, high = make(random.Random(i))
        hits += low <= truth <= high
    return hits / draws


def test_t_interval_covers_the_mean_of_independent_scores():
    def draw(rng):
        return t_interval([rng.betavariate(2, 5) for _ in range(25)])

    assert 0.92 <= _coverage(600, draw, 2 / 7) <= 0.98


def _clustered(rng, games=20, n=10, spread=0.3):
    """Verified-or-not samples of ``games`` games whose success rates spread around 0.5:
    samples of one game are correlated through their game's rate."""
    rates = [rng.uniform(0.5 - spread, 0.5 + spread) for _ in range(games)]
    return [[float(rng.random() < r) for _ in range(n)] for r in rates]


def test_cluster_bootstrap_covers_near_95_percent_where_the_naive_interval_does_not():
    def clustered(rng):
        games = _clustered(rng)
        return bootstrap_ratio([(sum(g), len(g)) for g in games], resamples=400,
                               rng=random.Random(rng.random()))

    def naive(rng):
        games = _clustered(rng)
        return t_interval([x for g in games for x in g])

    covered = _coverage(300, clustered, 0.5)
    assert 0.89 <= covered <= 0.99
    assert _coverage(300, naive, 0.5) < covered - 0.05  # it ignores the clustering


def test_paired_bootstrap_covers_the_difference_of_two_models():
    delta = 0.1

    def draw(rng):
        rates = [rng.uniform(0.2, 0.7) for _ in range(20)]
        a = [[float(rng.random() < r + delta) for _ in range(8)] for r in rates]
        b = [[float(rng.random() < r) for _ in range(8)] for r in rates]
        return bootstrap_ratio([(sum(g), len(g)) for g in a],
                               minus=[(sum(g), len(g)) for g in b], resamples=400,
                               rng=random.Random(rng.random()))

    assert 0.89 <= _coverage(250, draw, delta) <= 0.99


def test_bootstraps_of_no_spread_and_of_too_little_data():
    rng = random.Random(0)
    assert bootstrap_ratio([(0.0, 1)] * 5, rng=rng) == [0.0, 0.0]
    assert bootstrap_ratio([(3.0, 4)], rng=rng) is None
    assert bootstrap_difference([1.0, 1.0], [0.0, 0.0], rng=rng) == [1.0, 1.0]
    assert bootstrap_difference([1.0], [0.0, 1.0], rng=rng) is None
    assert t_interval([0.5]) is None


def _sample(label, game, k, verified, score, status="ok", accuracy=None):
    tiers = {"static": 1.0, "differential": accuracy if accuracy is not None else score}
    return Sample(label=label, id=f"{game}/{k}", game=game, index=k, status=status,
                  score=score, verified=verified, tiers=tiers,
                  transition_accuracy=accuracy, failures=(), report=None, text=None)


def _source(label, verified_by_game: dict[str, int], n: int) -> Source:
    samples = []
    for game, c in verified_by_game.items():
        for k in range(n):
            samples.append(_sample(label, game, k, k < c, 1.0 if k < c else 0.25,
                                   accuracy=0.5))
    return Source(label=label, model=label, adapter=None, backend="test",
                  run_dir=Path("run"), samples=samples)


def test_evaluate_computes_known_answers_per_game_and_overall():
    counts = {"a": 0, "b": 3, "c": 10}
    results = evaluate([_source("m", counts, 10)], EvaluationSettings(resamples=200))
    model = results["models"]["m"]
    for game, c in counts.items():
        cell = model["games"][game]
        assert cell["verified"] == c and cell["programs"] == 10
        assert cell["mean_score"] == pytest.approx((c * 1.0 + (10 - c) * 0.25) / 10)
        for k in (1, 5, 10):
            assert cell["pass_at_k"][str(k)]["value"] == pytest.approx(
                1 - comb(10 - c, k) / comb(10, k))
    overall = model["overall"]
    for k in (1, 5, 10):
        expected = sum(1 - comb(10 - c, k) / comb(10, k) for c in counts.values()) / 3
        assert overall["pass_at_k"][str(k)]["value"] == pytest.approx(expected)
    assert overall["verified_rate"] == pytest.approx(13 / 30)
    assert overall["transition_accuracy"]["mean"] == 0.5
    low, high = overall["bootstrap_interval"]
    assert low <= overall["mean_score"] <= high
    assert overall["compile_rate"] == 1.0


def test_pass_at_k_is_left_out_where_a_game_has_too_few_samples():
    source = _source("m", {"a": 1, "b": 2}, 4)
    results = evaluate([source], EvaluationSettings(resamples=200))
    assert set(results["models"]["m"]["overall"]["pass_at_k"]) == {"1"}
    assert any("pass@5, pass@10 need" in n for n in results["models"]["m"]["notes"])


def test_infrastructure_failures_have_no_verdict_and_are_left_out_of_the_means():
    source = _source("m", {"a": 2}, 4)
    source.samples.append(_sample("m", "a", 4, False, None, status="infra_error"))
    cell = evaluate([source], EvaluationSettings(resamples=200))["models"]["m"]["games"]["a"]
    assert cell["programs"] == 5 and cell["scored"] == 4
    assert cell["statuses"] == {"infra_error": 1, "ok": 4}
    assert cell["verified_rate"] == 0.5


def test_paired_difference_of_two_models_on_shared_games():
    a = _source("a", {"g1": 8, "g2": 6, "g3": 9}, 10)
    b = _source("b", {"g1": 2, "g2": 1, "g3": 3, "g4": 5}, 10)
    pair = evaluate([a, b], EvaluationSettings(resamples=300))["paired"][0]
    assert pair["games"] == ["g1", "g2", "g3"] and pair["only_b"] == ["g4"]
    verified = pair["measures"]["verified_rate"]
    assert verified["delta"] == pytest.approx((23 - 6) / 30)
    assert verified["games_a_better"] == 3
    low, high = verified["bootstrap_interval"]
    assert 0 < low <= verified["delta"] <= high
    assert pair["per_game"]["g1"]["verified_rate"]["delta"] == pytest.approx(0.6)


def test_results_are_deterministic():
    source = _source("m", {"a": 2, "b": 5, "c": 1}, 6)
    first = evaluate([source], EvaluationSettings(resamples=200))
    second = evaluate([source], EvaluationSettings(resamples=200))
    for doc in (first, second):
        doc.pop("created")
    assert first == second
