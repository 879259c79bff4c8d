"""``report.md``: the results document as Markdown tables whose numbers link to their
samples in ``report.html``."""

from __future__ import annotations

from cwmkit.evaluation.tables import (
    Table,
    failed_table,
    paired_games_table,
    tables,
    training_table,
)

__all__ = ["markdown"]


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table, html: str) -> list[str]:
    lines = [f"## {table.title}" if not table.name.startswith(("p-", "f-")) else
             f"### {table.title}", ""]
    if table.about:
        lines += [table.about, ""]
    if not table.rows:
        return lines + ["(none)", ""]
    lines.append("| " + " | ".join(map(_escape, table.header)) + " |")
    lines.append("| " + " | ".join("---:" if any(r[i].numeric for r in table.rows) else "---"
                                   for i in range(len(table.header))) + " |")
    for row in table.rows:
        # The row's name links to its samples; a number links only where it is about other
        # samples than its row (report.html links every number): plain numbers paste well.
        first = next((c.href for c in row if c.href), None)
        cells = []
        for i, c in enumerate(row):
            href = first if i == 0 else c.href if c.href != first else None
            cells.append(f"[{_escape(c.text)}]({html}#{href})" if href else _escape(c.text))
        lines.append("| " + " | ".join(cells) + " |")
    return lines + [""]


def markdown(results: dict, *, plots: dict[str, str] | None = None,
             html: str = "report.html", intro: list[str] | None = None) -> str:
    """The text of ``report.md``. ``plots``: plot name -> image path relative to the
    report (None or empty: matplotlib is missing, said so); ``intro``: lines put before
    the numbers (what the run did)."""
    title = results.get("title") or "Evaluation report"
    lines = [f"# {title}", ""]
    lines += [f"cwmkit {results['cwmkit_version']}, {results['created']}. Results: "
              f"`results.json` (schema `{results['schema']}` version {results['version']}); "
              f"every number links to its samples in [{html}]({html}).", ""]
    lines += intro or []
    notes = [(label, note) for label, m in results["models"].items() for note in m["notes"]]
    if notes:
        near_zero = all((m["overall"]["mean_score"] or 0.0) < 0.05
                        for m in results["models"].values())
        lines += ["## Why the scores are near zero" if near_zero else
                  "## What these numbers mean", ""]
        lines += [f"- **{label}**: {note}" for label, note in notes]
        lines.append("")
    summary = tables(results)
    for table in summary:
        lines += _table(table, html)
        if table.name == "paired":
            for i in range(len(results["paired"])):
                lines += _table(paired_games_table(results, i), html)
    lines += ["## Most failed checks", ""]
    for label in results["models"]:
        lines += _table(failed_table(results, label), html)
    for index in range(len(results["runs"])):
        table = training_table(results, index)
        if table is not None:
            lines += _table(table, html)
    lines += ["## Plots", ""]
    if plots:
        lines += [f"![{name}]({path})" for name, path in plots.items()] + [""]
    else:
        lines += ["No plots: they need matplotlib (`pip install 'cwmkit[plots]'`). Every "
                  "number is in the tables above.", ""]
    lines += ["## Samples", ""]
    for label, model in results["models"].items():
        lines.append(f"- **{label}** ({model['model']}"
                     + (f" with adapter {model['adapter']}" if model["adapter"] else "")
                     + f"): generations `{model['generations']}`, verification reports "
                       f"`{model['reports']}`")
    lines.append("")
    return "\n".join(lines)
