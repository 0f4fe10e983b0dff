"""The core of the data model: the text, its metadata, and its segments.

All positions are character offsets into `Document.text` (start inclusive, end exclusive), as in the
PTC corpus. Nothing rewrites the text: segments and findings are labelled spans over it.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Frozen(BaseModel):
    """Base of all model classes: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Frozen):
    """A half-open character range `[start, end)` over the document text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class SegmentKind(StrEnum):
    """What part of a scraped page a segment is."""

    TITLE = "title"
    BYLINE = "byline"
    DATELINE = "dateline"
    BODY = "body"
    BIO = "bio"
    BOILERPLATE = "boilerplate"
    COMMENTS_HEADER = "comments_header"
    COMMENT = "comment"


#: The segments that make up the article itself, which article-level summaries and the verdict read.
ARTICLE_KINDS = (SegmentKind.TITLE, SegmentKind.BODY)


class Stance(StrEnum):
    """A reader comment's stance toward the article."""

    SUPPORTS = "supports"
    DISPUTES = "disputes"
    ADDS_INFORMATION = "adds_information"
    OFF_TOPIC = "off_topic"


class Segment(Span):
    """A contiguous part of the page: title, body paragraph run, one reader comment, ..."""

    kind: SegmentKind
    author: str | None = None
    posted: str | None = None
    parent: int | None = Field(default=None, description="Index in `segments` of the comment this one replies to.")
    stance: Stance | None = None
    stance_score: float | None = None
    stance_evidence: Span | None = None


class Metadata(Frozen):
    """What is known about the article besides its text."""

    title: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    site: str | None = None
    language: str | None = None
    source: str | None = Field(default=None, description="Where the text was read from: a path, a URL, or '-'.")
    format: str = Field(default="text", description="The input format: text or html.")
    encoding: str | None = Field(default=None, description="The encoding the input's bytes were read in.")
    invalid_bytes: int = Field(
        default=0, ge=0, description="Runs of bytes invalid in that encoding, each replaced by U+FFFD in the text."
    )


class Document(Frozen):
    """One article: its immutable text, metadata, and segmentation."""

    text: str
    metadata: Metadata = Field(default_factory=Metadata)
    segments: tuple[Segment, ...] = ()

    def segment_text(self, segment: Span) -> str:
        """The exact words a span covers."""
        return self.text[segment.start : segment.end]

    def segments_of(self, *kinds: SegmentKind) -> list[Segment]:
        """The segments of the given kinds, in text order; an unsegmented document is one body segment."""
        if not self.segments:
            return [Segment(kind=SegmentKind.BODY, start=0, end=len(self.text))] if SegmentKind.BODY in kinds else []
        return [s for s in self.segments if s.kind in kinds]


class FindingAttributes(Frozen):
    """Base of each analyzer's typed finding details."""

    def subject(self) -> str | None:
        """Who or what the finding is about (a source, an actor), when it names one."""
        return None


class Finding(Span):
    """One labelled span found by an analyzer, with a score in [0, 1] and the analyzer's typed details.

    Each analyzer has its own subclass, which fixes `analyzer` (and, for framing, `label`) and the type
    of `attributes`; a report's findings are discriminated by those fields.
    """

    analyzer: str
    label: str
    score: float = Field(ge=0.0, le=1.0)
    attributes: FindingAttributes
