"""Rich rendering of verification reports."""

from __future__ import annotations

from cwmkit.cli._output import console, escape

STATUS_STYLE = {"ok": "green", "compile_error": "red", "policy_violation": "red",
                "timeout": "yellow", "crashed": "red", "infra_error": "magenta"}


def _score(value) -> str:
    if value is None:
        return "-"
    style = "green" if value >= 0.999 else "yellow" if value >= 0.5 else "red"
    return f"[{style}]{value:.3f}[/]"


def print_report(path, report, *, brief: bool = False) -> None:
    from rich.table import Table

    out = console()
    style = STATUS_STYLE.get(report.status, "white")
    head = (f"[bold]{escape(str(path))}[/]  [{style}]{report.status}[/]  "
            f"score {_score(report.score)}")
    if report.game:
        head += f"  game {report.game}"
    out.print(head)
    if report.message:
        out.print(f"  {escape(report.message)}")
    if not brief:
        isolation = report.sandbox.get("isolation") or {}
        active = [k for k, v in isolation.items() if v]
        if report.sandbox.get("dropped_privileges"):
            active.append("unprivileged user")
        if active:
            out.print(f"  [dim]sandbox: {', '.join(active)}; cpu {report.cpu_seconds:.3f} s[/]")
        table = Table(show_edge=False, pad_edge=False)
        for col in ("tier", "score", "checks", "note"):
            table.add_column(col)
        for name, t in report.tiers.items():
            if not t.applicable:
                table.add_row(name, "-", "", "[dim]not applicable[/]")
                continue
            passed = sum(c.passed for c in t.checks)
            note = escape(t.skipped or "")
            if "transition_accuracy" in t.metrics:
                note = f"transition accuracy {t.metrics['transition_accuracy']:.3f}"
            table.add_row(name, _score(t.score), f"{passed}/{len(t.checks)}", note)
        out.print(table)
    for tier_name, check in report.failures:
        out.print(f"  [red]✗[/] {tier_name}.{escape(check.name)}: {escape(check.message)}"
                  + (f" [dim]({check.failures}/{check.trials} trials)[/]"
                     if check.trials > 1 else ""))
        cx = check.counterexample
        if cx is not None and not brief:
            actions = " ".join(escape(repr(a)) for a in cx.actions) or "(the initial state)"
            out.print(f"      actions:  {actions}")
            if cx.expected is not None:
                out.print(f"      expected: {escape(str(cx.expected))}")
            if cx.actual is not None:
                out.print(f"      actual:   {escape(str(cx.actual))}")
    if report.output and not brief:
        out.print(f"  [dim]program output: {escape(report.output[:500])}[/]")


def print_summary(files, reports) -> None:
    from collections import Counter

    from rich.table import Table

    table = Table(title="summary", title_justify="left")
    table.add_column("status")
    table.add_column("programs", justify="right")
    for status, count in sorted(Counter(r.status for r in reports).items()):
        table.add_row(f"[{STATUS_STYLE.get(status, 'white')}]{status}[/]", str(count))
    console().print(table)
    scored = [r.score for r in reports if r.score is not None]
    if scored:
        perfect = sum(s == 1.0 for s in scored)
        console().print(f"mean score {sum(scored) / len(scored):.3f}; "
                        f"{perfect}/{len(reports)} programs score 1.0")
