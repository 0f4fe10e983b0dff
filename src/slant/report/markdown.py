"""Markdown view of a report, for pasting into notes and issues."""

from slant.model import Report
from slant.report.excerpt import excerpt, labelled


def render_markdown(report: Report) -> str:
    """The report as Markdown: metadata, verdict, segments, and findings per analyzer."""
    meta = report.metadata
    lines = [f"# {_md(meta.title or 'Untitled article')}", ""]
    for key in ("author", "published", "site", "url", "source"):
        value = getattr(meta, key)
        if value:
            lines.append(f"- **{key}**: {_md(value)}")
    verdict = report.summary.verdict
    if verdict:
        lines += ["", f"## Verdict: {verdict.level} ({verdict.score:.2f})", ""]
        lines += [f"- {_md(reason.text)}" for reason in verdict.reasons]
    lines += ["", "## Segments", "", "| # | kind | chars | begins |", "|---|---|---|---|"]
    for i, seg in enumerate(report.segments):
        lines.append(f"| {i} | {seg.kind} | {seg.start}-{seg.end} | {_md(excerpt(report, seg, 60))} |")
    for analyzer in dict.fromkeys(f.analyzer for f in report.findings):
        lines += ["", f"## {analyzer}", "", "| label | score | chars | text |", "|---|---|---|---|"]
        for f in report.findings_of(analyzer):
            lines.append(f"| {_md(labelled(f))} | {f.score:.2f} | {f.start}-{f.end} | {_md(excerpt(report, f))} |")
    lines += ["", f"_slant {report.versions.get('slant', '?')}_", ""]
    return "\n".join(lines)


def _md(value: str) -> str:
    """Escape text for a Markdown table cell."""
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
