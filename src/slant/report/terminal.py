"""Terminal view of a report (rich): metadata, verdict, segments, findings."""

import io

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from slant.model import Report
from slant.report.excerpt import excerpt, labelled


def render_terminal(report: Report, *, width: int | None = None) -> str:
    """The report as text with terminal styling, `width` columns wide (the terminal's by default)."""
    console = Console(width=width, record=True, file=io.StringIO(), force_terminal=width is None)
    console.print(_header(report))
    console.print(_segments(report))
    for analyzer in dict.fromkeys(f.analyzer for f in report.findings):
        console.print(_findings(report, analyzer))
    return console.export_text(styles=width is None)


def _header(report: Report) -> Panel:
    meta = report.metadata
    lines = [f"[bold]{escape(meta.title or 'Untitled article')}[/bold]"]
    keys = ("author", "published", "site", "source")
    details = [f"{k}: {escape(str(getattr(meta, k)))}" for k in keys if getattr(meta, k)]
    if details:
        lines.append(" · ".join(details))
    verdict = report.summary.verdict
    if verdict:
        lines.append(f"\n[bold]Verdict: {verdict.level}[/bold] ({verdict.score:.2f})")
        lines += [f"  • {escape(reason.text)}" for reason in verdict.reasons]
    return Panel(Group(*lines), title="slant", title_align="left")


def _segments(report: Report) -> Table:
    table = Table(title="Segments", title_justify="left", expand=True)
    table.add_column("#", justify="right")
    table.add_column("kind")
    table.add_column("chars", justify="right")
    table.add_column("begins", ratio=1)
    for i, seg in enumerate(report.segments):
        kind = seg.kind.value + (f" ({seg.stance.value})" if seg.stance else "")
        table.add_row(str(i), kind, f"{seg.start}-{seg.end}", escape(excerpt(report, seg, 70)))
    return table


def _findings(report: Report, analyzer: str) -> Table:
    table = Table(title=analyzer.capitalize(), title_justify="left", expand=True)
    table.add_column("label", ratio=1)
    table.add_column("score", justify="right")
    table.add_column("text", ratio=2)
    for f in report.findings_of(analyzer):
        table.add_row(escape(labelled(f)), f"{f.score:.2f}", escape(excerpt(report, f)))
    return table
