"""Invented reports for the store tests."""

from typing import Any

from tests.factories import loaded_term, sourcing_summary

from slant.model import Metadata, Report, Segment, SegmentKind


def make_report(
    text: str = "Harbour council approves the dredging plan\n\nThe so-called experts of Port Meridian failed again.",
    *,
    site: str | None = "Meridian Ledger",
    published: str | None = "2024-03-05",
    summary: dict[str, Any] | None = None,
    loaded: tuple[str, ...] = ("so-called experts",),
) -> Report:
    """An invented report with every summary section an analyzer may add."""
    findings = tuple(
        loaded_term(text.index(term), text.index(term) + len(term), "experts", score=0.9) for term in loaded
    )
    default_summary = {
        "techniques": {"total": 3, "counts": {"Loaded_Language": 2, "Doubt": 1}, "words": 14, "per_100_words": 21.4},
        "sourcing": sourcing_summary(one_sided=False, dominant_share=0.5, reason="2 sources", n_sources=2),
        "claims": {"total": 2, "attributed": 1, "unattributed": 1, "hedged": 0},
        "verdict": {"score": 0.72, "level": "high", "reasons": []},
    }
    return Report(
        text=text,
        metadata=Metadata(title=text.split("\n")[0], site=site, published=published),
        segments=(Segment(kind=SegmentKind.BODY, start=0, end=len(text)),),
        findings=findings,
        summary=default_summary if summary is None else summary,
        versions={"slant": "test", "techniques": "t1"},
    )
