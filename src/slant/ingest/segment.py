"""Segmentation of scraped page text: tell the article apart from everything around it.

`segment(text)` is pure, rule-based and linear in the text. It works on lines (scraped text hard-wraps
sentences, even across blank lines) and runs a cascade where each stage sees only what the earlier ones
left:

1. **Split** the page at the comments: the first comments header ("2 thoughts on …", "14 Comments",
   "Sort by Best", "Join the discussion") or, on pages without one, the first unmistakable comment
   opener ("X says:", "Name • 3 hours ago", "Posted by X on …"). Before it is the article region.
2. **Article region**, line by line: boilerplate (share buttons, breadcrumbs, "Related:" links, cookie
   notices, copyright, "Source Article from", subscribe prompts) wins first; then, before the body
   starts, the title (the first short line that is not a sentence), a repeat of the title
   (boilerplate, so it is neither analyzed nor counted twice), bylines and datelines (including a
   "WASHINGTON (Reuters) -" opener, whose paragraph then continues as body); after the body has
   started, author bio and contact/promo lines. Everything else is body; adjacent body lines form one
   body segment, so a body segment is a contiguous run of article paragraphs.
3. **Comments region**, line by line: headers, comment openers (numbered "1.", "X says:", Disqus-like
   "Name • time", forum "Posted by X on …") whose author and time go into the comment's metadata and
   whose own lines are left out of every segment, interface lines ("Reply", "Share ›", vote counts,
   "Quote") that are dropped, and the reply form ("Leave a Reply", "Name *", …) that closes the
   comments as boilerplate. Every other line belongs to the open comment, however it is wrapped, so a
   comment is ONE segment from its first to its last word. A reply's `parent` comes from indentation
   (a more indented opener replies to the nearest less indented one) or from "In reply to X".

Segments never overlap and lie within the text; the blank lines between them belong to none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from slant.model import Segment, SegmentKind

MAX_TITLE_CHARS = 200
MAX_META_LINE_CHARS = 160
MAX_BIO_CHARS = 400
MAX_BOILERPLATE_CHARS = 300
MAX_INTERFACE_CHARS = 80

_TIME = (
    r"(?:\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago|just now|yesterday"
    r"|(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?(?:\s+\d{4})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{2,4})"
    r"(?:,?\s*(?:at|@|-|–)?\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?)"
)
_TIME_LINE = re.compile(rf"^(?:posted|published|updated|on)?\s*{_TIME}\s*(?:\||·|•)?\s*(?:reply|permalink)?$", re.I)
_DATELINE = re.compile(
    rf"^(?:\w+\s*[|•·]\s*)?"
    rf"(?:(?:published|posted|updated|last updated|first published)(?:\s+on)?:?\s+.{{0,80}}|{_TIME})$",
    re.I,
)
_WIRE_OPENER = re.compile(
    r"^[A-Z][A-Z .'-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?\s*(?:\((?:Reuters|AP|AFP|UPI|Xinhua|dpa|Bloomberg)\)\s*)?"
    r"(?:-{1,2}|–|—)\s*(?=\S)"
)
_BYLINE = re.compile(
    r"^(?:(?:written|posted|reporting|words)\s+)?by:?\s+(?P<author>[^|•·\n]{2,100}?)\s*(?:[|•·,]\s*(?P<agency>.+))?$",
    re.I,
)
_AUTHOR_LINE = re.compile(
    rf"^(?:(?:author|byline):\s*|(?:posted|published)(?:\s+on)?\s+{_TIME}\s+by\s+)(?P<author>.{{2,100}})$", re.I
)

_BOILERPLATE = re.compile(
    r"^(?:source article from.*|share(?: this(?: article| story)?)?:?|tweet|email|print|pin it|whatsapp|telegram"
    r"|(?:share on |follow us on )?(?:facebook|twitter|x|linkedin|reddit)(?:\s*[|•·]?\s*"
    r"(?:facebook|twitter|x|linkedin|reddit|email|whatsapp|print))*"
    r"|related(?: articles| posts| stories)?:.*|read more:?.*|see also:.*|more from .{1,60}|recommended(?: for you)?"
    r"|advertisement|sponsored(?: content)?|skip to (?:main )?content|menu|search|home\s*(?:[›»>/|]\s*.+)?"
    r"|(?:subscribe|sign up)(?: to| for| now).*|subscribe|newsletter|support (?:us|our journalism).*"
    r"|(?:©|\(c\)|copyright)\s*.*|all rights reserved.*|privacy policy.*|terms of (?:use|service).*"
    r"|(?:this (?:site|website) uses|we use) cookies.*|accept(?: all)?(?: cookies)?|cookie (?:settings|policy).*"
    r"|tags?:.*|filed under:?.*|categor(?:y|ies):.*|(?:photo|image) (?:credit|by):?.*|loading\.{0,3}"
    r"|our standards:.*|more on this (?:story|topic)|copy link|about sharing"
    r"|previous (?:post|article).*|next (?:post|article).*|« .*|.* »|posted in .*"
    r"|like this:?|like loading\.*)$",
    re.I,
)
_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}\s+(?:lives|is based|resides) in\b"
    r"|(?:he|she|they) can be reached\b|.*\bcan be reached at\b"
    r"|(?:his|her|their) (?:new |latest |most recent )(?:book|novel)\b|(?:his|her|their) book\b.*\b(?:is titled|is out)"
    r"|visit (?:his|her|their) (?:blog|website|site)\b|follow (?:him|her|them) on\b"
    r"|listen to\b.*\b(?:radio|podcast|show|hour|episode|interview)"
    r"|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3} is (?:a|an|the) (?:[\w-]+ ){0,3}"
    r"(?:journalist|writer|author|columnist|contributor|correspondent|reporter|editor)\b"
    r"|about the author\b|(?:additional )?(?:reporting|writing) by\b.*|editing by\b.*)",
    re.I,
)

_COMMENTS_HEADER = re.compile(
    r"^(?:\d+|one|two|three|no)\s+(?:thoughts?|comments?|responses?|replies|reactions?)(?:\s+(?:on|to)\b.*)?"
    r"|(?:\d+\s+)?comments?(?:\s*\(\d+\))?:?|discussion|reader comments|join the (?:discussion|conversation).*"
    r"|sort by (?:best|newest|oldest|top).*|(?:best|newest|oldest)(?:\s*[|•·]\s*(?:best|newest|oldest|top))+"
    r"|what do you think\?|responses to “.*|(?:\d+ )?replies to .*$",
    re.I,
)
_FORM = re.compile(
    r"^(?:leave a (?:reply|comment)(?: cancel reply)?|post a comment|add a comment|cancel reply|post comment"
    r"|submit comment"
    r"|your email address will not be published.*|required fields are marked.*|(?:name|email|website|comment)\s*\*?"
    r"|save my name, email.*|notify me of .*|you must be logged in.*|load more comments|show more comments"
    r"|comments are closed\.?|powered by disqus|subscribe to comments.*)$",
    re.I,
)
_INTERFACE_WORDS = frozenset(
    re.findall(r"\w+", "reply replies share report flag like likes quote permalink edit vote votes point points upvote")
)
_INTERFACE_TOKEN = re.compile(r"[\w']+|[^\w\s]+")
_NAME_JOINERS = frozenset(re.findall(r"\S+", "and & de da di del der van von la le bin al el of the y"))
_SENTENCE_END = (".", "!", "?", '"', "”", "'", "’", ")")
_NUMBERED = re.compile(r"^(?P<number>\d{1,4})[.)]\s+(?=\S)")
_SAYS = re.compile(rf"^(?P<author>.{{1,80}}?)\s+(?:says|said|wrote):\s*(?P<posted>{_TIME})?\s*$", re.I)
_DISQUS = re.compile(
    rf"^(?P<author>[^•·\n]{{1,60}}?)\s*(?:→\s*(?P<to>[^•·\n]{{1,60}}?)\s*)?[•·]\s*(?P<posted>{_TIME})\s*$", re.I
)
_FORUM = re.compile(
    rf"^(?:#?\d+\.?\s+)?(?:posted|submitted|written) by\s+(?P<author>.{{1,60}}?)\s+(?:on|at)\s+(?P<posted>{_TIME})\s*$",
    re.I,
)
_IN_REPLY = re.compile(r"^(?:in reply to|replying to|reply to|re:)\s*@?(?P<to>.{1,60}?)\.?:?$", re.I)


@dataclass(frozen=True)
class Line:
    """One line of the page: its offsets (without the newline), its stripped text and its indentation."""

    start: int
    end: int
    text: str
    indent: int


@dataclass
class _Open:
    """A segment being built: kind, extent and comment metadata."""

    kind: SegmentKind
    start: int
    end: int
    author: str | None = None
    posted: str | None = None
    parent: int | None = None
    indent: int = 0


def lines_of(text: str) -> Iterator[Line]:
    """The non-blank lines of `text`, each with the offsets of its first and last visible character."""
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            indent = len(raw) - len(raw.lstrip())
            yield Line(match.start() + indent, match.start() + indent + len(stripped), stripped, indent)


def segment(text: str) -> tuple[Segment, ...]:
    """Split scraped page text into title, byline, dateline, body, bio, boilerplate and comment segments.

    Example:
        >>> [s.kind.value for s in segment("A Title\\n\\nby Ann Lee\\n\\nThe first paragraph.\\n")]
        ['title', 'byline', 'body']
    """
    lines = list(lines_of(text))
    split = _comments_start(lines)
    article, comments = _article(lines[:split]), _comments(lines[split:])
    for piece in comments:
        if piece.parent is not None:
            piece.parent += len(article)
    return tuple(_merged(article + comments))


def _comments_start(lines: list[Line]) -> int:
    """Index of the first line of the comments: a header, or an opener ("Posted by" only after prose)."""
    seen_prose = False
    for i, line in enumerate(lines):
        if len(line.text) <= MAX_META_LINE_CHARS and _COMMENTS_HEADER.match(line.text):
            return i
        if (opener := _opener(line)) is not None and (seen_prose or not opener.forum):
            return i
        seen_prose = seen_prose or (len(line.text) > 80 and line.text.endswith(_SENTENCE_END))
    return len(lines)


def _article(lines: list[Line]) -> list[_Open]:
    """Classify the lines before the comments (stage 2 of the cascade)."""
    built: list[_Open] = []
    title: str | None = None
    body_started = bio_started = False
    for index, line in enumerate(lines):
        text = line.text
        if _is_boilerplate(text) or (title is not None and _same(text, title)):
            built.append(_Open(SegmentKind.BOILERPLATE, line.start, line.end))
        elif body_started and len(text) <= MAX_BIO_CHARS and (bio_started or _BIO.match(text)):
            bio_started = True
            built.append(_Open(SegmentKind.BIO, line.start, line.end))
        elif not body_started and (byline := _byline(text)) is not None:
            built.append(_Open(SegmentKind.BYLINE, line.start, line.end, author=byline))
        elif not body_started and len(text) <= MAX_META_LINE_CHARS and _DATELINE.match(text):
            built.append(_Open(SegmentKind.DATELINE, line.start, line.end))
        elif not body_started and title is None and _is_title(text, lines[index + 1 :]):
            title = text
            built.append(_Open(SegmentKind.TITLE, line.start, line.end))
        else:
            opener = _WIRE_OPENER.match(text) if not body_started else None
            if opener:
                built.append(_Open(SegmentKind.DATELINE, line.start, line.start + len(opener.group().rstrip())))
                built.append(_Open(SegmentKind.BODY, line.start + opener.end(), line.end))
            else:
                built.append(_Open(SegmentKind.BODY, line.start, line.end))
            body_started = True
    return built


def _comments(lines: list[Line]) -> list[_Open]:
    """Classify the comments region (stage 3): one segment per comment, however it is wrapped.

    Parents index the returned list.
    """
    built: list[_Open] = []
    comments: list[int] = []  # indices into `built` of comment segments, in order
    current: _Open | None = None
    pending: _Open | None = None  # an opener whose comment text has not started yet
    closed = False
    number = 0
    for index, line in enumerate(lines):
        text = line.text
        if closed or _is_boilerplate(text):
            closed = closed or bool(_FORM.match(text))
            built.append(_Open(SegmentKind.BOILERPLATE, line.start, line.end))
            current = pending = None
            continue
        if len(text) <= MAX_META_LINE_CHARS and _COMMENTS_HEADER.match(text) and not comments:
            built.append(_Open(SegmentKind.COMMENTS_HEADER, line.start, line.end))
            continue
        numbered = _NUMBERED.match(text)
        if numbered and (int(numbered.group("number")) == number + 1 or not comments and pending is None):
            number = int(numbered.group("number"))
            pending = _Open(SegmentKind.COMMENT, 0, 0, indent=line.indent)
            text = text[numbered.end() :]
            line = Line(line.start + numbered.end(), line.end, text, line.indent)
        if (opener := _opener(line) or _name_over_time(line, lines[index + 1 : index + 2])) is not None:
            if pending is None or pending.author is not None:
                pending = _Open(SegmentKind.COMMENT, 0, 0, indent=line.indent)
            pending.author, pending.posted = opener.author, opener.posted or pending.posted
            if opener.to:
                pending.parent = _by_author(built, comments, opener.to)
            current = None
            continue
        if pending is not None and pending.posted is None and _is_time(text):
            pending.posted = text
            continue
        if _is_interface(text) or _is_time(text):
            current = None if pending is None else current
            continue
        if pending is not None and (reply := _IN_REPLY.match(text)):
            pending.parent = _by_author(built, comments, reply.group("to"))
            continue
        if current is not None and pending is None:
            current.end = line.end
            continue
        if pending is None:  # text after a comment's interface lines, or a header with no openers
            if comments and built[comments[-1]] is built[-1]:
                built[-1].end = line.end
                current = built[-1]
                continue
            pending = _Open(SegmentKind.COMMENT, 0, 0, indent=line.indent)
        pending.start, pending.end = line.start, line.end
        if pending.parent is None:
            pending.parent = _by_indent(built, comments, pending.indent)
        comments.append(len(built))
        built.append(pending)
        current, pending = pending, None
    return built


class Opener(NamedTuple):
    """What a comment's opening line says: who wrote it, when, and to whom it replies."""

    author: str
    posted: str | None
    to: str | None = None
    forum: bool = False


