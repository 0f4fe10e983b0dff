"""The shared parse: every analyzer that needs spaCy reads this one parse of each sentence.

The pipeline splits the title, body and comment segments of a batch into sentences (rejoining
hard-wrapped lines) and parses them with batched `nlp.pipe` passes, on text with line breaks made spaces
and headlines sentence-cased (offsets kept), so a sentence's token `t` sits at `start + t.idx`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from spacy.tokens import Doc, Span

from slant.ingest.sentences import split_sentences
from slant.model import Document, Segment, SegmentKind
from slant.nlp import english

#: Segments whose sentences are parsed: the article and its comments.
PARSED_KINDS = (SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.COMMENT)

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_WHITESPACE = re.compile(r"\s")
_MID_SENTENCE_CAPITAL = re.compile(r"\b[a-z][a-z'’-]*,? ([A-Z][\w'’-]*)")


class ParsedSentence(NamedTuple):
    """One sentence of a segment and its spaCy parse; `start + token.idx` is the offset in the document."""

    segment: Segment
    start: int
    doc: Doc


def by_segment(sentences: Sequence[ParsedSentence]) -> dict[int, list[ParsedSentence]]:
    """One document's parsed sentences grouped by the start of the segment they belong to, in text order."""
    grouped: dict[int, list[ParsedSentence]] = {}
    for sentence in sentences:
        grouped.setdefault(sentence.segment.start, []).append(sentence)
    return grouped


class Sentence(NamedTuple):
    """A sentence of a title, body or comment segment: its segment, its span, and the text spaCy parses for it."""

    segment: Segment
    start: int
    end: int
    text: str


def sentences_to_parse(documents: Sequence[Document], names: Mapping[str, str]) -> list[list[Sentence]]:
    """Each document's title, body and comment sentences, in text order.

    `names` (lower-case aliases of known actors) stay capitalized when a headline is sentence-cased.
    """
    spans = [
        [
            (segment, start, end)
            for segment in document.segments_of(*PARSED_KINDS)
            for start, end in split_sentences(document.text, segment.start, segment.end)
        ]
        for document in documents
    ]
    return [
        [
            Sentence(segment, start, end, text)
            for (segment, start, end), text in zip(
                own, _parsed_texts(document.text, [(start, end) for _, start, end in own], names.keys()), strict=True
            )
        ]
        for document, own in zip(documents, spans, strict=True)
    ]


def parse_documents(documents: Sequence[Document], names: Mapping[str, str]) -> list[list[ParsedSentence]]:
    """The parsed sentences of each document's title, body and comment segments, in text order (see
    `sentences_to_parse`)."""
    own = sentences_to_parse(documents, names)
    parsed = iter(parse_sentences([sentence for sentences in own for sentence in sentences]))
    return [[next(parsed) for _ in sentences] for sentences in own]


def parse_sentences(sentences: Sequence[Sentence]) -> list[ParsedSentence]:
    """The sentences parsed in one `nlp.pipe` pass (a sentence is parsed the same in any batch)."""
    docs = english().pipe([sentence.text for sentence in sentences], batch_size=256)
    return [ParsedSentence(s.segment, s.start, doc) for s, doc in zip(sentences, docs, strict=True)]


def _parsed_texts(text: str, spans: Sequence[tuple[int, int]], names: AbstractSet[str]) -> list[str]:
    """What spaCy parses for each sentence span of `text`: line breaks made spaces, headlines sentence-cased
    (the text's own proper names are found once, so the cost stays linear in its length)."""
    kept = proper_names(text) | names
    return [sentence_case(_WHITESPACE.sub(" ", text[start:end]), kept) for start, end in spans]


def sentence_case(text: str, names: AbstractSet[str] = frozenset()) -> str:
    """Lower-case the words of Title Case lines (headlines), which spaCy's tagger and NER misread, keeping
    the first word, acronyms and `names` (as written or lower-case); offsets are kept.

    Example:
        >>> sentence_case("Brave Forces Free Port Dravny From Russian Thugs", {"Dravny", "russian"})
        'Brave forces free port Dravny from Russian thugs'
    """
    return "".join(_sentence_cased_line(line, names) for line in text.splitlines(keepends=True))


def proper_names(text: str) -> frozenset[str]:
    """Capitalized words that follow a lower-case word somewhere in the text: names, not headline case."""
    return frozenset(_MID_SENTENCE_CAPITAL.findall(text))


def _sentence_cased_line(line: str, names: AbstractSet[str]) -> str:
    words = list(_WORD.finditer(line))
    long_words = [w.group() for w in words if len(w.group()) > 3]
    if len(words) < 4 or line.rstrip().endswith(".") or sum(w[0].isupper() for w in long_words) < 0.8 * len(long_words):
        return line
    chars = list(line)
    for word in words[1:]:
        text = word.group()
        keep = text.isupper() or text in names or text.lower() in names
        if not keep and len(text.lower()) == len(text):
            chars[word.start() : word.end()] = text.lower()
    return "".join(chars)


def whole_names(ents: Iterable[Span]) -> list[Span]:
    """The entities, with a PERSON entity that follows another without a gap joined to it: the NER splits long
    names ("Mohammed bin Abdulrahman" + "bin Jassim Al-Thani")."""
    joined: list[Span] = []
    for ent in ents:
        if joined and ent.label_ == joined[-1].label_ == "PERSON" and ent.start == joined[-1].end:
            joined[-1] = Span(ent.doc, joined[-1].start, ent.end, label="PERSON")
        else:
            joined.append(ent)
    return joined
