"""HTML pages: trafilatura finds the article and its metadata; the page's own markup gives each comment.

The document text is built as title, body, then one block per reader comment, separated by blank
lines. The title and body part is segmented by the same cascade as scraped text (so a byline or bio
that trafilatura keeps is still told apart); comments come from the page's comment markup (WordPress
and similar: an element whose class names it a comment, holding a comment-content element), with
author, time and the parent comment from nesting. Pages whose comments have no such markup fall back to
trafilatura's comment text, one comment per paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import Document as Extracted

from slant.errors import NoArticleError
from slant.ingest.segment import segment
from slant.model import Document, Metadata, Segment, SegmentKind

_PAGE_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<\?xml)", re.IGNORECASE)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|ol|h[1-6]|article|section|table|td|img|strong|em|b|i|nav)\b[^>]*>", re.I
)
MIN_FRAGMENT_TAGS = 5
MIN_ARTICLE_WORDS = 10
_CONTAINER = (
    "//*[self::li or self::div or self::article or self::section]"
    "[contains(concat(' ', normalize-space(@class), ' '), ' comment ') or starts-with(@id, 'comment-')]"
)
_CONTENT = ".//*[contains(@class, 'comment-content') or contains(@class, 'comment-text')]"
_AUTHOR = ".//*[contains(@class, 'fn') or contains(@class, 'comment-author') or contains(@class, 'username')]"
_TIME = ".//time | .//*[contains(@class, 'comment-date') or contains(@class, 'comment-metadata')]"
_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class HtmlComment:
    """One reader comment read from the page markup; `parent` indexes the list it comes in."""

    text: str
    author: str | None
    posted: str | None
    parent: int | None


def looks_like_html(text: str) -> bool:
    """Whether `text` is an HTML page (doctype, <html>, <head>, <body>) or a fragment with many tags."""
    return bool(_PAGE_START.match(text)) or len(_TAG.findall(text[:100_000])) >= MIN_FRAGMENT_TAGS


def extract_html(html: str, *, source: str, url: str | None = None) -> Document:
    """Extract the article, its metadata and its reader comments from an HTML page.

    Raises:
        NoArticleError: trafilatura finds no main text, or it holds fewer than `MIN_ARTICLE_WORDS` words of
            body and comments (a login page, a menu).
    """
    extracted = trafilatura.bare_extraction(html, url=url, include_comments=True, with_metadata=True)
    body = (extracted.text or "").strip() if isinstance(extracted, Extracted) else ""
    if not isinstance(extracted, Extracted) or not body:
        raise NoArticleError(f"{source} is an HTML page without an article: no main text was found in it")
    title = (extracted.title or "").strip()
    if title and body.splitlines()[0].strip() == title:
        body = body[len(body.splitlines()[0]) :].strip()
    article = _SEPARATOR.join(p for p in (title, _paragraphs(body)) if p)
    comments = comments_from_markup(html) or _comments_from_text(extracted.comments or "")
    text, segments = article, list(segment(article))
    first = len(segments)
    for comment in comments:
        start = len(text) + len(_SEPARATOR)
        text = text + _SEPARATOR + comment.text
        parent = None if comment.parent is None else first + comment.parent
        segments.append(
            Segment(
                kind=SegmentKind.COMMENT,
                start=start,
                end=len(text),
                author=comment.author,
                posted=comment.posted,
                parent=parent,
            )
        )
    metadata = Metadata(
        title=title or None,
        author=extracted.author,
        published=extracted.date,
        url=url or extracted.url,
        site=extracted.sitename,
        language=extracted.language,
        source=source,
        format="html",
    )
    prose = [text[s.start : s.end] for s in segments if s.kind in (SegmentKind.BODY, SegmentKind.COMMENT)]
    if sum(len(p.split()) for p in prose) < MIN_ARTICLE_WORDS:
        raise NoArticleError(f"{source} is an HTML page without an article: it holds no paragraphs of text")
    return Document(text=text, metadata=metadata, segments=tuple(segments))


def comments_from_markup(html: str) -> list[HtmlComment]:
    """Reader comments from comment markup, in page order, with authors, times and parents from nesting."""
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return []
    containers = [c for c in tree.xpath(_CONTAINER) if _own(c, c.xpath(_CONTENT))]
    index = {container: i for i, container in enumerate(containers)}
    comments = []
    for container in containers:
        content = _own(container, container.xpath(_CONTENT))
        text = _paragraphs(_block_text(content[0]))
        if not text:
            continue
        author = _first_text(_own(container, container.xpath(_AUTHOR)))
        posted = _first_text(_own(container, container.xpath(_TIME)))
        parent = next((index[a] for a in container.iterancestors() if a in index), None)
        comments.append(HtmlComment(text, re.sub(r"\s+says:?$", "", author or "") or None, posted, parent))
    return comments if len(comments) == len(containers) else []


def _own(container: lxml.html.HtmlElement, elements: list) -> list:
    """The elements that belong to `container` itself, not to a comment nested inside it."""
    return [e for e in elements if _nearest_container(e) is container]


def _nearest_container(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    for ancestor in element.iterancestors():
        classes = f" {ancestor.get('class', '')} "
        if " comment " in classes or (ancestor.get("id") or "").startswith("comment-"):
            return ancestor
    return None


def _block_text(element: lxml.html.HtmlElement) -> str:
    """The element's text with a line break after each block (paragraph, line break, list item)."""
    for block in element.iter("p", "br", "div", "li", "blockquote", "pre"):
        block.tail = "\n" + (block.tail or "")
    return element.text_content()


def _first_text(elements: list) -> str | None:
    for element in elements:
        text = " ".join(element.text_content().split())
        if text:
            return text
    return None


def _comments_from_text(comments: str) -> list[HtmlComment]:
    return [HtmlComment(line.strip(), None, None, None) for line in comments.splitlines() if line.strip()]


def _paragraphs(text: str) -> str:
    """Paragraphs one per line block, separated by blank lines, with runs of spaces collapsed."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return _SEPARATOR.join(line for line in lines if line)
