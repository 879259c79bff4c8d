"""The report's tables, built once from a results document and drawn by both renderers
(``report.md`` and ``report.html``).

A table is a header and rows of :class:`Cell` s; a cell that shows a number links to the
anchor of the samples behind it (``m-`` a model's samples, ``g-`` a model's samples of
one game, ``s-`` one sample, ``p-`` a paired comparison), which ``report.html`` defines.
"""

from __future__ import annotations

import re

from attrs import field, frozen

__all__ = ["Cell", "Table", "anchor", "fmt", "span", "tables"]


@frozen
class Cell:
    text: str
    href: str | None = None  # an anchor in report.html, without '#'
    title: str | None = None
    numeric: bool = False


@frozen
class Table:
    name: str
    title: str
    header: tuple[str, ...] = field(converter=tuple)
    rows: tuple[tuple[Cell, ...], ...] = field(converter=lambda rows: tuple(map(tuple, rows)))
    about: str = ""


def anchor(prefix: str, key: str) -> str:
    """An HTML id for ``key``: letters, digits, '-' and '_' kept, anything else as
    ``.<hex>.`` (so distinct keys keep distinct ids)."""
    return prefix + "-" + re.sub(r"[^A-Za-z0-9_-]", lambda m: f".{ord(m.group()):x}.", key)


