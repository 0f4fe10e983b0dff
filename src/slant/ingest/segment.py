"""Segmentation of scraped page text: tell the article apart from everything around it.

`segment(text)` is pure, rule-based and linear in the text. It works on lines (scraped text hard-wraps
sentences, even across blank lines) and runs a cascade where each stage sees only what the earlier ones
left:

1. **Split** the page at the comments: the first real comments header after the article's prose ("2 thoughts
   on …", "14 Comments", "Sort by Best") with comment structure after it (so a "80 Comments" link under
   the headline opens nothing), or, on pages without one, the first comment opener that carries a time
   ("X says:" over a time line, "X • 3 hours ago"; "Posted by X on …" and "X May 30, 2019 at 1:06 PM",
   even glued as "XMay 30, …", only after prose and over the comment's text). Quoted speech ("X wrote:"),
   bylines, tweet signatures, dated headline lists and words that merely start a line never open them.
   Lines longer than `LONG_LINE_CHARS` (texts scraped without line breaks) are first cut into sentences.
2. **Article region**: the body is the main run of prose, the highest-scoring stretch of lines (prose
   characters less a cost per furniture line, short non-sentence and date line between them), so galleries,
   teaser lists and navigation lose to the article; the title (the first headline-like line of the few
   before it), bylines and datelines are found before it; boilerplate lines (sharing, navigation, "Source:"
   lines, polls, licences, promos, newsletter calls, disclosures, embeds, credited captions, short lines
   recurring on the page) are furniture anywhere; after the body come the author bio and more furniture. Text
   an extractor already cut to the article (`extracted=True`) keeps all its lines as body.
3. **Comments region**, line by line: headers, comment openers (numbered "1.", "X says:", Disqus-like
   "Name • time", forum "Posted by X on …", "Name <time>", a name over a time line, or, on pages whose
   comments carry no times, a name line alone over the text) whose author and time go into the comment's
   metadata and whose own lines are left out of every segment, interface lines ("Reply", "Share ›", vote
   counts, "Liked by 5 people") that are dropped, and the reply form ("Leave a Reply", "Name *", …) that
   closes the comments as boilerplate until the next timed opener. Every other line belongs to the open
   comment, however it is wrapped, so a comment is ONE segment from its first to its last word. A reply's
   `parent` comes from indentation (a more indented opener replies to the nearest less indented one) or
   from "In reply to X".

Segments never overlap and lie within the text; the blank lines between them belong to none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from slant.ingest.sentences import split_sentences
from slant.model import Segment, SegmentKind

MAX_TITLE_CHARS = 200
MAX_META_LINE_CHARS = 160
MAX_BIO_CHARS = 400
MAX_BOILERPLATE_CHARS = 300
MAX_INTERFACE_CHARS = 80
LONG_LINE_CHARS = 400
PROSE_WORDS = 10
PROSE_CHARS = 150
MIN_PROSE_CHARS = 80
SENTENCE_WORDS = 6
COMMENT_LOOKAHEAD = 4
COMMENT_SCAN = 16
MAX_NAME_LINE_CHARS = 40
MAX_NAME_LINE_WORDS = 4
MIN_ARTICLE_CHARS = 1500
GAP_COST = 60
DATE_COST = 200
MAX_REPEATED_CHARS = 100
MIN_REPEATS = 3
MIN_LIST_ITEM_CHARS = 50
MAX_HEAD_LINES = 8
MIN_HEADLINE_WORDS = 4
MAX_HANDLE_WORDS = 8  # "Jess Kitching, The Good In Every Day"
MAX_DISPLAY_NAME_WORDS = 4

_TIME = (
    r"(?:\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago|just now|yesterday"
    r"|(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?"
    r"|\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?(?:\s+\d{4})?"
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
    r"^(?:(?:written|posted|reporting|words|story)\s+)?(?:by|por):?\s+(?P<author>[^|•·\n]{2,100}?)\s*(?:(?:[|•·,]|\s[-–—])\s*(?P<agency>.+))?$",
    re.I,
)
_AUTHOR_LINE = re.compile(
    rf"^(?:(?:author|byline):\s*|(?:posted|published)(?:\s+on)?\s+{_TIME}\s+by\s+)(?P<author>.{{2,100}})$", re.I
)

_BOILERPLATE = re.compile(
    r"^(?:source article from.*|share(?: this(?: article| story)?)?:?|tweet|email|print|pin it|whatsapp|telegram"
    r"|(?:share on |follow us on )?(?:facebook|twitter|x|linkedin|reddit)(?:\s*[|•·]?\s*"
    r"(?:facebook|twitter|x|linkedin|reddit|email|whatsapp|print))*"
    r"|related(?: articles| posts| stories| coverage| content| reading)?(?::.*)?|slideshow\W*\d+ (?:images|photos)\W*"
    r"|.{0,100}\b(?:sign(?:ing)? up (?:to|for) (?:our|the) [\w ]{0,30}newsletter"
    r"|download (?:the|our) [\w ]{0,30}apps?)\b.*"
    r"|click to enlarge|join our newsletter|disclaimer:.*|we welcome (?:reader )?comments.*"
    r"|.{0,60}\bis not responsible for (?:the )?(?:opinions|content|views).*"
    r"|this (?:document|article|content) is subject to copyright.*"
    r"|(?:if you (?:click|buy|purchase)\b.*|.*\bwe (?:may )?earn (?:a )?(?:small )?(?:commission|fee)\b.*)"
    r"|read more:?.*|see also:.*|more from .{1,60}|recommended(?: for you)?"
    r"|advertisement:?|sponsored(?: content)?|follow us:.*|(?:image|photo|picture) (?:copyright|caption|source)\b.*"
    r"|(?:getty(?: images)?|shutterstock|reuters|ap|afp|pa|epa|istock(?:photo)?)(?:\s*/\s*[\w ]{1,40})?"
    r"|.{0,200}(?:\bcourtesy(?: of)? [^.]{1,60}|\((?:photo|image|credit|illustration)s?:[^)]{1,80}\)"
    r"|\b(?:photo|image|credit|illustration)s?:\s*[^.]{1,60}|/\s*(?:getty images|reuters|ap|afp|shutterstock))\.?"
    r"|skip to (?:main )?content|menu|search|home\s*(?:[›»>/|]\s*.+)?"
    r"|(?:subscribe|sign up)(?: to| for| now).*|subscribe|newsletter|support (?:us|our journalism).*"
    r"|(?:©|\(c\)|copyright)\s*.*|all rights reserved.*|privacy policy.*|terms of (?:use|service).*"
    r"|(?:this (?:site|website) uses|we use) cookies.*|accept(?: all)?(?: cookies)?|cookie (?:settings|policy).*"
    r"|tags?:.*|filed under:?.*|categor(?:y|ies):.*|(?:photo|image) (?:credit|by):?.*|loading\.{0,3}"
    r"|our standards:.*|more on this (?:story|topic)|copy link|about sharing"
    r"|previous (?:post|article).*|(?:←\s*)?(?:previous|older|newer|next) comments\s*→?|next (?:post|article).*"
    r"|« .*|.* »|posted in .*"
    r"|like this:?|like loading\.*|join the (?:discussion|conversation).{0,40}|license:? dmca|dmca"
    r"|source:\s*(?:https?://|www\.)\S*|(?:\w+\s+){0,3}source:?\s*\S+\.(?:com|org|net|co\.uk)\S*"
    r"|.*% of readers think this story is .*|add your two cents\.?|region:.{0,60}"
    r"|(?:this (?:piece|article|story) (?:was|is) (?:reprinted|republished|reposted) (?:by|from|with) .*)"
    r"|headline:.{0,200}"
    r"|(?:get|receive|sign up for|subscribe to)\b.{0,60}\b(?:newsletters?|by email|in your inbox)\b.*"
    r"|.{0,60}\bplease (?:subscribe|log in|sign in)\b.*|we want to hear what you think\b.*"
    r"|(?:advertising |affiliate )?disclosure:.*|.{0,80}\bcontains? (?:affiliate links|references to products)\b.*"
    r"|.{0,40}\bcomments are (?:moderated|reviewed)\b.*|we ask that comments\b.*"
    r"|view this post on instagram.*|media playback is unsupported.*|media caption.*|explore further\b.*|citation:.*"
    r"|most (?:read|viewed|shared)\b.*|tagged:.*|article sources\b.*|footnotes"
    r"|.{0,200}\bno part (?:of this [\w ]{1,30})?may be (?:reproduced|republished)\b.*"
    r"|.{0,200}\bwritten permission (?:must be obtained|is required)\b.*"
    r"|.{0,200}\b(?:as an amazon associate|earn from qualifying purchases|at no (?:additional|extra) cost to you)\b.*"
    r"|(?:(?:facebook|twitter|google\+?|reddit|whatsapp|pinterest|e-?mail|linkedin|tumblr|telegram|print|flipboard"
    r"|messenger|share)\W*){3,}"
    r"|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?\s*)?(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})"
    r"|.{0,250}\((?-i:[A-Z][\w.'’ -]{1,40}/[A-Z][\w.'’ -]{1,40})\))$",
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
    r"(?:this (?:post|article|story) has )?(?:\d+|one|two|three|no)\s+"
    r"(?:thoughts?|comments?|responses?|replies|reactions?)(?:\s+(?:on|to)\b.*)?"
    r"(?:[.:]\s*(?:leave new|add yours|leave a comment)?)?"
    r"|\{\s*\d+\s+comments?\W.{0,40}\}|comments?(?:\s*\(\d+\))?:?|(?:reader|user) comments(?:\s*\(\d+\))?:?"
    r"|sort by (?:best|newest|oldest|top).*|(?:best|newest|oldest)(?:\s*[|•·]\s*(?:best|newest|oldest|top))+"
    r"|discussion about this (?:post|article)|responses to “.*|(?:\d+ )?replies to .*",
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
    re.findall(
        r"\w+",
        "reply replies replydelete delete share report flag like likes liked likeliked by people person quote permalink"
        " edit vote votes point points upvote",
    )
)
_INTERFACE_TOKEN = re.compile(r"[\w']+|[^\w\s]+")
_NAME_JOINERS = frozenset(re.findall(r"\S+", "and & de da di del der van von la le bin al el of the y"))
_SENTENCE_END = (".", "!", "?", '"', "”", "'", "’", ")")
_NUMBERED = re.compile(r"^(?P<number>\d{1,4})[.)]\s+(?=\S)")
_SAYS = re.compile(rf"^(?P<author>.{{1,80}}?)\s+(?P<verb>says|said|wrote):\s*(?P<posted>{_TIME})?\s*$", re.I)
_DISQUS = re.compile(
    rf"^(?P<author>[^•·\n]{{1,60}}?)\s*(?:→\s*(?P<to>[^•·\n]{{1,60}}?)\s*)?[•·]\s*(?P<posted>{_TIME})\s*$", re.I
)
_FORUM = re.compile(
    rf"^(?:#?\d+\.?\s+)?(?:posted|submitted) by\s+(?P<author>.{{1,60}}?)\s+(?:on|at)\s+(?P<posted>{_TIME})\s*$",
    re.I,
)
_NAME_TIME = re.compile(rf"^(?P<author>\S.{{0,59}}?)(?:\s+on)?\s*(?P<posted>{_TIME})$", re.I)
_NOT_AUTHOR = re.compile(
    r"^(?:(?:last\s+)?(?:updated|posted|published|modified|edited|created)|on|by|date|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\W*$",
    re.I,
)
_NOT_HANDLE = re.compile(r"^\s*(?:[—–-]|(?:(?:written|posted|story)\s+)?by\b)", re.I)  # a byline, a tweet's signature
_IN_REPLY = re.compile(r"^(?:in reply to|replying to|reply to|re:)\s*@?(?P<to>.{1,60}?)\.?:?$", re.I)


@dataclass(frozen=True)
class Line:
    """One line of the page: its offsets (without the newline), its stripped text and its indentation.

    `new_paragraph` tells whether a blank line (or, inside a long line, a run of spaces) comes before it.
    """

    start: int
    end: int
    text: str
    indent: int
    new_paragraph: bool = True


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
    """The non-blank lines of `text`, each with the offsets of its first and last visible character.

    A line longer than `LONG_LINE_CHARS` (texts scraped without line breaks) is cut into its sentences
    and at runs of spaces, so that each piece is classified on its own.
    """
    previous_end = 0
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        indent = len(raw) - len(raw.lstrip())
        start = match.start() + indent
        new_paragraph = previous_end == 0 or text.count("\n", previous_end, start) > 1
        previous_end = start + len(stripped)
        if len(stripped) <= LONG_LINE_CHARS:
            yield Line(start, previous_end, stripped, indent, new_paragraph)
            continue
        for index, (begin, end) in enumerate(_pieces(text, start, previous_end)):
            between = text[max(start, begin - 2) : begin]
            yield Line(begin, end, text[begin:end], 0, (new_paragraph if index == 0 else between == "  "))


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The sentences of `text[start:end]`, also cut at runs of two or more spaces."""
    for begin, stop in split_sentences(text, start, end):
        for match in re.finditer(r"\S(?:.*?\S)?(?=\s{2,}|$)", text[begin:stop]):
            yield begin + match.start(), begin + match.end()


