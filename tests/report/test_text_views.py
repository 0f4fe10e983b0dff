"""The terminal and Markdown views: each finding with who it is about, and the words behind it."""

from tests.factories import source, technique

from slant.model import Report, Segment, SegmentKind
from slant.report.markdown import render_markdown
from slant.report.terminal import render_terminal

TEXT = "Harbour talks stall\n\nThe ministry said the talks had stalled, a brazen lie."


def report() -> Report:
    said = TEXT.index("the talks")
    lie = TEXT.index("brazen lie")
    return Report(
        text=TEXT,
        segments=(
            Segment(kind=SegmentKind.TITLE, start=0, end=19),
            Segment(kind=SegmentKind.BODY, start=21, end=len(TEXT)),
        ),
        findings=(
            source(said, said + 21, "Harbour ministry", kind="government"),
            technique(lie, lie + 10, "Loaded_Language", 0.7),
        ),
    )


def test_markdown_rows_name_the_source_and_quote_the_words() -> None:
    page = render_markdown(report())
    assert "| government (Harbour ministry) | 0.80 | 39-60 | the talks had stalled |" in page
    assert "| Loaded_Language | 0.70 | 64-74 | brazen lie |" in page


def test_terminal_rows_name_the_source() -> None:
    page = render_terminal(report(), width=120)
    assert "government (Harbour ministry)" in page and "brazen lie" in page
