"""Ingest: turn a path, URL, stdin or string into a segmented `Document`."""

from __future__ import annotations

import sys
from pathlib import Path

from slant.errors import InputError, InputTooLargeError
from slant.ingest.html import extract_html, looks_like_html
from slant.ingest.language import check_article
from slant.ingest.segment import segment
from slant.ingest.text import MAX_INPUT_BYTES, decode
from slant.model import Document, Metadata, SegmentKind
from slant.options import AnalysisOptions

__all__ = ["MAX_INPUT_BYTES", "check_article", "document_from_bytes", "document_from_text", "load"]


def load(source: str | Path, options: AnalysisOptions | None = None) -> Document:
    """Load one article from a file path, '-' (stdin), or, when the options' URL policy allows, an http(s) URL,
    within the options' limits, and check that it is an English article. Nothing is analyzed, so a bad input
    fails before any model loads.

    Raises:
        InputError: the source is missing, a directory, too large, binary, empty, not allowed, or not an
            English article.
    """
    options = options or AnalysisOptions()
    max_bytes = options.limits.max_input_bytes
    name = str(source)
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        if not options.urls.allow:
            raise InputError(f"{name} is a URL; pass --url (or UrlPolicy(allow=True)) to let slant fetch it")
        from slant.ingest.url import fetch

        data = fetch(source, options.urls, max_bytes=max_bytes)
        return check_article(document_from_bytes(data, name=name, url=source, max_bytes=max_bytes))
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        return check_article(document_from_bytes(data, name="standard input", max_bytes=max_bytes))
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{name} is a directory; analyze one file, or use `slant batch` for a folder")
    if not path.is_file():
        raise InputError(f"{name} does not exist or is not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLargeError(
            f"{name} is {size / 1e6:.1f} MB; slant reads at most {max_bytes / 1e6:.1f} MB per document"
        )
    return check_article(document_from_bytes(path.read_bytes(), name=name, max_bytes=max_bytes))


def document_from_bytes(
    data: bytes, *, name: str, url: str | None = None, max_bytes: int = MAX_INPUT_BYTES
) -> Document:
    """Decode bytes, extract the article if they are HTML, and segment the result (`check_article` then
    says whether slant can analyze it)."""
    text = decode(data, name=name, max_bytes=max_bytes)
    if looks_like_html(text):
        return _with_title(extract_html(text, source=name, url=url))
    return document_from_text(text, metadata=Metadata(source=name, url=url))


def document_from_text(text: str, metadata: Metadata | None = None) -> Document:
    """Segment plain (possibly scraped) text into a `Document` (`check_article` then says whether slant can
    analyze it)."""
    return _with_title(Document(text=text, metadata=metadata or Metadata(), segments=segment(text)))


def _with_title(document: Document) -> Document:
    """Fill the title and author from the segmentation where the metadata lacks them."""
    metadata = document.metadata
    titles = document.segments_of(SegmentKind.TITLE)
    authors = [s.author for s in document.segments_of(SegmentKind.BYLINE) if s.author]
    updates = {}
    if metadata.title is None and titles:
        updates["title"] = document.segment_text(titles[0]).strip()
    if metadata.author is None and authors:
        updates["author"] = authors[0]
    if not updates:
        return document
    return document.model_copy(update={"metadata": metadata.model_copy(update=updates)})
