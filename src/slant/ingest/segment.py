"""Segmentation of scraped pages (placeholder: the whole text is body; replaced by the segmentation work)."""

from slant.model import Segment, SegmentKind


def segment(text: str) -> tuple[Segment, ...]:
    """Split scraped page text into title, byline, body, bio, boilerplate and comment segments."""
    return (Segment(kind=SegmentKind.BODY, start=0, end=len(text)),)