def _opener(line: Line) -> Opener | None:
    """The opener when `line` opens a comment in one of the known styles ("X says:", "X • time", forum)."""
    text = line.text
    if len(text) > MAX_META_LINE_CHARS:
        return None
    if match := _FORUM.match(text):
        return Opener(match.group("author").strip(), match.group("posted").strip(), forum=True)
    if match := _DISQUS.match(text):
        return Opener(match.group("author").strip(), match.group("posted").strip(), match.group("to"))
    if (match := _SAYS.match(text)) and _looks_like_name(match.group("author")):
        return Opener(match.group("author").strip(), match.group("posted"))
    return None


def _name_over_time(line: Line, following: list[Line]) -> Opener | None:
    """The opener when a short name-like line stands over a line with just a time ("Nora Kemp" / "May 2 at 3 pm")."""
    if following and len(line.text.split()) <= 5 and _looks_like_name(line.text) and _is_time(following[0].text):
        return Opener(line.text, None)
    return None


def _by_indent(built: list[_Open], comments: list[int], indent: int) -> int | None:
    """Index in `built` of the nearest earlier comment whose opener was less indented, if any."""
    for index in reversed(comments):
        if built[index].indent < indent:
            return index
    return None


def _by_author(built: list[_Open], comments: list[int], author: str) -> int | None:
    """Index in `built` of the latest comment by `author`, if any."""
    for index in reversed(comments):
        if (built[index].author or "").lower() == author.strip().lower():
            return index
    return None