def segment(text: str, *, extracted: bool = False) -> tuple[Segment, ...]:
    """Split scraped page text into title, byline, dateline, body, bio, boilerplate and comment segments.

    `extracted` says the text is an extractor's main text (from HTML): all of it after the head is body,
    bar the lines the rules name, instead of only the main run of prose.

    Example:
        >>> [s.kind.value for s in segment("A Title\\n\\nby Ann Lee\\n\\nThe first paragraph.\\n")]
        ['title', 'byline', 'body']
    """
    lines = list(lines_of(text))
    split = _comments_start(lines)
    article, comments = _article(lines[:split], extracted), _comments(lines[split:])
    for piece in comments:
        if piece.parent is not None:
            piece.parent += len(article)
    return tuple(_merged(article + comments))


def _comments_start(lines: list[Line]) -> int:
    """Index of the first line of the comments.

    That is a comments header after some prose with comment structure after it (a count link under the
    headline opens nothing), or, on pages without one, the first opener that carries a time ("X says:" over
    a time line, "X • 3 hours ago"; "Posted by X on <date>" and "X May 3, 2019" only after prose, and only
    over the comment's text). A word at the start of an ordinary line or quoted speech ("The minister
    wrote:") never opens them.
    """
    seen_prose = seen_sentence = False
    prose_chars = 0
    prose = set(_prose_lines(lines))
    for i, line in enumerate(lines):
        header = (seen_prose or seen_sentence) and _is_comments_header(line.text)
        if header and _comment_follows(lines, i, names=prose_chars >= MIN_ARTICLE_CHARS):
            return i
        opener = _timed_opener(lines, i)
        if (
            opener is not None
            and not opener.quoted
            and (not opener.after_prose or seen_prose and _text_follows(lines, i))
        ):
            return i
        if i in prose:
            seen_prose, prose_chars = True, prose_chars + len(line.text)
        sentence = len(line.text.split()) >= SENTENCE_WORDS and line.text.endswith(_SENTENCE_END)
        seen_sentence = seen_sentence or sentence
    return len(lines)


