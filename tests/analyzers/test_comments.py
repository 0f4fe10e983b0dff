"""The comments analyzer: stance per comment, evidence spans, context, summary, and the shipped model."""

from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

from slant.analyzers import run_alone
from slant.analyzers.comments import (
    RETRAIN,
    CommentsAnalyzer,
    answered,
    fold,
    stance_model,
    stance_probabilities,
)
from slant.encoder import HIDDEN, fingerprint
from slant.errors import ModelMismatchError
from slant.ingest import document_from_text
from slant.model import CommentsSummary, Metadata, Report, Segment, SegmentKind, Stance
from slant.options import AnalysisOptions
from slant.train.stance import Comment, as_report, comment_features

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


def test_demo_page_comments(analyzer: CommentsAnalyzer) -> None:
    text = files("slant").joinpath("examples/demo-page.txt").read_text(encoding="utf-8")
    (report,) = run_alone(analyzer, [Report(**dict(document_from_text(text)))])
    stances = [s.stance for s in report.segments_of(SegmentKind.COMMENT)]
    assert stances == [Stance.ADDS_INFORMATION, Stance.DISPUTES, Stance.SUPPORTS]
    disputing = report.segments_of(SegmentKind.COMMENT)[1]
    assert report.segment_text(disputing.stance_evidence) == "This is a one sided piece of propaganda."


EXAMPLE_PAGE = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "aleppo-scraped-page.txt"


def test_example_page_comments(analyzer: CommentsAnalyzer) -> None:
    """The real example page: the first comment relays agency reports, the second disputes the article."""
    if not EXAMPLE_PAGE.is_file():
        pytest.skip(f"needs the third-party example page {EXAMPLE_PAGE}, which is absent here")
    document = document_from_text(EXAMPLE_PAGE.read_text(encoding="utf-8"))
    (report,) = run_alone(analyzer, [Report(**dict(document))])
    first, second = report.segments_of(SegmentKind.COMMENT)
    assert (first.stance, second.stance) == (Stance.ADDS_INFORMATION, Stance.DISPUTES)
    assert second.start <= second.stance_evidence.start < second.stance_evidence.end <= second.end


def test_a_query_disputes_by_its_share_and_the_neutral_classes_go_together_to_the_likelier_of_two() -> None:
    """The model's classes fold into slant's four stances: a query disputes for its share, the neutral classes
    and the rest of a query go wholly to adds information or off topic (that rest counting as on topic), and
    supports and disputes are weighed."""
    classes = ("adds_information", "comment", "deny", "off_topic", "query", "support")
    probabilities = np.array(
        [[0.05, 0.2, 0.1, 0.1, 0.45, 0.1], [0.05, 0.6, 0.1, 0.1, 0.05, 0.1], [0.3, 0.3, 0.1, 0.1, 0.1, 0.1]]
    )
    folded = fold(probabilities, classes, 0.5, {})
    np.testing.assert_allclose(folded, [[0.1, 0.325, 0.575, 0], [0.1, 0.125, 0, 0.775], [0.1, 0.15, 0.75, 0]])
    biased = fold(probabilities, classes, 1.0, {"disputes": np.log(2.0)})
    np.testing.assert_allclose(biased[0], np.array([0.1, 1.1, 0, 0.35]) / 1.55)
    assert list(Stance) == [Stance.SUPPORTS, Stance.DISPUTES, Stance.ADDS_INFORMATION, Stance.OFF_TOPIC]


def test_a_comment_is_read_against_what_it_answers() -> None:
    """A reply answers its parent comment, a top-level comment the title: their shared words and states, that it
    replies, and cues."""
    reply = Comment("Army retakes Quellin? Really? Not true.", TITLE, "The army retakes the town.", "deny", "", "")
    report = as_report(reply)
    title, parent, last = report.segments
    assert answered(report, last) == parent and answered(report, parent) == title
    (row,) = comment_features([reply])
    assert -1.0 <= row[HIDDEN] <= 1.0  # cosine of the mean states of the reply and its parent
    # shared words 2/6, a reply, a question, not relayed, one denial, one agreement word, a doubting question,
    # 2 "?", no "!"
    np.testing.assert_allclose(row[HIDDEN + 1 :], [2 / 6, 1, 1, 0, 1, 1, 1, 2, 0])


@pytest.mark.parametrize(
    ("comment", "label", "logit", "stance"),
    [
        ("Is this confirmed? Any source?", "query", 3.865, Stance.ADDS_INFORMATION),  # asks: neutral, on topic
        ("Really? Is this even true? Sounds fake.", "deny", 3.286, Stance.DISPUTES),  # a doubting question
        ("This is fake news, it never happened.", "deny", 3.880, Stance.DISPUTES),
        ("Great article, thank you!", "support", 2.447, Stance.SUPPORTS),
        ("Reuters says 40 trucks reached the clinic on Monday.", "adds_information", 3.818, Stance.ADDS_INFORMATION),
        ("Buy cheap sunglasses at my shop!!", "off_topic", 6.257, Stance.OFF_TOPIC),
    ],
)
def test_shipped_model_fixed_answers(comment: str, label: str, logit: float, stance: Stance) -> None:
    model = stance_model()
    features = comment_features([Comment(comment, None, None, label, "test", "written")])
    logits = model.decision([comment], features)[0]
    assert model.classes[int(logits.argmax())] == label
    assert logits.max() == pytest.approx(logit, abs=1e-3)
    assert list(Stance)[int(stance_probabilities(model, [comment], features)[0].argmax())] == stance


def test_shipped_model_was_trained_over_the_shipped_technique_model() -> None:
    """The stance model reads the technique model's states: replacing that model requires retraining this one."""
    assert stance_model().params["encoder_sha256"] == fingerprint(), f"the technique model changed; run {RETRAIN}"


def test_a_stance_model_over_another_encoder_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("slant.encoder.fingerprint", lambda: "0" * 64)
    with pytest.raises(ModelMismatchError, match="retrain"):
        CommentsAnalyzer(AnalysisOptions())
