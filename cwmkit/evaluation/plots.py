"""The report's plots as PNG bytes, drawn with matplotlib (the ``plots`` extra).

Every function returns None when matplotlib is missing or there is nothing to draw; the
report's tables carry every number either way. Figures are drawn on matplotlib's
object API with the Agg canvas: no pyplot, no global state, no display needed.
"""

from __future__ import annotations

import io

__all__ = ["available", "game_scores", "pass_at_k_curves", "plots", "tier_scores",
           "training_curves"]


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return figure, figure.add_subplot()


def _png(figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _errors(cells: list[dict | None]) -> tuple[list, list, list]:
    """Bar heights and the bootstrap interval as matplotlib's asymmetric error bars."""
    values, low, high = [], [], []
    for cell in cells:
        value = (cell or {}).get("mean_score")
        bounds = (cell or {}).get("bootstrap_interval")
        values.append(value or 0.0)
        if value is None or bounds is None:
            low.append(0.0)
            high.append(0.0)
        else:
            low.append(max(0.0, value - bounds[0]))
            high.append(max(0.0, bounds[1] - value))
    return values, low, high


def _grouped_bars(axes, groups: list[str], models: dict, cells_of, horizontal: bool):
    count = max(1, len(models))
    width = 0.8 / count
    for i, (label, model) in enumerate(models.items()):
        cells = [cells_of(model, group) for group in groups]
        values, low, high = _errors(cells)
        where = [g + (i - (count - 1) / 2) * width for g in range(len(groups))]
        if horizontal:
            bars = axes.barh(where, values, height=width, xerr=[low, high], capsize=2,
                             label=label)
        else:
            bars = axes.bar(where, values, width=width, yerr=[low, high], capsize=2,
                            label=label)
        if len(groups) * count <= 40:  # the values, so that a bar of 0 is seen too
            axes.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
    if horizontal:
        axes.set_yticks(range(len(groups)), groups)
        axes.invert_yaxis()
        axes.set_xlim(0, 1.0)
        axes.set_xlabel("mean verifier score (bars: 95% bootstrap interval)")
    else:
        axes.set_xticks(range(len(groups)), groups)
        axes.set_ylim(0, 1.0)
        axes.set_ylabel("mean verifier score")
    if len(models) > 1:
        axes.legend(fontsize="small")
    axes.grid(axis="x" if horizontal else "y", alpha=0.3)


def tier_scores(results: dict) -> bytes | None:
    """Mean score per tier and model, with bootstrap intervals (clustered by game)."""
    models = results["models"]
    tiers = list(dict.fromkeys(t for m in models.values() for t in m["overall"]["tiers"]))
    if not available() or not tiers:
        return None
    figure, axes = _figure(max(6.0, 1.1 * len(tiers)), 3.6)
    _grouped_bars(axes, tiers, models, lambda m, t: m["overall"]["tiers"].get(t), False)
    axes.set_title("Score per tier")
    return _png(figure)


def game_scores(results: dict) -> bytes | None:
    """Mean score per game and model, with bootstrap intervals over the samples."""
    models, games = results["models"], results["games"]
    if not available() or not games:
        return None
    figure, axes = _figure(7.5, 1.0 + 0.28 * len(games) * max(1, len(models)) ** 0.5)
    _grouped_bars(axes, games, models, lambda m, g: m["games"].get(g), True)
    axes.set_title("Score per game")
    return _png(figure)


def pass_at_k_curves(results: dict) -> bytes | None:
    """pass@k over k for each model (the k every game's sample count allows)."""
    lines = {label: sorted((int(k), v["value"]) for k, v in m["overall"]["pass_at_k"].items())
             for label, m in results["models"].items()}
    lines = {label: points for label, points in lines.items() if points}
    if not available() or not lines:
        return None
    figure, axes = _figure(5.5, 3.4)
    for label, points in lines.items():
        axes.plot([k for k, _ in points], [v for _, v in points], marker="o", label=label)
    ks = sorted({k for points in lines.values() for k, _ in points})
    axes.set_xticks(ks)
    axes.set_xlim(0.5, ks[-1] + 0.5)
    axes.set_xlabel("k (samples per game)")
    axes.set_ylabel("pass@k (verified)")
    axes.set_ylim(0, 1.0)
    axes.set_title("pass@k")
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small")
    return _png(figure)


def training_curves(results: dict) -> bytes | None:
    """Reward and held-out score over training steps, for each run that logged them."""
    series = []
    for run in results.get("runs", []):
        grpo = (run.get("training") or {}).get("grpo")
        if not grpo:
            continue
        name = run["run_dir"].rstrip("/").rsplit("/", 1)[-1]
        for key in ("reward", "heldout/mean_score", "heldout/verified_rate"):
            points = [(p["step"], p[key]) for p in grpo["points"] if key in p]
            if points:
                series.append((f"{name}: {key}", points))
    if not available() or not series:
        return None
    from matplotlib.ticker import MaxNLocator

    figure, axes = _figure(6.5, 3.4)
    for label, points in series:
        axes.plot([s for s, _ in points], [v for _, v in points],
                  marker="o" if len(points) < 30 else None, label=label)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    values = [v for _, points in series for _, v in points]
    if 0.0 <= min(values) and max(values) <= 1.0:  # scores and rates: their whole range
        axes.set_ylim(-0.02, 1.02)
    axes.set_xlabel("GRPO step")
    axes.set_ylabel("value")
    axes.set_title("Reward and held-out score over training")
    axes.grid(alpha=0.3)
    axes.legend(fontsize="small")
    return _png(figure)


def plots(results: dict) -> dict[str, bytes]:
    """Every plot that can be drawn, by file stem."""
    drawn = {"tiers": tier_scores(results), "games": game_scores(results),
             "pass_at_k": pass_at_k_curves(results), "training": training_curves(results)}
    return {name: png for name, png in drawn.items() if png is not None}