def _timed_opener(lines: list[Line], index: int) -> Opener | None:
    """The opener at `index` when it carries a time, on its line or on the next ("X says:" / "May 3 at 9 am")."""
    opener = _opener(lines[index])
    if opener is None or opener.posted:
        return opener if opener is not None and opener.posted else None
    if index + 1 < len(lines) and _is_time(lines[index + 1].text):
        return opener._replace(posted=lines[index + 1].text)
    return None


def _text_follows(lines: list[Line], index: int) -> bool:
    """Whether comment text comes after an opener (and its time line), not another dated line as in a list of
    headlines."""
    if index > 0 and _opener(lines[index - 1]) is not None:
        return False
    following = lines[index + 1 : index + 3]
    if following and _is_time(following[0].text):
        following = following[1:]
    return bool(following) and _opener(following[0]) is None and not _is_time(following[0].text)


def _comment_follows(lines: list[Line], index: int, names: bool) -> bool:
    """Whether comment structure follows a header: an opener, a numbered comment, a name over a time, or
    (where `names` allows) two name lines over text, within the next few paragraphs that are not furniture
    or a reply form."""
    following = [
        i
        for i in range(index + 1, min(len(lines), index + 1 + COMMENT_SCAN))
        if lines[i].new_paragraph and not _is_boilerplate(lines[i].text)
    ][:COMMENT_LOOKAHEAD]
    found = 0
    for i in following:
        line, after = lines[i], lines[i + 1 : i + 2]
        if _opener(line) is not None or _NUMBERED.match(line.text) or _name_over_time(line, after):
            return True
        found += _is_name_line(line, after)
    return names and found >= 2