def _merged(built: list[_Open]) -> Iterator[Segment]:
    """Join neighbouring body, bio and boilerplate pieces and renumber comment parents accordingly."""
    kept: list[_Open] = []
    new_index: dict[int, int] = {}
    for index, piece in enumerate(built):
        mergeable = piece.kind in (SegmentKind.BODY, SegmentKind.BIO, SegmentKind.BOILERPLATE)
        if kept and mergeable and kept[-1].kind == piece.kind:
            kept[-1].end = piece.end
        else:
            kept.append(piece)
        new_index[index] = len(kept) - 1
    for piece in kept:
        yield Segment(
            kind=piece.kind,
            start=piece.start,
            end=piece.end,
            author=piece.author,
            posted=piece.posted,
            parent=None if piece.parent is None else new_index[piece.parent],
        )


def _byline(text: str) -> str | None:
    """The author named by a byline line ("by X", "By X and Y | Reuters", "Posted by X on …"), or None."""
    if len(text) > MAX_META_LINE_CHARS:
        return None
    if forum := _FORUM.match(text):  # forum user names need not look like names
        return forum.group("author").strip()
    match = _BYLINE.match(text) or _AUTHOR_LINE.match(text)
    if match is None or not _looks_like_name(match.group("author")):
        return None
    return match.group("author").strip()


