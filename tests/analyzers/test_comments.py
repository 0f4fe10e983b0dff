"""The comments analyzer: stance per comment, evidence spans, summary, and the exported model."""

import json
from importlib.resources import files

import numpy as np
import pytest

from slant.analyzers import run_alone
from slant.analyzers.comments import MODEL_PATH, CommentsAnalyzer, StanceModel, features
from slant.ingest import document_from_text
from slant.model import CommentsSummary, Metadata, Report, Segment, SegmentKind, Stance
from slant.options import AnalysisOptions

TITLE = "Army Retakes Harbour Town of Quellin From Militias"


def page(*comments: str) -> Report:
    """A tiny page: a title, a body sentence, and the given comments as segments."""
    text = f"{TITLE}\n\nThe army said it now controls Quellin.\n\n"
    segments = [Segment(kind=SegmentKind.TITLE, start=0, end=len(TITLE))]
    for comment in comments:
        segments.append(Segment(kind=SegmentKind.COMMENT, start=len(text), end=len(text) + len(comment)))
        text += comment + "\n\n"
    return Report(text=text, metadata=Metadata(title=TITLE), segments=tuple(segments))


@pytest.fixture(scope="module")
def analyzer() -> CommentsAnalyzer:
    return CommentsAnalyzer(AnalysisOptions())


@pytest.mark.parametrize(
    ("comment", "stance"),
    [
        ("Thank you, a brilliant and honest article. Everyone should read it.", Stance.SUPPORTS),
        ("This is biased propaganda, the writer only quotes the army.", Stance.DISPUTES),
        ("Reuters reported on Friday that 300 residents were evacuated from the port.", Stance.ADDS_INFORMATION),
        ("Cheap watches, free delivery, click the link in my profile!!", Stance.OFF_TOPIC),
    ],
)
def test_each_stance(analyzer: CommentsAnalyzer, comment: str, stance: Stance) -> None:
    (report,) = run_alone(analyzer, [page(comment)])
    (segment,) = report.segments_of(SegmentKind.COMMENT)
    assert segment.stance == stance
    assert 0.25 < segment.stance_score <= 1.0


def test_stance_voiced_in_one_sentence_of_a_long_comment(analyzer: CommentsAnalyzer) -> None:
    comment = (
        "The fighting has gone on for years and the town\nhas changed hands four times. Nobody counts the\n"
        "dead on the other bank. This article is a one sided piece of propaganda. We will see what\n"
        "the summer brings for the farmers there."
    )
    (report,) = run_alone(analyzer, [page(comment)])
    (segment,) = report.segments_of(SegmentKind.COMMENT)
    assert segment.stance == Stance.DISPUTES
    assert report.segment_text(segment.stance_evidence) == "This article is a one sided piece of propaganda."


def test_evidence_spans_hard_wrapped_sentence_inside_comment(analyzer: CommentsAnalyzer) -> None:
    comment = "Short intro.\nThe Red Crescent said on Sunday that 40 trucks\n   reached the clinic, AFP reported."
    (report,) = run_alone(analyzer, [page(comment)])
    (segment,) = report.segments_of(SegmentKind.COMMENT)
    assert segment.stance == Stance.ADDS_INFORMATION
    assert segment.start <= segment.stance_evidence.start < segment.stance_evidence.end <= segment.end
    assert report.segment_text(segment.stance_evidence).endswith("AFP reported.")


def test_summary_counts_every_stance_and_batches_reports(analyzer: CommentsAnalyzer) -> None:
    reports = run_alone(analyzer, [page("First!", "Great article, thank you!"), page()])
    assert reports[0].summary.comments.total == 2
    assert reports[0].summary.comments.stances == {
        "supports": 1,
        "disputes": 0,
        "adds_information": 0,
        "off_topic": 1,
    }
    assert reports[1].summary.comments == CommentsSummary(total=0, stances={s: 0 for s in Stance})


def test_features_mark_cues_and_title_overlap() -> None:
    terms = features("@Mia WHO FUNDED QUELLIN'S ARMY? 2 QUESTIONS", TITLE)
    assert {"f:reply", "f:caps", "f:question", "f:digit", "f:title_overlap"} <= set(terms)
    assert "w:funded" in terms and "c: who " in terms


def test_shipped_model_is_small_json() -> None:
    assert MODEL_PATH.stat().st_size < 2_000_000
    assert set(json.loads(MODEL_PATH.read_text())["classes"]) == {s.value for s in Stance}


def test_numpy_inference_reproduces_sklearn(tmp_path) -> None:
    pytest.importorskip("sklearn")
    from slant.train.stance import export, fit, read_examples

    examples = read_examples()
    pipeline = fit([e for e in examples if e.split == "train"])
    path = tmp_path / "stance.json"
    path.write_text(json.dumps(export(pipeline)))
    items = [(e.text, e.title) for e in examples if e.split == "test"]
    model = StanceModel.load(path)
    expected = pipeline.predict_proba(items)
    order = [list(pipeline.classes_).index(c.value) for c in model.classes]
    np.testing.assert_allclose(model.probabilities(items), expected[:, order], atol=1e-9)


def test_demo_page_comments(analyzer: CommentsAnalyzer) -> None:
    text = files("slant").joinpath("examples/demo-page.txt").read_text(encoding="utf-8")
    (report,) = run_alone(analyzer, [Report(**dict(document_from_text(text)))])
    stances = [s.stance for s in report.segments_of(SegmentKind.COMMENT)]
    assert stances == [Stance.ADDS_INFORMATION, Stance.DISPUTES, Stance.SUPPORTS]
    disputing = report.segments_of(SegmentKind.COMMENT)[1]
    assert report.segment_text(disputing.stance_evidence) == "This is a one sided piece of propaganda."
