"""Short, single-line quotations of spans and names of findings, shared by the text views."""

from slant.model import Finding, Report, Span


def excerpt(report: Report, span: Span, limit: int = 90) -> str:
    """The span's words on one line, shortened in the middle past `limit` characters."""
    words = " ".join(report.text[span.start : span.end].split())
    if len(words) <= limit:
        return words
    half = (limit - 3) // 2
    return f"{words[:half]} … {words[-half:]}"


def labelled(finding: Finding) -> str:
    """The finding's label and, when it names one, who it is about: 'government (Sergei Ryabkov)'."""
    subject = finding.attributes.subject()
    return f"{finding.label} ({subject})" if subject else finding.label