def _looks_like_name(words: str) -> bool:
    """Whether `words` could be one or a few people's names: short, capitalised but for connectors."""
    tokens = words.split()
    return 0 < len(tokens) <= 10 and all(t[0].isupper() or t[0].isdigit() or t.lower() in _NAME_JOINERS for t in tokens)


def _is_title(text: str, following: list[Line]) -> bool:
    """A title is a short first line that is no sentence, followed by more of the page."""
    return bool(following) and len(text) <= MAX_TITLE_CHARS and not text.endswith((".", ",", ";", ":", "-"))


def _same(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _is_interface(text: str) -> bool:
    """Whether a line is only comment-widget words, counts and symbols ("5 ▲ ▼ • Reply • Share ›")."""
    if len(text) > MAX_INTERFACE_CHARS:
        return False
    tokens = _INTERFACE_TOKEN.findall(text.lower())
    return any(t in _INTERFACE_WORDS for t in tokens) and all(
        t in _INTERFACE_WORDS or t.isdigit() or not t[0].isalnum() or t in "v^" for t in tokens
    )


def _is_boilerplate(text: str) -> bool:
    """Whether a line is page furniture: navigation, sharing, promotion, legal notices or a comment form."""
    return len(text) <= MAX_BOILERPLATE_CHARS and bool(_BOILERPLATE.match(text) or _FORM.match(text))


def _is_time(text: str) -> bool:
    """Whether a line is only a time as pages write it ("March 3 at 9:14 am", "3 hours ago")."""
    return len(text) <= MAX_META_LINE_CHARS and bool(_TIME_LINE.match(text))