def _article(lines: list[Line], extracted: bool) -> list[_Open]:
    """Classify the lines before the comments (stage 2 of the cascade).

    The body is the longest run of prose paragraphs (short lines between them, such as subheadings, stay
    in it); the title, bylines and datelines are looked for just before it, and the lines around it are
    page furniture or the author's bio. A page without prose is classified line by line.
    """
    furniture = _wrapped_furniture(lines)
    if not extracted:  # an extractor has already left out recurring furniture
        furniture |= _repeated(lines)
    first, last = (_first_body_line(lines), len(lines) - 1) if extracted else _main_run(lines, furniture)
    built: list[_Open] = []
    title = _title_index(lines, first)
    bio_started = False
    for index, line in enumerate(lines):
        text = line.text
        if index == title:
            built.append(_Open(SegmentKind.TITLE, line.start, line.end))
        elif _is_boilerplate(text) or index in furniture or (title is not None and _same(text, lines[title].text)):
            built.append(_Open(SegmentKind.BOILERPLATE, line.start, line.end))
        elif (byline := _byline(text) or _name_over_date(lines, index, first)) is not None and (
            index < first or not _is_prose(text)
        ):
            built.append(_Open(SegmentKind.BYLINE, line.start, line.end, author=byline))
        elif (index < first or not extracted) and len(text) <= MAX_META_LINE_CHARS and _DATELINE.match(text):
            built.append(_Open(SegmentKind.DATELINE, line.start, line.end))
        elif index < first and (title is not None and index < title or not _is_prose(text)):
            built.append(_Open(SegmentKind.BOILERPLATE, line.start, line.end))
        elif index > first and len(text) <= MAX_BIO_CHARS and (bio_started or _BIO.match(text)):
            bio_started = True
            built.append(_Open(SegmentKind.BIO, line.start, line.end))
        elif index > last:
            built.append(_Open(SegmentKind.BOILERPLATE, line.start, line.end))
        elif index == first and (opener := _WIRE_OPENER.match(text)):
            built.append(_Open(SegmentKind.DATELINE, line.start, line.start + len(opener.group().rstrip())))
            built.append(_Open(SegmentKind.BODY, line.start + opener.end(), line.end))
        else:
            built.append(_Open(SegmentKind.BODY, line.start, line.end))
    return built


