"""HTML pages: trafilatura finds the article and its metadata; the page's own markup gives each comment.

The document text is built as title, body, then one block per reader comment, separated by blank
lines. The title and body part is segmented by the same cascade as scraped text (so a byline or bio
that trafilatura keeps is still told apart); comments come from the page's comment markup (WordPress
and similar: an element whose class names it a comment, holding a comment-content element), with
author, time and the parent comment from nesting, and are taken out of the page before trafilatura reads
it, so that the main text holds no comments. Text without such markup is never made a comment.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import Document as Extracted

from slant.errors import NoArticleError
from slant.ingest.segment import segment
from slant.model import Document, Metadata, Segment, SegmentKind

MIN_ARTICLE_WORDS = 10
_ITEM_CLASS = re.compile(r"(?:\w+[-_]{1,2})?comment", re.I)  # "comment", "c-comment", "xenforo-comment"
_ITEM_ID = re.compile(r"comment-\d+")
_CONTENT_CLASS = re.compile(r"comment[-_]{1,2}(?:content|text|copy|body)|contenttext|format_text", re.I)
_META_CLASS = re.compile(
    r"author|vcard|\bfn\b|meta|date|time|reply|like|share|vote|avatar|action|respond|edit|flag|report|permalink", re.I
)
_AUTHOR_CLASS = re.compile(r"comment[-_]?author|\bfn\b|author[-_]?name|user[-_]?name|\bauthor\b", re.I)
_TIME_CLASS = re.compile(r"comment[-_]?(?:date|time|metadata)|post[-_]?date|\bdate\b|\btime\b", re.I)
_WIDGET_TEXT = re.compile(
    r"(?:\d+\s+)?comments?|leave a (?:reply|comment)|loading comments\W*|you must (?:be )?log(?:ged)? in.*"
    r"|reply|no comments yet\.?",
    re.I,
)
MAX_META_CHARS = 80
_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class HtmlComment:
    """One reader comment read from the page markup; `parent` indexes the list it comes in."""

    text: str
    author: str | None
    posted: str | None
    parent: int | None


def extract_html(html: str, *, source: str, url: str | None = None) -> Document:
    """Extract the article, its metadata and its reader comments from an HTML page.

    Raises:
        NoArticleError: trafilatura finds no main text, or it holds fewer than `MIN_ARTICLE_WORDS` words of
            body and comments (a login page, a menu).
    """
    tree = _parsed(html)
    comments = comments_from_markup(tree) if tree is not None else []
    if tree is not None:
        items = set(_comment_elements(tree))
        for item in items:
            if _nearest_item(item, items) is None:
                item.drop_tree()
    extracted = trafilatura.bare_extraction(
        tree if tree is not None else html, url=url, include_comments=False, with_metadata=True
    )
    body = (extracted.text or "").strip() if isinstance(extracted, Extracted) else ""
    if not isinstance(extracted, Extracted) or not body:
        raise NoArticleError(f"{source} is an HTML page without an article: no main text was found in it")
    title = (extracted.title or "").strip()
    if title and body.splitlines()[0].strip() == title:
        body = body[len(body.splitlines()[0]) :].strip()
    article = _SEPARATOR.join(p for p in (title, _paragraphs(body)) if p)
    text, segments = article, list(segment(article, extracted=True))
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


def comments_from_markup(html: str | lxml.html.HtmlElement) -> list[HtmlComment]:
    """Reader comments from the page's comment markup, in page order, one per comment element.

    A comment element is one whose class names it a comment ("comment", "c-comment", …) or whose id is
    "comment-123"; its text is that of its comment-content element (or of itself) without the author,
    time, reply and vote parts, which give the author and time. A reply's parent is the comment element
    around it. Widgets (counters, forms, "Leave a Reply") are no comments.
    """
    tree = _parsed(html) if isinstance(html, str) else html
    if tree is None:
        return []
    items = _comment_elements(tree)
    index = {item: i for i, item in enumerate(items)}
    comments: list[HtmlComment] = []
    numbers: dict[int, int] = {}
    for i, item in enumerate(items):
        own = [e for e in item.iterdescendants() if _nearest_item(e, index) is item]
        content = next((e for e in own if _CONTENT_CLASS.search(e.get("class") or "")), item)
        text = _paragraphs(_comment_text(content))
        if not re.search(r"[^\W\d_]", text) or _WIDGET_TEXT.fullmatch(text):
            continue
        author = _first_text(e for e in own if _AUTHOR_CLASS.search(e.get("class") or ""))
        author = re.sub(r"\s+(?:says|said|wrote):?$", "", author or "") or None
        posted = _first_text(e for e in own if e.tag == "time" or _TIME_CLASS.search(e.get("class") or ""))
        parent = next((numbers.get(index[a]) for a in item.iterancestors() if a in index), None)
        numbers[i] = len(comments)
        comments.append(HtmlComment(text, _short(author), _short(posted), parent))
    return comments


def _short(text: str | None) -> str | None:
    return text if text and len(text) <= MAX_META_CHARS else None


def _parsed(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return None


def _comment_elements(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page's comment elements in document order (not forms, not comment lists)."""
    items = []
    for element in tree.iter("li", "div", "article", "section", "dd"):
        classes = (element.get("class") or "").split()
        if not (any(_ITEM_CLASS.fullmatch(c) for c in classes) or _ITEM_ID.fullmatch(element.get("id") or "")):
            continue
        if any(_CONTENT_CLASS.search(c) or c in ("pingback", "trackback") for c in classes):
            continue
        if element.find(".//form") is None and element.find(".//textarea") is None:
            items.append(element)
    return items


def _nearest_item(element: lxml.html.HtmlElement, items: Container[object]) -> lxml.html.HtmlElement | None:
    return next((a for a in element.iterancestors() if a in items), None)


def _comment_text(content: lxml.html.HtmlElement) -> str:
    """The content's text without nested comments and without author, time, reply or vote parts."""
    copy = lxml.html.fromstring(lxml.html.tostring(content))
    for element in list(copy.iterdescendants()):
        classes = element.get("class") or ""
        nested = any(_ITEM_CLASS.fullmatch(c) for c in classes.split()) or _ITEM_ID.fullmatch(element.get("id") or "")
        if element.getparent() is not None and (nested or _META_CLASS.search(classes) or element.tag == "time"):
            element.drop_tree()
    return _block_text(copy)


def _block_text(element: lxml.html.HtmlElement) -> str:
    """The element's text with a line break after each block (paragraph, line break, list item)."""
    for block in element.iter("p", "br", "div", "li", "blockquote", "pre"):
        block.tail = "\n" + (block.tail or "")
    return str(element.text_content())


def _first_text(elements: Iterable[lxml.html.HtmlElement]) -> str | None:
    for element in elements:
        text = " ".join(element.text_content().split())
        if text:
            return text
    return None


def _paragraphs(text: str) -> str:
    """Paragraphs one per line block, separated by blank lines, with runs of spaces collapsed."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return _SEPARATOR.join(line for line in lines if line)
