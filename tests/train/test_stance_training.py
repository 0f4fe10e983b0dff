"""Stance training helpers: the one-comment pages, RumourEval's 3-way view and the macro-F1 the biases are chosen by."""

import pytest

from slant.model import SegmentKind
from slant.train.stance import TO_RUMOUREVAL, Comment, as_report, macro_f1, three_way


def test_a_reply_to_a_reply_is_a_page_of_title_parent_and_reply() -> None:
    report = as_report(Comment("Not true.", "Plane down in the Alps", "It was a drill.", "deny", "train", "twitter"))
    assert [(s.kind, report.segment_text(s), s.parent) for s in report.segments] == [
        (SegmentKind.TITLE, "Plane down in the Alps", None),
        (SegmentKind.COMMENT, "It was a drill.", None),
        (SegmentKind.COMMENT, "Not true.", 1),
    ]
    (alone,) = as_report(Comment("First!", None, None, "off_topic", "train", "written")).segments
    assert (alone.kind, alone.parent) == (SegmentKind.COMMENT, None)


def test_three_way_and_macro_f1() -> None:
    gold = three_way(["support", "deny", "query", "comment"])
    assert gold == ["support", "deny", "other", "other"]
    assert three_way(["query"], query="deny") == ["deny"]
    predicted = three_way([TO_RUMOUREVAL[s] for s in ("supports", "adds_information", "disputes", "off_topic")])
    assert predicted == ["support", "other", "deny", "other"]
    assert macro_f1(gold, predicted) == pytest.approx((1 + 0 + 0.5) / 3)
