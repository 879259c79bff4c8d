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
        cells = [f"[{_escape(c.text)}]({html}#{c.href})" if c.href else _escape(c.text)
                 for c in row]
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
        lines += ["## What these numbers mean", ""]
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
