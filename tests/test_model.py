"""The data model's helpers."""

from slant.model import Document, Segment, SegmentKind


def test_unsegmented_document_is_one_body_segment() -> None:
    document = Document(text="The council met on Monday.")
    assert document.segments_of(SegmentKind.TITLE, SegmentKind.BODY) == [
        Segment(kind=SegmentKind.BODY, start=0, end=len(document.text))
    ]
    assert document.segments_of(SegmentKind.COMMENT) == []


def test_segments_of_keeps_text_order_and_kinds() -> None:
    text = "Title\n\nBody text.\n\nA comment."
    segments = (
        Segment(kind=SegmentKind.TITLE, start=0, end=5),
        Segment(kind=SegmentKind.BODY, start=7, end=17),
        Segment(kind=SegmentKind.COMMENT, start=19, end=29),
    )
    document = Document(text=text, segments=segments)
    assert [s.kind for s in document.segments_of(SegmentKind.COMMENT, SegmentKind.TITLE)] == ["title", "comment"]