def _repeated(lines: list[Line]) -> set[int]:
    """Indices of short lines that recur on the page (gallery labels, "Read more" teasers): furniture."""
    counts: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if len(line.text) <= MAX_REPEATED_CHARS and line.new_paragraph:
            counts.setdefault(_normal(line.text), []).append(index)
    return {i for key, found in counts.items() if key and len(found) >= MIN_REPEATS for i in found}


def _wrapped_furniture(lines: list[Line]) -> set[int]:
    """Indices of the lines of hard-wrapped paragraphs that read as furniture only as a whole ("This post contains
    references to" / "products from our advertisers.")."""
    found: set[int] = set()
    for begin, end in _paragraphs(lines):
        if end - begin > 1 and _is_boilerplate(" ".join(line.text for line in lines[begin:end])):
            found.update(range(begin, end))
    return found


def _main_run(lines: list[Line], furniture: set[int]) -> tuple[int, int]:
    """First and last line index of the main run of prose, or the whole page when it has no prose.

    The main run is the stretch of lines with the highest score (a maximum subarray, found in one pass):
    each prose line adds its characters, each furniture line (boilerplate, or in `furniture`) and each short
    paragraph that is no sentence (once, however it is wrapped) costs `GAP_COST`, and each date line `DATE_COST`
    (dates among paragraphs mark teasers or a gallery, not an article), so a gallery whose captions alternate
    with dates and credits scores below the article. The run then takes in the short sentences that end it
    ("Thanks for reading.").
    """
    prose = set(_prose_lines(lines))
    paragraph_of = {index: (begin, end) for begin, end in _paragraphs(lines) for index in range(begin, end)}
    best: tuple[int, int, int] | None = None  # (score, first, last)
    run_first, score = -1, 0
    for index, line in enumerate(lines):
        if index not in prose:
            clutter = _is_boilerplate(line.text) or index in furniture
            begin, end = paragraph_of[index]
            paragraph = " ".join(lines[i].text for i in range(begin, end))
            short = len(paragraph) < MIN_LIST_ITEM_CHARS and not _is_closing_sentence(paragraph)
            if len(line.text) <= MAX_META_LINE_CHARS and _DATELINE.match(line.text):
                score -= DATE_COST
            elif clutter or short and index == begin:  # a short paragraph costs once, however it is wrapped
                score -= GAP_COST
            if score <= 0:
                run_first, score = -1, 0
            continue
        if run_first < 0:
            run_first, score = index, 0
        score += len(line.text)
        if best is None or score > best[0]:
            best = (score, run_first, index)
    if best is None:
        return _first_body_line(lines), len(lines) - 1
    _, first, last = best
    while last + 1 < len(lines) and _is_closing_sentence(lines[last + 1].text):
        last += 1
    return first, last


