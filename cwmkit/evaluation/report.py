"""Writing a report folder: ``results.json``, ``report.md``, ``report.html`` and, with
matplotlib, ``plots/*.png`` (which ``report.html`` also holds inline).

For a pipeline run directory the report opens with what the run did: each step, how long
it took and its one-line result (from ``resolved.json`` and ``state/<step>.json``).
"""

from __future__ import annotations

import json
import os
from html import escape
from pathlib import Path

from cwmkit.evaluation.html import html_report
from cwmkit.evaluation.markdown import markdown
from cwmkit.evaluation.plots import plots as draw_plots
from cwmkit.evaluation.results import dumps, evaluate, unique_labels
from cwmkit.evaluation.samples import Source
from cwmkit.evaluation.summary import EvaluationSettings

__all__ = ["run_steps", "write_report"]


def _write(path: Path, data: str | bytes) -> None:
    """Write whole or not at all: a staged file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    staging.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(staging, path)


def run_steps(run_dir: Path) -> list[dict]:
    """A pipeline run's steps in order: name, status, seconds and its result line."""
    try:
        resolved = json.loads((Path(run_dir) / "resolved.json").read_text("utf-8"))
    except (OSError, ValueError):
        return []
    steps = []
    for name in resolved.get("steps", {}):
        try:
            state = json.loads((Path(run_dir) / "state" / f"{name}.json").read_text("utf-8"))
        except (OSError, ValueError):
            state = {}
        steps.append({"name": name, "status": state.get("status", "not run"),
                      "seconds": state.get("seconds"), "line": state.get("line") or ""})
    return steps


def _intro(run_dirs: list[Path]) -> tuple[list[str], str]:
    """The steps of each pipeline run of ``run_dirs``, as Markdown lines and HTML."""
    lines, html = [], []
    for run_dir in dict.fromkeys(run_dirs):
        steps = [s for s in run_steps(run_dir) if s["name"] != "report"]
        if not steps:
            continue
        lines += [f"## The run: `{run_dir}`", "", "| step | status | seconds | result |",
                  "| --- | --- | ---: | --- |"]
        rows = []
        for step in steps:
            seconds = "–" if step["seconds"] is None else f"{step['seconds']:.1f}"
            lines.append(f"| {step['name']} | {step['status']} | {seconds} | "
                         f"{step['line'].replace('|', '/')} |")
            rows.append(f"<tr><td>{escape(step['name'])}</td><td>{escape(step['status'])}"
                        f"</td><td class=n>{seconds}</td><td>{escape(step['line'])}</td></tr>")
        lines.append("")
        html.append(f"<section><h2>The run: <code>{escape(str(run_dir))}</code></h2><table>"
                    "<thead><tr><th>step</th><th>status</th><th>seconds</th><th>result</th>"
                    f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>")
    return lines, "".join(html)


def write_report(out: str | Path, sources: list[Source],
                 settings: EvaluationSettings | None = None, *, title: str | None = None,
                 about: str | None = None, run_dirs: list[Path] | None = None) -> dict:
    """Evaluate ``sources`` and write the report folder ``out``; returns the results
    document with the written paths under ``files``. ``about``: a paragraph of plain
    text the report opens with (what was run); ``run_dirs``: the runs whose steps it
    shows (default: those of ``sources``)."""
    out = Path(out)
    sources = unique_labels(sources)
    results = evaluate(sources, settings, title=title)
    pngs = draw_plots(results)
    plot_paths = {}
    for name, png in pngs.items():
        _write(out / "plots" / f"{name}.png", png)
        plot_paths[name] = f"plots/{name}.png"
    intro_md, intro_html = _intro(run_dirs if run_dirs is not None
                                  else [s.run_dir for s in sources])
    if about:
        intro_md = [about, ""] + intro_md
        intro_html = f"<p>{escape(about)}</p>" + intro_html
    files = {"results": str(out / "results.json"), "markdown": str(out / "report.md"),
             "html": str(out / "report.html"),
             "plots": [str(out / p) for p in plot_paths.values()]}
    _write(out / "results.json", dumps(results))
    _write(out / "report.md", markdown(results, plots=plot_paths, intro=intro_md))
    _write(out / "report.html", html_report(results, sources, pngs, intro=intro_html))
    return {**results, "files": files}
