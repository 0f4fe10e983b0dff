"""The article verdict on hand-made reports: levels, reasons with evidence, skipped analyzers."""

from typing import Any

import pytest

from slant.model import Finding, Report, Segment, SegmentKind
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
    return Report(text=TEXT, segments=segments, findings=tuple(findings), summary=summary)


def technique(label: str, start: int) -> Finding:
    return Finding(analyzer="techniques", label=label, start=start, end=start + 4, score=0.9)


def techniques_section(findings: list[Finding]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.label] = counts.get(f.label, 0) + 1
    return {"total": len(findings), "counts": counts, "words": 204, "per_100_words": 100 * len(findings) / 204}


def source(start: int, affiliation: str) -> Finding:
    return Finding(
        analyzer="sourcing",
        label="military",
        start=start,
        end=start + 9,
        score=0.8,
        attributes={"affiliation": affiliation, "canonical": f"{affiliation} army", "direct": True},
    )


def sourcing_section(one_sided: bool, dominant_share: float) -> dict[str, Any]:
    return {
        "sources": [],
        "n_sources": 3,
        "n_affiliations": 1 if one_sided else 2,
        "n_kinds": 1,
        "dominant_affiliation": "Vantor",
        "dominant_share": dominant_share,
        "anonymous_share": 0.0,
        "parties": [],
        "one_sided": one_sided,
        "reason": "all 3 sources belong to Vantor" if one_sided else "Vantor 2, Gallia 1",
    }


def evidence_exists(result: Report) -> None:
    spans = {(f.analyzer, f.label, f.start, f.end) for f in result.findings}
    for reason in result.summary["verdict"]["reasons"]:
        for item in reason["evidence"]:
            assert (item["analyzer"], item["label"], item["start"], item["end"]) in spans


def test_no_techniques_and_balanced_sourcing_is_low() -> None:
    sources = [source(BODY_START, "Vantor"), source(BODY_START + 50, "Gallia")]
    page = report(
        sources,
        techniques=techniques_section([]),
        sourcing=sourcing_section(one_sided=False, dominant_share=0.5),
        claims={"total": 2, "attributed": 2, "unattributed": 0, "hedged": 0},
    )
    verdict = summarize(page, REFERENCE).summary["verdict"]
    assert verdict["level"] == "low"
    assert verdict["score"] < 0.2
    assert any("No persuasion technique" in r["text"] for r in verdict["reasons"])


def test_dense_techniques_and_one_sided_sourcing_is_high_with_evidence() -> None:
    spans = [technique("Loaded_Language", BODY_START + 5 * i) for i in range(6)]
    spans += [technique("Name_Calling,Labeling", 0), technique("Name_Calling,Labeling", BODY_START + 40)]
    outside = technique("Loaded_Language", COMMENT_START)  # a comment's technique: not the article's
    sources = [
        source(BODY_START + 100, "Vantor"),
        source(BODY_START + 200, "Vantor"),
        source(BODY_START + 300, "Vantor"),
    ]
    page = report(
        [*spans, outside, *sources],
        techniques=techniques_section(spans),
        sourcing=sourcing_section(one_sided=True, dominant_share=1.0),
    )
    result = summarize(page, REFERENCE)
    verdict = result.summary["verdict"]
    assert verdict["level"] == "high"
    assert verdict["score"] >= 0.9
    first = verdict["reasons"][0]
    # 8 spans of confidence 0.9 in 204 (+200 prior) words: 1.78 weighted per 100 words, 8.9x the median of 0.2
    assert first["text"].startswith(
        "8 technique spans in 204 words (3.9 per 100 words; weighing spans by confidence, 8.9x"
    )
    assert "loaded language 6, name calling/labeling 2" in first["text"]
    assert len(first["evidence"]) == 8 and all(e["start"] != COMMENT_START for e in first["evidence"])
    assert any(r["text"] == "One-sided sourcing: all 3 sources belong to Vantor." for r in verdict["reasons"])
    evidence_exists(result)


def test_unattributed_numeric_claims_and_loaded_terms_are_reasons() -> None:
    claims = [
        Finding(
            analyzer="claims",
            label="claim",
            start=BODY_START,
            end=BODY_START + 20,
            score=0.7,
            attributes={"attributed": False, "numbers": ["2,000"]},
        ),
        Finding(
            analyzer="claims",
            label="claim",
            start=BODY_START + 30,
            end=BODY_START + 50,
            score=0.7,
            attributes={"attributed": True, "numbers": []},
        ),
    ]
    loaded = [
        Finding(
            analyzer="framing",
            label="loaded_term",
            start=TITLE.index("Traitors"),
            end=len(TITLE),
            score=0.8,
            attributes={"actor": "Gallia", "polarity": "negative"},
        ),
    ]
    page = report(
        [*claims, *loaded],
        claims={"total": 2, "attributed": 1, "unattributed": 1, "hedged": 0},
        framing={"actors": []},
    )
    result = summarize(page, REFERENCE)
    texts = [r["text"] for r in result.summary["verdict"]["reasons"]]
    assert "1 of 2 check-worthy claims has no stated source, 1 of them with numbers." in texts
    assert "Loaded terms about Gallia (negative): 'traitors'." in texts
    evidence_exists(result)


def test_skipped_analyzers_neither_raise_nor_lower_the_score() -> None:
    spans = [technique("Doubt", BODY_START + 5 * i) for i in range(3)]
    only_techniques = summarize(report(spans, techniques=techniques_section(spans)), REFERENCE)
    density = 100 * 3 * 0.9 / (204 + PRIOR_WORDS)
    assert only_techniques.summary["verdict"]["score"] == pytest.approx(REFERENCE.percentile(density), abs=1e-3)
    assert [r["text"][:1] for r in only_techniques.summary["verdict"]["reasons"]] == ["3"]


def test_no_verdict_without_an_analyzer_that_judges_the_article() -> None:
    page = report(comments={"total": 1, "stances": {"supports": 1}})
    assert "verdict" not in summarize(page, REFERENCE).summary


def test_calibration_percentile_and_shipped_file() -> None:
    assert REFERENCE.median == 0.2
    assert REFERENCE.percentile(0.2) == pytest.approx(0.5)
    assert REFERENCE.percentile(-1.0) == 0.0 and REFERENCE.percentile(9.0) == 1.0
    shipped = calibration()
    assert len(shipped.densities) >= 30 and shipped.median > 0