def _paragraphs(lines: list[Line]) -> Iterator[tuple[int, int]]:
    """The paragraphs as `(first, end)` line indices: lines not parted by a blank line, or whose sentence goes on."""
    begin = 0
    for index in range(1, len(lines) + 1):
        if (
            index == len(lines)
            or lines[index].new_paragraph
            and not _continues(lines[index - 1].text, lines[index].text)
        ):
            yield begin, index
            begin = index


def _prose_lines(lines: list[Line]) -> list[int]:
    """Indices of the lines whose paragraph reads as prose."""
    prose: list[int] = []
    for begin, end in _paragraphs(lines):
        paragraph = [line.text for line in lines[begin:end]]
        joined = " ".join(paragraph)
        if _is_prose(joined) and not _is_boilerplate(joined) and not all(_is_boilerplate(text) for text in paragraph):
            prose.extend(i for i in range(begin, end) if not _is_boilerplate(lines[i].text))
    return prose


def _continues(before: str, after: str) -> bool:
    """Whether `after` goes on with the sentence `before` left open, though a blank line parts them (pages
    hard-wrapped with a break per line)."""
    return after[:1].islower() and not before.endswith((*_SENTENCE_END, ":"))


def _name_over_date(lines: list[Line], index: int, first: int) -> str | None:
    """In the head of the page, a bare author name over a date line ("Oren Falk" / "Mar 3, 2024")."""
    text = lines[index].text
    if index + 1 >= first or len(text.split()) > 4 or not _looks_like_name(text):
        return None
    return text if _DATELINE.match(lines[index + 1].text) else None


def _first_body_line(lines: list[Line]) -> int:
    """On a page without prose, the first line that is no title, byline, dateline or furniture."""
    for index, line in enumerate(lines):
        text = line.text
        meta = _byline(text) is not None or (len(text) <= MAX_META_LINE_CHARS and bool(_DATELINE.match(text)))
        if not (meta or _is_boilerplate(text) or (index == 0 and _is_title(text, len(lines) > 1))):
            return index
    return len(lines)


