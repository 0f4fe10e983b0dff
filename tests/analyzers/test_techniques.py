"""The technique analyzer with the shipped model on an invented article with a reader comment."""

import pytest

from slant.analyzers import run_alone
from slant.analyzers.techniques import TechniquesAnalyzer
from slant.model import Document, Report, Segment, SegmentKind
from slant.options import AnalysisOptions
from slant.techniques import DEFINITIONS, TECHNIQUES

TITLE = "Traitors in Velmora sell out our glorious homeland"
BODY = (
    "The corrupt thugs of the Velmora council have once again betrayed every decent, hard-working family. "
    "These so-called leaders are nothing but puppets of foreign bankers, a disgrace to our proud nation. "
    "Either you stand with the patriots, or you stand with the enemies of freedom. "
    "Mayor Dorn Ashby claimed the budget was balanced, but who can believe a word from such a shameless liar? "
    "If we do nothing, criminals will flood our streets and our children will pay the price. "
    "Make Velmora great again!"
)
COMMENT = "Absolutely disgusting. These clowns should be thrown out before they destroy everything."


def invented_document() -> Document:
    text = f"{TITLE}\n\n{BODY}\n\nComments\n\n{COMMENT}\n"
    body_start = len(TITLE) + 2
    comment_start = text.index(COMMENT)
    segments = (
        Segment(kind=SegmentKind.TITLE, start=0, end=len(TITLE)),
        Segment(kind=SegmentKind.BODY, start=body_start, end=body_start + len(BODY)),
        Segment(kind=SegmentKind.COMMENTS_HEADER, start=comment_start - 10, end=comment_start - 2),
        Segment(kind=SegmentKind.COMMENT, start=comment_start, end=comment_start + len(COMMENT), author="Kel"),
    )
    return Document(text=text, segments=segments)


@pytest.fixture(scope="module")
def analyzer() -> TechniquesAnalyzer:
    return TechniquesAnalyzer(AnalysisOptions())


def analyzed(analyzer: TechniquesAnalyzer, *documents: Document) -> list[Report]:
    return run_alone(analyzer, [Report(**dict(d)) for d in documents])


def test_findings_are_exact_spans_inside_analyzed_segments(analyzer: TechniquesAnalyzer) -> None:
    report = analyzed(analyzer, invented_document())[0]
    findings = report.findings_of("techniques")
    assert findings, "a one-sided invented article should show some technique"
    analyzed_segments = report.segments_of(SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.COMMENT)
    for finding in findings:
        assert any(s.start <= finding.start < finding.end <= s.end for s in analyzed_segments)
        words = report.text[finding.start : finding.end]
        assert words == words.strip(" \n.,:;") and words
        assert finding.label in TECHNIQUES
        assert 0.0 <= finding.score <= 1.0
        assert finding.attributes.definition == DEFINITIONS[finding.label]
    assert analyzer.version


def test_summary_counts_title_and_body_only(analyzer: TechniquesAnalyzer) -> None:
    report = analyzed(analyzer, invented_document())[0]
    summary = report.summary.techniques
    article_findings = [f for f in report.findings if f.attributes.segment != "comment"]
    assert summary.total == len(article_findings) == sum(summary.counts.values())
    assert summary.words > 80
    assert summary.per_100_words == round(100 * summary.total / summary.words, 2)


def test_findings_are_kept_at_every_confidence_and_hidden_only_when_shown() -> None:
    everything = analyzed(TechniquesAnalyzer(AnalysisOptions()), invented_document())[0]
    cutoff = sorted(f.score for f in everything.findings)[len(everything.findings) // 2]
    unfiltered = analyzed(TechniquesAnalyzer(AnalysisOptions(min_confidence=cutoff)), invented_document())[0]
    assert unfiltered.findings == everything.findings
    shown = everything.shown(cutoff)
    assert shown.findings == tuple(f for f in everything.findings if f.score >= cutoff)
    assert shown.summary == everything.summary


def test_batch_gives_the_same_findings_as_one_at_a_time(analyzer: TechniquesAnalyzer) -> None:
    document = invented_document()
    plain = Document(text="The weather in Velmora was mild on Tuesday, and the market opened at nine.\n")
    batch = analyzed(analyzer, document, plain, document)
    single = analyzed(analyzer, document)[0]
    for found in (batch[0].findings, batch[2].findings):
        assert [(f.start, f.end, f.label) for f in found] == [(f.start, f.end, f.label) for f in single.findings]
        assert [f.score for f in found] == [f.score for f in single.findings]  # exactly: one window per run
    assert batch[1].summary.techniques.words == 14


def test_unsegmented_text_is_analyzed_as_body(analyzer: TechniquesAnalyzer) -> None:
    report = analyzed(analyzer, Document(text=BODY))[0]
    assert report.summary.techniques.total == len(report.findings)
    assert all(0 <= f.start < f.end <= len(BODY) for f in report.findings)
