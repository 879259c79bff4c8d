"""``report.html``: one self-contained file (styles, plots and a few lines of script
inline; nothing is fetched) that opens offline in any browser.

It holds the summary tables, the plots as inline PNG, the most failed checks and the
training curves, then every sample: for each model and game a list of its programs, and
for each program its verdict, its failed checks with their counterexamples as action
traces from the initial state, its tier scores and the program itself. Every number of
the tables links to the samples behind it; following a link to a sample opens it.
"""

from __future__ import annotations

import base64
from html import escape

from cwmkit.evaluation.samples import Sample, Source
from cwmkit.evaluation.tables import (
    Table,
    anchor,
    failed_table,
    fmt,
    paired_games_table,
    tables,
    training_table,
)

__all__ = ["html_report"]

#: The most characters of a program or completion shown (the rest stays in the records).
MAX_TEXT = 12000

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 18px 60px;
color:#1d1d1f;background:#fff}
h1{font-size:24px;margin:22px 0 4px}h2{font-size:19px;margin:30px 0 6px;border-bottom:1px solid
#ddd;padding-bottom:3px}h3{font-size:16px;margin:20px 0 6px}h4{font-size:14px;margin:14px 0 4px}
nav a{margin-right:12px}.about{color:#555;margin:2px 0 8px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #d6d6d6;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
a{color:#0b57d0;text-decoration:none}a:hover{text-decoration:underline}
details{border:1px solid #ddd;border-radius:4px;margin:4px 0;padding:2px 8px}
details[open]{background:#fbfbfd}summary{cursor:pointer}
:target{outline:3px solid #f5b400;outline-offset:2px}
pre{background:#f6f8fa;border:1px solid #e1e4e8;padding:8px;overflow:auto;max-height:480px;
font-size:12px}ol.trace{font-family:ui-monospace,monospace;font-size:12px;margin:2px 0}
.fail{color:#b3261e}.ok{color:#146c2e}.note{background:#fff8e1;border-left:4px solid #f5b400;
padding:6px 10px;margin:6px 0}figure{margin:10px 0}figure img{max-width:100%}
.muted{color:#777}
"""

_SCRIPT = """
function openTarget(){var id=decodeURIComponent(location.hash.slice(1));if(!id)return;
var e=document.getElementById(id);if(!e)return;for(var p=e;p;p=p.parentElement){
if(p.tagName==='DETAILS')p.open=true;}e.scrollIntoView();}
window.addEventListener('hashchange',openTarget);openTarget();
"""


def _table(table: Table, level: int = 2) -> str:
    parts = [f'<section id="t-{escape(table.name)}">' if not table.name.startswith(
        ("p-", "f-")) else f'<section id="{escape(table.name)}">',
        f"<h{level}>{escape(table.title)}</h{level}>"]
    if table.about:
        parts.append(f'<p class="about">{escape(table.about)}</p>')
    if not table.rows:
        parts.append('<p class="muted">(none)</p></section>')
        return "".join(parts)
    parts.append("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.header)
                 + "</tr></thead><tbody>")
    for row in table.rows:
        cells = []
        for cell in row:
            body = escape(cell.text)
            if cell.href:
                body = f'<a href="#{escape(cell.href)}">{body}</a>'
            title = f' title="{escape(cell.title)}"' if cell.title else ""
            cls = ' class="n"' if cell.numeric else ""
            cells.append(f"<td{cls}{title}>{body}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></section>")
    return "".join(parts)


def _cut(text: str) -> str:
    if len(text) <= MAX_TEXT:
        return escape(text)
    return escape(text[:MAX_TEXT]) + f"\n… ({len(text) - MAX_TEXT} more characters in the records)"


def _trace(counterexample: dict) -> str:
    actions = counterexample.get("actions") or []
    items = ['<li class="muted">the initial state</li>'] + [
        f"<li>{escape(str(a))}</li>" for a in actions]
    out = f'<ol class="trace" start="0">{"".join(items)}</ol>'
    if counterexample.get("expected") is not None or counterexample.get("actual") is not None:
        out += (f"<div>expected <code>{escape(str(counterexample.get('expected')))}</code>, "
                f"got <code>{escape(str(counterexample.get('actual')))}</code></div>")
    return out


def _tiers(report: dict) -> str:
    rows = []
    for tier in report.get("tiers", {}).values():
        checks = tier.get("checks", [])
        passed = sum(bool(c.get("passed")) for c in checks)
        rows.append(f"<tr><td>{escape(tier['name'])}</td><td class=n>{fmt(tier.get('score'))}"
                    f"</td><td class=n>{passed}/{len(checks)}</td><td>"
                    f"{escape(tier.get('skipped') or '')}</td></tr>")
    return ("<table><thead><tr><th>tier</th><th>score</th><th>checks passed</th><th>note"
            "</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _sample(sample: Sample, record_file) -> str:
    status_class = "ok" if sample.verified else "" if sample.status == "ok" else "fail"
    head = (f"<summary><b>{escape(sample.game)} #{sample.index}</b> · "
            f'<span class="{status_class}">{escape(sample.status)}</span> · score '
            f"{fmt(sample.score)}{' · verified' if sample.verified else ''}</summary>")
    body = [f'<p class="muted">record <code>{escape(sample.id)}</code> of '
            f"<code>{escape(str(record_file))}</code></p>"]
    report = sample.report
    if report and report.get("message"):
        body.append(f"<p>{escape(report['message'])}</p>")
    failures = [f for f in sample.failures]
    if failures:
        body.append("<h4>Failed checks</h4><ul>")
        for failure in failures:
            item = (f'<li><b class="fail">{escape(failure.tier)} / {escape(failure.check)}'
                    f"</b>: {escape(failure.message)}")
            if failure.counterexample:
                item += "<div>counterexample:</div>" + _trace(failure.counterexample)
            body.append(item + "</li>")
        body.append("</ul>")
    if report:
        body.append("<h4>Report</h4>" + _tiers(report))
    program = sample.program()
    if program is not None:
        body.append(f"<h4>Program</h4><pre><code>{_cut(program)}</code></pre>")
    elif sample.text is not None:
        body.append("<h4>Completion (no program in it)</h4>"
                    f"<pre><code>{_cut(sample.text)}</code></pre>")
    return f'<details id="{anchor("s", sample.key)}">{head}{"".join(body)}</details>'


def _samples(results: dict, sources: list[Source]) -> str:
    parts = ["<h2>Samples</h2>"]
    for source in sources:
        model = results["models"][source.label]
        parts.append(f'<section id="{anchor("m", source.label)}"><h3>{escape(source.label)}'
                     f"</h3><p class=muted>model <code>{escape(str(model['model']))}</code>"
                     + (f", adapter <code>{escape(str(model['adapter']))}</code>"
                        if model["adapter"] else "")
                     + f", backend {escape(str(model['backend']))}; "
                       f"{model['overall']['programs']} programs</p>")
        games: dict[str, list[Sample]] = {}
        for sample in source.samples:
            games.setdefault(sample.game, []).append(sample)
        parts.append("<ul>" + "".join(
            f'<li><a href="#{anchor("g", f"{source.label}/{g}")}">{escape(g)}</a>: '
            f"{len(rows)} programs, mean {fmt(model['games'][g]['mean_score'])}</li>"
            for g, rows in games.items()) + "</ul>")
        for game, rows in games.items():
            parts.append(f'<section id="{anchor("g", f"{source.label}/{game}")}">'
                         f"<h4>{escape(source.label)} · {escape(game)}</h4>")
            parts.extend(_sample(s, source.reports) for s in rows)
            parts.append("</section>")
        parts.append("</section>")
    return "".join(parts)


def _plots(plots: dict[str, bytes]) -> str:
    if not plots:
        return ('<section id="plots"><h2>Plots</h2><p class="note">No plots: they need '
                "matplotlib (<code>pip install 'cwmkit[plots]'</code>). Every number is in "
                "the tables.</p></section>")
    captions = {"tiers": "Score per tier and model (bars: bootstrap interval by game)",
                "games": "Score per game and model (bars: bootstrap interval)",
                "pass_at_k": "pass@k over k", "training": "Reward and held-out score over "
                                                         "GRPO steps"}
    figures = "".join(
        f'<figure id="plot-{name}"><img alt="{escape(captions.get(name, name))}" '
        f'src="data:image/png;base64,{base64.b64encode(png).decode()}">'
        f"<figcaption>{escape(captions.get(name, name))}</figcaption></figure>"
        for name, png in plots.items())
    return f'<section id="plots"><h2>Plots</h2>{figures}</section>'


def html_report(results: dict, sources: list[Source], plots: dict[str, bytes],
                intro: str = "") -> str:
    """The text of ``report.html`` (``sources``: the samples ``results`` was made of,
    with the labels it uses; ``intro``: HTML put before the numbers)."""
    title = escape(results.get("title") or "Evaluation report")
    body = [f"<header><h1>{title}</h1><p class=muted>cwmkit {escape(results['cwmkit_version'])}"
            f", {escape(results['created'])}; results schema <code>{escape(results['schema'])}"
            f"</code> version {results['version']}. Every number links to its samples.</p>"
            '<nav><a href="#t-models">models</a><a href="#t-games">games</a>'
            '<a href="#t-tiers">tiers</a><a href="#t-pass_at_k">pass@k</a>'
            + '<a href="#t-paired">paired</a>'
            + '<a href="#plots">plots</a><a href="#failed">failed checks</a>'
            + ('<a href="#training">training</a>' if any(
                (r.get("training") or {}).get("grpo") for r in results["runs"]) else "")
            + '<a href="#samples">samples</a></nav></header>', intro]
    notes = [(label, note) for label, m in results["models"].items() for note in m["notes"]]
    if notes:
        near_zero = all((m["overall"]["mean_score"] or 0.0) < 0.05
                        for m in results["models"].values())
        heading = "Why the scores are near zero" if near_zero else "What these numbers mean"
        body.append(f'<section id="notes"><h2>{heading}</h2>' + "".join(
            f'<p class="note"><b>{escape(label)}</b>: {escape(note)}</p>'
            for label, note in notes) + "</section>")
    for table in tables(results):
        body.append(_table(table))
        if table.name == "paired":
            body.extend(_table(paired_games_table(results, i), 3)
                        for i in range(len(results["paired"])))
    body.append(_plots(plots))
    body.append('<section id="failed"><h2>Most failed checks</h2>'
                + "".join(_table(failed_table(results, label), 3)
                          for label in results["models"]) + "</section>")
    runs = [t for t in (training_table(results, i) for i in range(len(results["runs"]))) if t]
    if runs:
        body.append('<section id="training"><h2>Training</h2>'
                    + "".join(_table(t, 3) for t in runs) + "</section>")
    body.append(f'<section id="samples">{_samples(results, sources)}</section>')
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport"'
            f' content="width=device-width,initial-scale=1"><title>{title}</title>'
            f"<style>{_STYLE}</style></head><body>{''.join(body)}"
            f"<script>{_SCRIPT}</script></body></html>\n")