def _title_index(lines: list[Line], first: int) -> int | None:
    """The title: the nearest headline-like line before the body, over bylines, datelines and a deck."""
    candidates = [
        index
        for index in range(max(0, first - MAX_HEAD_LINES), first)
        if not (_is_boilerplate(lines[index].text) or _byline(lines[index].text) is not None)
        and not _DATELINE.match(lines[index].text)
        and _is_title(lines[index].text, True)
    ]
    headline = [i for i in candidates if len(lines[i].text.split()) >= MIN_HEADLINE_WORDS]
    if headline or candidates:
        return headline[0] if headline else candidates[-1]
    if first == 0 and lines and _is_title(lines[0].text, len(lines) > 1) and not _is_prose(lines[0].text):
        return 0
    return None


def _comments(lines: list[Line]) -> list[_Open]:
    """Classify the comments region (stage 3): one segment per comment, however it is wrapped.

    Parents index the returned list.
    """
    built: list[_Open] = []
    comments: list[int] = []  # indices into `built` of comment segments, in order
    threads = _Threads()
    current: _Open | None = None
    pending: _Open | None = None  # an opener whose comment text has not started yet
    closed = False
    number = 0
    named = not any(_timed_opener(lines, i) for i in range(len(lines)))  # no timed openers: name lines open
    for index, line in enumerate(lines):
        text = line.text
        closed = closed and _timed_opener(lines, index) is None  # comments after the reply form
        if closed or _is_boilerplate(text):
            closed = closed or bool(_FORM.match(text))
            built.append(_Open(SegmentKind.BOILERPLATE, line.start, line.end))
            current = pending = None
            continue
        if _is_comments_header(text) and not comments:
            built.append(_Open(SegmentKind.COMMENTS_HEADER, line.start, line.end))
            continue
        numbered = _NUMBERED.match(text)
        if numbered and (int(numbered.group("number")) == number + 1 or not comments and pending is None):
            number = int(numbered.group("number"))
            pending = _Open(SegmentKind.COMMENT, 0, 0, indent=line.indent)
            text = text[numbered.end() :]
            line = Line(line.start + numbered.end(), line.end, text, line.indent)
        following = lines[index + 1 : index + 2]
        if opener := _opener(line) or _name_over_time(line, following) or _name_line(line, following, named):
            if pending is None or pending.author is not None:
                pending = _Open(SegmentKind.COMMENT, 0, 0, indent=line.indent)
            pending.author, pending.posted = opener.author, opener.posted or pending.posted
            if opener.to:
                pending.parent = threads.by_author(opener.to)
            current = None
            continue
        if pending is not None and pending.posted is None and _is_time(text):
            pending.posted = text
            continue
        if _is_interface(text) or _is_time(text):
            current = None if pending is None else current
            continue
        if pending is not None and (reply := _IN_REPLY.match(text)):
            pending.parent = threads.by_author(reply.group("to"))
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
            pending.parent = threads.by_indent(pending.indent)
        threads.add(len(built), pending)
        comments.append(len(built))
        built.append(pending)
        current, pending = pending, None
    return built


class Opener(NamedTuple):
    """What a comment's opening line says: who wrote it, when, and to whom it replies.

    `after_prose` openers (forum "Posted by X on …", "Name May 3, 2019 at 9:14 pm") also read as bylines
    or dated headlines, so they open comments only after the article's prose; `quoted` ones ("X wrote:")
    are quoted speech unless the comments are already open.
    """

    author: str
    posted: str | None
    to: str | None = None
    after_prose: bool = False
    quoted: bool = False


def _opener(line: Line) -> Opener | None:
    """The opener when `line` opens a comment in one of the known styles ("X says:", "X • time", forum, "X <time>")."""
    text = line.text
    if len(text) > MAX_META_LINE_CHARS:
        return None
    if match := _FORUM.match(text):
        return Opener(match.group("author").strip(), match.group("posted").strip(), after_prose=True)
    if (match := _DISQUS.match(text)) and _is_handle(match.group("author"), MAX_DISPLAY_NAME_WORDS):
        return Opener(match.group("author").strip(), match.group("posted").strip(), match.group("to"))
    if (match := _SAYS.match(text)) and _looks_like_name(match.group("author")):
        quoted = match.group("verb").lower() != "says"
        return Opener(match.group("author").strip(), match.group("posted"), quoted=quoted)
    if line.new_paragraph and (match := _NAME_TIME.match(text)) and _is_handle(match.group("author")):
        return Opener(match.group("author").strip(), match.group("posted").strip(), after_prose=True)
    return None


