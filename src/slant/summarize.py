"""The article summary: counts of findings by analyzer and label (the verdict builds on these)."""

from collections import Counter

from slant.model import Report


def summarize(report: Report) -> Report:
    """Add the `counts` summary section: findings per analyzer and label."""
    counts: dict[str, Counter[str]] = {}
    for finding in report.findings:
        counts.setdefault(finding.analyzer, Counter())[finding.label] += 1
    section = {analyzer: dict(counter.most_common()) for analyzer, counter in counts.items()}
    return report.model_copy(update={"summary": {**report.summary, "counts": section}})
