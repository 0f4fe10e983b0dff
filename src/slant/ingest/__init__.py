"""Ingest: turn a path, URL, stdin or string into a segmented `Document`."""

from __future__ import annotations

import sys
from pathlib import Path

from slant.errors import InputError, InputTooLargeError
from slant.ingest.detect import is_html
from slant.ingest.html import extract_html
from slant.ingest.language import check_article
from slant.ingest.segment import segment
from slant.ingest.text import MAX_INPUT_BYTES, decode, normalize
from slant.model import Document, Metadata, SegmentKind
from slant.options import AnalysisOptions, Limits

__all__ = ["MAX_INPUT_BYTES", "check_article", "check_limits", "document_from_bytes", "document_from_text", "load"]

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


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
        document = document_from_bytes(data, name=name, url=source, max_bytes=max_bytes)
    elif name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        document = document_from_bytes(data, name="standard input", max_bytes=max_bytes)
    else:
        document = document_from_bytes(_read(Path(source), name, max_bytes), name=name, max_bytes=max_bytes)
    return check_article(check_limits(document, options.limits))


def check_limits(document: Document, limits: Limits) -> Document:
    """The document, once its text is no longer than `limits.max_text_chars`.

    Raises:
        InputTooLargeError: it is longer.
    """
    if len(document.text) > limits.max_text_chars:
        where = document.metadata.source or "the article"
        raise InputTooLargeError(
            f"{where} has {len(document.text):,} characters; slant analyzes at most {limits.max_text_chars:,} "
            "per document (limits.max_text_chars)"
        )
    return document


def _read(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a regular file no larger than `max_bytes`."""
    try:
        if path.is_dir():
            raise InputError(f"{name} is a directory; analyze one file, or use `slant batch` for a folder")
        if not path.is_file():
            raise InputError(f"{name} does not exist or is not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputTooLargeError(
                f"{name} is {size / 1e6:.1f} MB; slant reads at most {max_bytes / 1e6:.1f} MB per document"
            )
        return path.read_bytes()
    except OSError as error:  # unreadable: permissions, a vanished file, an I/O error
        raise InputError(f"{name} cannot be read: {error.strerror or error}") from None


def document_from_bytes(
    data: bytes,
    *,
    name: str,
    url: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    html: bool | None = None,
) -> Document:
    """Decode bytes, extract the article if they are HTML, and segment the result (`check_article` then says
    whether slant can analyze it).

    `html` says whether the bytes are HTML; when None, they are if `name` ends in .html or .htm, or if the text
    has a page's structure (`slant.ingest.detect.is_html`).
    """
    text, encoding, invalid = decode(data, name=name, max_bytes=max_bytes)
    if html is None:
        html = name.lower().endswith(_HTML_SUFFIXES) or is_html(text)
    if html:
        document = extract_html(text, source=name, url=url)
        read = document.metadata.model_copy(update={"encoding": encoding, "invalid_bytes": invalid})
        return _with_title(document.model_copy(update={"metadata": read}))
    return document_from_text(text, Metadata(source=name, url=url, encoding=encoding, invalid_bytes=invalid))


def document_from_text(text: str, metadata: Metadata | None = None) -> Document:
    """Segment plain (possibly scraped) text into a `Document`, its line endings and controls normalised
    (`slant.ingest.text.normalize`); `check_article` then says whether slant can analyze it."""
    text = normalize(text)
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