def _is_handle(words: str, most: int = MAX_HANDLE_WORDS) -> bool:
    """Whether `words` can be a commenter's name or user name: at most `most` words, no sentence, no date word."""
    return (
        len(words.split()) <= most
        and any(ch.isalpha() for ch in words)
        and not words.rstrip().endswith(("!", "?", ":", ";", ",", "-", "–", "—"))
        and not any(ch in words for ch in "•·|")
        and not _NOT_AUTHOR.match(words.strip())
        and not _NOT_HANDLE.match(words)
    )


def _name_over_time(line: Line, following: list[Line]) -> Opener | None:
    """The opener when a short name-like line stands over a line with just a time ("Nora Kemp" / "May 2 at 3 pm")."""
    if following and len(line.text.split()) <= 5 and _looks_like_name(line.text) and _is_time(following[0].text):
        return Opener(line.text, None)
    return None


def _name_line(line: Line, following: list[Line], named: bool) -> Opener | None:
    """The opener when comments are told apart by name lines alone (`named`) and `line` is one."""
    return Opener(line.text, None) if named and _is_name_line(line, following) else None


def _is_name_line(line: Line, following: list[Line]) -> bool:
    """Whether a line can be a commenter's name alone over the comment's text ("sumathi s" / "Good post, …")."""
    text = line.text
    return (
        bool(following)
        and line.new_paragraph
        and _short_name(text)
        and not _short_name(following[0].text)
        and not (_is_interface(text) or _is_time(text) or _is_boilerplate(text) or _is_comments_header(text))
    )


def _short_name(text: str) -> bool:
    return (
        len(text) <= MAX_NAME_LINE_CHARS
        and len(text.split()) <= MAX_NAME_LINE_WORDS
        and not text.endswith((*_SENTENCE_END, ":", ",", ";"))
    )


class _Threads:
    """Where a new comment hangs: the latest comment by an author, or the nearest less indented one.

    Both answers take constant time (amortised), so that threads of any length stay linear.
    """

    def __init__(self) -> None:
        self._by_author: dict[str, int] = {}
        self._stack: list[tuple[int, int]] = []  # (indent, index), indents strictly increasing

    def add(self, index: int, comment: _Open) -> None:
        if comment.author:
            self._by_author[comment.author.lower()] = index
        while self._stack and self._stack[-1][0] >= comment.indent:
            self._stack.pop()
        self._stack.append((comment.indent, index))

    def by_indent(self, indent: int) -> int | None:
        """Index in `built` of the nearest earlier comment whose opener was less indented, if any."""
        for earlier_indent, index in reversed(self._stack):
            if earlier_indent < indent:
                return index
        return None

    def by_author(self, author: str) -> int | None:
        """Index in `built` of the latest comment by `author`, if any."""
        return self._by_author.get(author.strip().lower())


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


def _is_title(text: str, more_follows: bool) -> bool:
    """A title is a short line that is no sentence, followed by more of the page."""
    return more_follows and len(text) <= MAX_TITLE_CHARS and not text.endswith((".", ",", ";", ":", "-"))


def _is_prose(text: str) -> bool:
    """Whether a paragraph reads as running text: enough words, ending like a sentence or long."""
    long_enough = len(text.split()) >= PROSE_WORDS and len(text) >= MIN_PROSE_CHARS
    return long_enough and (text.endswith(_SENTENCE_END) or len(text) >= PROSE_CHARS)


def _is_closing_sentence(text: str) -> bool:
    """A short last paragraph of the body: a few words ending in sentence punctuation."""
    return len(text.split()) >= 3 and text.endswith(_SENTENCE_END) and not _is_boilerplate(text)


def _is_comments_header(text: str) -> bool:
    """Whether a line is a comments section's header ("14 Comments", "2 thoughts on “…”", "Comments (3)")."""
    return len(text) <= MAX_META_LINE_CHARS and bool(_COMMENTS_HEADER.fullmatch(text))


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
