"""HTML extraction (placeholder; replaced by the trafilatura-based extractor)."""

import re

from slant.model import Document

_HTML = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<\?xml)", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether `text` is an HTML page rather than plain text."""
    return bool(_HTML.match(text))


def extract_html(html: str, *, source: str, url: str | None = None) -> Document:
    """Extract the article, its metadata and its comments from an HTML page."""
    raise NotImplementedError
