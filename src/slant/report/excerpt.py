"""Short, single-line quotations of spans and names of findings, shared by the text views."""

from slant.model import Finding, Report, Span


def excerpt(report: Report, span: Span, limit: int = 90) -> str:
    """The span's words on one line, shortened in the middle past `limit` characters."""
    return shortened(report.text[span.start : span.end], limit)


def labelled(finding: Finding, limit: int = 40) -> str:
    """The finding's label and, when it names one, who it is about (shortened past `limit` characters):
    'government (Sergei Ryabkov)'."""
    subject = finding.attributes.subject()
    return f"{finding.label} ({shortened(subject, limit)})" if subject else finding.label


def shortened(text: str, limit: int) -> str:
    """`text` on one line, shortened in the middle past `limit` characters."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    half = (limit - 3) // 2
    return f"{words[:half]} … {words[-half:]}"