def fmt(value, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def span(bounds) -> str:
    return "–" if not bounds else f"[{fmt(bounds[0])}, {fmt(bounds[1])}]"


def _with(value, bounds) -> str:
    return fmt(value) if not bounds else f"{fmt(value)} {span(bounds)}"


def _level(results: dict) -> str:
    return f"{results['settings']['confidence']:.0%}"


def models_table(results: dict) -> Table:
    level = _level(results)
    ks = [str(k) for k in results["settings"]["ks"]]
    header = ["model", "programs", "mean score", f"{level} interval (bootstrap, by game)",
              f"{level} interval (t)", "verified", *[f"pass@{k}" for k in ks], "compiles",
              "transition accuracy", "statuses"]
    rows = []
    for label, model in results["models"].items():
        o, href = model["overall"], anchor("m", label)
        accuracy = o["transition_accuracy"]
        rows.append([
            Cell(label, href), Cell(str(o["programs"]), href, numeric=True),
            Cell(fmt(o["mean_score"]), href, numeric=True),
            Cell(span(o["bootstrap_interval"]), href),
            Cell(span(o["t_interval"]), href),
            Cell(f"{o['verified']}/{o['scored']}", href, numeric=True,
                 title=f"rate {fmt(o['verified_rate'])} {span(o['verified_interval'])}"),
            *[Cell(_with(o["pass_at_k"][k]["value"], o["pass_at_k"][k]["bootstrap_interval"])
                   if k in o["pass_at_k"] else "–", href, numeric=True) for k in ks],
            Cell(fmt(o["compile_rate"]), href, numeric=True),
            Cell(fmt(accuracy["mean"]) + (f" (n={accuracy['programs']})"
                                          if accuracy["programs"] else ""), href,
                 numeric=True),
            Cell(", ".join(f"{k} {v}" for k, v in o["statuses"].items()), href)])
    return Table("models", "Models", header, rows,
                 "Mean verifier score over every program with a verdict; the bootstrap "
                 "interval resamples games, the t-interval treats programs as independent "
                 "(as the reference study reports). verified: programs that passed every "
                 "check. pass@k: the unbiased estimator, averaged over games.")


def _one_model_games_table(results: dict, label: str) -> Table:
    level = _level(results)
    model = results["models"][label]
    rows = []
    for game in results["games"]:
        cell = model["games"].get(game)
        if cell is None:
            continue
        href = anchor("g", f"{label}/{game}")
        first = cell["pass_at_k"].get("1")
        rows.append([Cell(game, href), Cell(str(cell["programs"]), href, numeric=True),
                     Cell(fmt(cell["mean_score"]), href, numeric=True),
                     Cell(span(cell["bootstrap_interval"]), href),
                     Cell(span(cell["t_interval"]), href),
                     Cell(f"{cell['verified']}/{cell['scored']}", href, numeric=True),
                     Cell(fmt(first["value"]) if first else "–", href, numeric=True),
                     Cell(fmt(cell["compile_rate"]), href, numeric=True),
                     Cell(", ".join(f"{k} {v}" for k, v in cell["statuses"].items()), href)])
    return Table("games", "Score per game",
                 ["game", "programs", "mean score", f"{level} interval (bootstrap)",
                  f"{level} interval (t)", "verified", "pass@1", "compiles", "statuses"],
                 rows, "Each game's mean score over its samples with two intervals: a "
                       "bootstrap over the samples, and Student's t.")


def games_table(results: dict) -> Table:
    labels = list(results["models"])
    if len(labels) == 1:
        return _one_model_games_table(results, labels[0])
    rows = []
    for game in results["games"]:
        row = [Cell(game)]
        for label in labels:
            cell = results["models"][label]["games"].get(game)
            if cell is None:
                row.append(Cell("not evaluated"))
                continue
            row.append(Cell(f"{_with(cell['mean_score'], cell['bootstrap_interval'])} · "
                            f"{cell['verified']}/{cell['scored']} verified",
                            anchor("g", f"{label}/{game}"), numeric=True))
        rows.append(row)
    return Table("games", "Score per game", ["game", *labels], rows,
                 f"Mean score with its {_level(results)} bootstrap interval over the "
                 "game's samples, and how many programs passed every check.")


def tiers_table(results: dict) -> Table:
    labels = list(results["models"])
    tiers = list(dict.fromkeys(t for m in results["models"].values()
                               for t in m["overall"]["tiers"]))
    rows = []
    for tier in tiers:
        row = [Cell(tier)]
        for label in labels:
            cell = results["models"][label]["overall"]["tiers"].get(tier)
            row.append(Cell(_with(cell["mean_score"], cell["bootstrap_interval"])
                            + f" (n={cell['programs']})", anchor("m", label), numeric=True)
                       if cell else Cell("–"))
        rows.append(row)
    return Table("tiers", "Score per tier", ["tier", *labels], rows,
                 "Each tier's mean over the programs of the games it applies to (a tier "
                 "that never ran on a program, because it held no code or stopped first, "
                 f"counts 0), with its {_level(results)} bootstrap interval by game.")


def pass_at_k_table(results: dict) -> Table:
    ks = [str(k) for k in results["settings"]["ks"]]
    rows = []
    for label, model in results["models"].items():
        o = model["overall"]["pass_at_k"]
        rows.append([Cell(label, anchor("m", label)),
                     *[Cell(_with(o[k]["value"], o[k]["bootstrap_interval"]) if k in o
                            else "n too small", anchor("m", label), numeric=k in o)
                       for k in ks]])
    return Table("pass_at_k", "pass@k", ["model", *[f"pass@{k}" for k in ks]], rows,
                 "The chance that at least one of k samples of a game is verified, "
                 "estimated without bias from n samples per game (Chen et al. 2021) and "
                 "averaged over games; shown where every game has at least k samples.")


def paired_table(results: dict) -> Table:
    level = _level(results)
    rows = []
    for i, pair in enumerate(results["paired"]):
        href = anchor("p", str(i))
        score, verified = pair["measures"]["mean_score"], pair["measures"]["verified_rate"]
        rows.append([Cell(f"{pair['a']} − {pair['b']}", href),
                     Cell(str(len(pair["games"])), href, numeric=True),
                     Cell(fmt(score["delta"]), href, numeric=True),
                     Cell(span(score["bootstrap_interval"]), href),
                     Cell(span(score["t_interval"]), href),
                     Cell(_with(verified["delta"], verified["bootstrap_interval"]), href,
                          numeric=True),
                     Cell(f"{score['games_a_better']} / {score['games_b_better']}", href)])
    return Table("paired", "Paired differences",
                 ["A − B", "shared games", "Δ mean score",
                  f"{level} interval (bootstrap, by game)", f"{level} interval (paired t)",
                  "Δ verified rate", "games A / B better"], rows,
                 "Differences on the games both models were evaluated on; the bootstrap "
                 "resamples the shared games once for both models." if results["paired"]
                 else "One model only: nothing to pair. Compare models with 'cwmkit eval "
                      "--model A --model B', or runs with 'cwmkit report RUN_A RUN_B'.")


def paired_games_table(results: dict, index: int) -> Table:
    pair = results["paired"][index]
    rows = []
    for game, row in pair["per_game"].items():
        a, b = anchor("g", f"{pair['a']}/{game}"), anchor("g", f"{pair['b']}/{game}")
        rows.append([Cell(game),
                     Cell(_with(row["mean_score"]["delta"],
                                row["mean_score"]["bootstrap_interval"]), a, numeric=True),
                     Cell(_with(row["verified_rate"]["delta"],
                                row["verified_rate"]["bootstrap_interval"]), a,
                          numeric=True),
                     Cell(f"{pair['a']} samples", a), Cell(f"{pair['b']} samples", b)])
    return Table(anchor("p", str(index)), f"{pair['a']} − {pair['b']}, per game",
                 ["game", "Δ mean score", "Δ verified rate", "A", "B"], rows,
                 "Each game's difference, with a bootstrap interval that resamples each "
                 "model's samples of the game.")


def _trace(counterexample: dict | None) -> str:
    if not counterexample:
        return "–"
    actions = counterexample.get("actions") or []
    text = " → ".join(actions) if actions else "(the initial state)"
    if counterexample.get("expected") is not None or counterexample.get("actual") is not None:
        text += f"; expected {counterexample.get('expected')}, got " \
                f"{counterexample.get('actual')}"
    return text


def failed_table(results: dict, label: str) -> Table:
    model = results["models"][label]
    rows = []
    for game, cell in model["games"].items():
        for row in cell["failed_checks"]:
            example = row["example"]
            rows.append([Cell(game, anchor("g", f"{label}/{game}")),
                         Cell(f"{row['tier']} / {row['check']}"),
                         Cell(f"{row['programs']}/{cell['programs']}",
                              anchor("g", f"{label}/{game}"), numeric=True),
                         Cell(example["message"][:160] or "–",
                              anchor("s", example["sample"])),
                         Cell(_trace(example["counterexample"])[:240],
                              anchor("s", example["sample"]))])
    return Table(anchor("f", label), f"Most failed checks: {label}",
                 ["game", "tier / check", "programs", "example", "counterexample"], rows,
                 "The checks the most programs of each game failed, with the example whose "
                 "counterexample is the shortest action trace.")


def training_table(results: dict, index: int, most: int = 25) -> Table | None:
    run = results["runs"][index]
    grpo = (run.get("training") or {}).get("grpo")
    if not grpo:
        return None
    keys = grpo["series"]
    points = grpo["points"]
    if len(points) > most:  # evenly spaced rows, the last always kept
        stride = len(points) / most
        points = [points[int(i * stride)] for i in range(most - 1)] + [points[-1]]
    rows = [[Cell(str(p["step"]), title=p.get("id")),
             *[Cell(fmt(p.get(k), 4), title=f"log record {p.get('id')}", numeric=True)
               for k in keys]] for p in points]
    return Table(f"training-{index}", f"GRPO over steps: {run['run_dir']}", ["step", *keys], rows,
                 "From the trainer's log: the training reward, and the held-out score "
                 "(held-out games, unshaped verifier score) where the run evaluated on a "
                 "schedule.")


def tables(results: dict) -> list[Table]:
    """The report's summary tables, in order."""
    out = [models_table(results), games_table(results), tiers_table(results),
           pass_at_k_table(results), paired_table(results)]
    return out
