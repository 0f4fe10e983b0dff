"""The article verdict on hand-made reports: levels, reasons with evidence, skipped analyzers."""

from typing import Any

import pytest
from tests.factories import (
    claim,
    claims_summary,
    loaded_term,
    source,
    sourcing_summary,
    techniques_summary,
)
from tests.factories import technique as technique_finding

from slant.model import CommentsSummary, Finding, FramingSummary, Report, Segment, SegmentKind, Stance, Summary
from slant.summarize import PRIOR_WORDS, Calibration, calibration, summarize

#: A reference corpus whose median (confidence-weighted) density is 0.2 technique spans per 100 words.
REFERENCE = Calibration(densities=(0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4), source="test")
TITLE = "Heroes of Vantor Crush Gallic Traitors"
BODY = " ".join(["word"] * 198)  # 198 words, 204 with the title
COMMENT = "Great article!"
TEXT = f"{TITLE}\n\n{BODY}\n\n{COMMENT}"
BODY_START = len(TITLE) + 2
COMMENT_START = len(TEXT) - len(COMMENT)


def report(findings: list[Finding] = (), **summary: Any) -> Report:
    """A title + body + comment page with the given findings and summary sections."""
    segments = (
        Segment(kind=SegmentKind.TITLE, start=0, end=len(TITLE)),
        Segment(kind=SegmentKind.BODY, start=BODY_START, end=BODY_START + len(BODY)),
        Segment(kind=SegmentKind.COMMENT, start=COMMENT_START, end=len(TEXT)),
    )
    return Report(text=TEXT, segments=segments, findings=tuple(findings), summary=Summary(**summary))


def technique(label: str, start: int) -> Finding:
    return technique_finding(start, start + 4, label)


def army(start: int, affiliation: str) -> Finding:
    return source(start, start + 9, f"{affiliation} army", affiliation=affiliation, kind="military")


def evidence_exists(result: Report) -> None:
    spans = {(f.analyzer, f.label, f.start, f.end) for f in result.findings}
    assert result.summary.verdict is not None
    for reason in result.summary.verdict.reasons:
        for item in reason.evidence:
            assert (item.analyzer, item.label, item.start, item.end) in spans


def test_no_techniques_and_balanced_sourcing_is_low() -> None:
    sources = [army(BODY_START, "Vantor"), army(BODY_START + 50, "Gallia")]
    page = report(
        sources,
        techniques=techniques_summary([], 204),
        sourcing=sourcing_summary(one_sided=False, dominant_share=0.5, reason="Vantor 2, Gallia 1", dominant="Vantor"),
        claims=claims_summary(2, 2),
    )
    verdict = summarize(page, REFERENCE).summary.verdict
    assert verdict is not None
    assert verdict.level == "low"
    assert verdict.score < 0.2
    assert any("No persuasion technique" in r.text for r in verdict.reasons)


def test_dense_techniques_and_one_sided_sourcing_is_high_with_evidence() -> None:
    spans = [technique("Loaded_Language", BODY_START + 5 * i) for i in range(6)]
    spans += [technique("Name_Calling,Labeling", 0), technique("Name_Calling,Labeling", BODY_START + 40)]
    outside = technique("Loaded_Language", COMMENT_START)  # a comment's technique: not the article's
    sources = [army(BODY_START + 100, "Vantor"), army(BODY_START + 200, "Vantor"), army(BODY_START + 300, "Vantor")]
    page = report(
        [*spans, outside, *sources],
        techniques=techniques_summary(spans, 204),
        sourcing=sourcing_summary(
            one_sided=True, dominant_share=1.0, reason="all 3 sources belong to Vantor", dominant="Vantor"
        ),
    )
    result = summarize(page, REFERENCE)
    verdict = result.summary.verdict
    assert verdict is not None
    assert verdict.level == "high"
    assert verdict.score >= 0.9
    first = verdict.reasons[0]
    # 8 spans of confidence 0.9 in 204 (+200 prior) words: 1.78 weighted per 100 words, 8.9x the median of 0.2
    assert first.text.startswith(
        "8 technique spans in 204 words (3.9 per 100 words; weighing spans by confidence, 8.9x"
    )
    assert "loaded language 6, name calling/labeling 2" in first.text
    assert len(first.evidence) == 8 and all(e.start != COMMENT_START for e in first.evidence)
    assert any(r.text == "One-sided sourcing: all 3 sources belong to Vantor." for r in verdict.reasons)
    evidence_exists(result)


def test_unattributed_numeric_claims_and_loaded_terms_are_reasons() -> None:
    claims = [
        claim(BODY_START, BODY_START + 20, attributed=False, numbers=["2,000"]),
        claim(BODY_START + 30, BODY_START + 50, attributed=True),
    ]
    loaded = [loaded_term(TITLE.index("Traitors"), len(TITLE), "Gallia")]
    page = report([*claims, *loaded], claims=claims_summary(2, 1), framing=FramingSummary(actors=[]))
    result = summarize(page, REFERENCE)
    assert result.summary.verdict is not None
    texts = [r.text for r in result.summary.verdict.reasons]
    assert "1 of 2 check-worthy claims has no stated source, 1 of them with numbers." in texts
    assert "Loaded terms about Gallia (negative): 'traitors'." in texts
    evidence_exists(result)


def test_skipped_analyzers_neither_raise_nor_lower_the_score() -> None:
    spans = [technique("Doubt", BODY_START + 5 * i) for i in range(3)]
    only_techniques = summarize(report(spans, techniques=techniques_summary(spans, 204)), REFERENCE).summary.verdict
    density = 100 * 3 * 0.9 / (204 + PRIOR_WORDS)
    assert only_techniques is not None
    assert only_techniques.score == pytest.approx(REFERENCE.percentile(density), abs=1e-3)
    assert [r.text[:1] for r in only_techniques.reasons] == ["3"]


def test_no_verdict_without_an_analyzer_that_judges_the_article() -> None:
    page = report(comments=CommentsSummary(total=1, stances={Stance.SUPPORTS: 1}))
    assert summarize(page, REFERENCE).summary.verdict is None


def test_calibration_percentile_and_shipped_file() -> None:
    assert REFERENCE.median == 0.2
    assert REFERENCE.percentile(0.2) == pytest.approx(0.5)
    assert REFERENCE.percentile(-1.0) == 0.0 and REFERENCE.percentile(9.0) == 1.0
    shipped = calibration()
    assert len(shipped.densities) >= 30 and shipped.median > 0
