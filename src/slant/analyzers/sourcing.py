"""Sourcing: who is quoted or cited, what kind of source, whose side, and how balanced the sourcing is.

A head over the shared encoder pass (`slant.encoder`), trained on real political news (PolNeAR;
`slant.sourcing_model`), marks each attribution's source, cue and content; the rules then resolve the
speaker over the pipeline's shared parse: against the actor knowledge (`slant.knowledge`), "he", "she",
"the ministry" to the most recent compatible mention, a surname to the full name said before, "X reported,
citing Y" to a chain.
Datelines, bylines, places and bare punctuation are never speakers. Each finding spans the attributed
content and keeps the cue and speaker spans; the summary aggregates sources and judges whether the
article's sourcing is one-sided.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar, Literal

from spacy.tokens import Doc, Span, Token

from slant.analyzers import ENCODER, PARSE, Layers, with_findings
from slant.knowledge import TITLES, Knowledge, Match, load_knowledge
from slant.model import (
    ARTICLE_KINDS,
    Party,
    Report,
    SegmentKind,
    SourceAttributes,
    SourceEntry,
    SourceFinding,
    SourcingSummary,
)
from slant.model import Span as TextSpan
from slant.options import AnalysisOptions
from slant.parse import PARSED_KINDS, ParsedSentence, by_segment, whole_names
from slant.sourcing_model import Linked, SourcingModel, Tagged, TaggedAttribution, group, paragraph_breaks

#: Heads of definite mentions that stand for a document or statement, resolved to the last organization.
STATEMENT_HEADS = frozenset({"statement", "report", "communique", "release", "announcement", "bulletin"})

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
THING_PRONOUNS = frozenset({"it", "they"})
#: The writer and the reader ("I", "we", "you"): their views are not sources.
OWN_PRONOUNS = frozenset({"i", "me", "we", "us", "you", "my", "our", "your"})
#: Who "Nobody believes ..." and "Everyone knows ..." cite: no one a balance of sources can count.
NOBODY_IN_PARTICULAR = frozenset({"nobody", "everyone", "everybody", "anyone", "anybody", "someone", "somebody"})
_SPEAKER_DEPS_DROPPED = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis"})
#: Kinds of an office holder who, unnamed ("a military commander"), is an anonymous source.
_OFFICIAL = ("government", "military")
#: "Houthi-run", "Kremlin-backed": the name before it is the affiliation, not the source itself.
_RUN_BY = re.compile(r"-(?:run|backed|funded|controlled|owned|led|aligned|affiliated)\b\s*")
_DEMONYM = re.compile(r"[A-Z][a-z]{3,}(?:ian|ite)")
#: "WASHINGTON (AP) —", "By Jane Doe": a sentence opening that is never a speaker.
_DATELINE = re.compile(r"[A-Z][A-Z .'’-]+(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)*)?\s*(?:\([\w ]+\))?\s*[—–―-]|\s*[Bb]y\s")
#: How a sentence that may open with a dateline opens in the document's own text.
_DATELINE_OPENING = re.compile(r"[A-Za-z][A-Z\s.'’-]|\s*[Bb]y\s")
#: Tags of relative pronouns ("who", "which", "that"): PolNeAR marks them, not the noun they refer to, as source.
_RELATIVE = frozenset({"WP", "WDT"})
#: Verbs whose subject "it" stands for a clause, not for a speaker ("it remains to be seen", "it seems").
_RAISING = frozenset({"be", "remain", "seem", "appear"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
# fmt: off
_CALENDAR = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
})
# fmt: on
#: How a cue without a subject of its own hangs from the verb whose subject it takes ("X went on to explain",
#: "X powerfully highlights", "X will be unable to turn ... and accuse", "X expressed concern", "X spoke out in
#: support of"), at most `MAX_VERB_CHAIN` steps up.
_VERB_CHAIN = frozenset(
    {"conj", "xcomp", "advcl", "acomp", "advmod", "prt", "aux", "neg", "oprd", "dobj", "pobj", "prep"}
)
MAX_VERB_CHAIN = 4
_CLAUSE_CHAIN = _VERB_CHAIN - {"advcl"}
_QUOTE_MARKS = frozenset("“”\"‘’'")
#: Degrees after a name that the NER takes for places ("Lena Varga, MD, said").
_DEGREES = frozenset({"MD", "DO", "RN", "NP", "PA", "DDS", "DMD", "JD", "MBA", "MPH", "PHD"})

#: Kinds of a speaker described, not named, who may be a person ("the author of the article", "a witness").
_DESCRIBED_PEOPLE = frozenset({"expert", "witness", "other"})
#: How far back (characters) a "he" or "she" with no named person before it looks for such a speaker.
RECENT_SPEAKER = 300

PENALTY_RESOLVED = 0.1
PENALTY_UNRESOLVED = 0.3


@dataclass(frozen=True)
class Source:
    """Who an attribution names: the mention as written, its canonical name, kind and affiliation."""

    written: str
    canonical: str
    kind: str
    affiliation: str | None
    start: int
    end: int
    person: bool = False
    resolution: Literal["named", "referred", "unresolved"] = "named"  # referred: a pronoun or "the ministry"


@dataclass(frozen=True)
class Attribution:
    """One attributed content span, its cue, source and citing chain (document offsets)."""

    start: int
    end: int
    cue: str
    cue_start: int
    cue_end: int
    source: Source
    direct: bool
    score: float
    chain: tuple[Source, ...] = ()


@dataclass
class _Mentions:
    """Earlier speakers and named entities, each list ordered by end, for resolving pronouns and descriptions."""

    speakers: list[Source] = field(default_factory=list)
    entities: list[Source] = field(default_factory=list)

    def add(self, source: Source, *, speaker: bool) -> None:
        bisect.insort(self.speakers if speaker else self.entities, source, key=lambda s: s.end)

    def before(self, offset: int, *, speakers_only: bool = False) -> Iterator[Source]:
        """Mentions ending before `offset`, newest first; a speaker before an entity ending at the same place."""
        if speakers_only:
            return (s for s in reversed(self.speakers) if s.end <= offset)
        merged = sorted((*_last(self.speakers, offset), *_last(self.entities, offset)), key=lambda s: -s.end)
        return iter(merged)


def _last(items: list[Source], offset: int, n: int = 40) -> list[Source]:
    """The last `n` mentions ending before `offset` (resolution looks back a few sentences, not the article)."""
    stop = bisect.bisect_right(items, offset, key=lambda s: s.end)
    return items[max(0, stop - n) : stop]


class SourcingAnalyzer:
    """Finds attributions (quotes, reported speech, beliefs, citations) and summarizes the balance of sources."""

    name: ClassVar[str] = "sourcing"
    reads: ClassVar[frozenset[str]] = frozenset({PARSE, ENCODER})

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.model = SourcingModel(threads=1)  # a small head: one thread runs it as fast
        self.knowledge = load_knowledge(options.actors_file)
        self.version = f"{self.model.params.version}+rules-5"

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Add sourcing findings and the `sourcing` summary to every report of the batch."""
        out = []
        for report, parses, encoded in zip(reports, layers.parses, layers.encoded, strict=True):
            sentences = by_segment(parses)
            findings, article = [], []
            for segment in report.segments_of(*PARSED_KINDS):
                text = report.segment_text(segment)
                spans = self.model.tag(text, encoded[segment.start])
                grammar = Grammar(report.text, sentences.get(segment.start, []))
                breaks = grammar.paragraph_breaks(segment.start, segment.end)
                found = group(text, spans, self.model.params, grammar.linked(segment.start), breaks)
                shifted = [_shifted(a, segment.start) for a in found]
                for a in attributions(report.text, grammar, shifted, self.knowledge):
                    findings.append(_finding(a))
                    if segment.kind in ARTICLE_KINDS:
                        article.append(findings[-1])
            summary = summarize_sourcing(report, article, self.knowledge)
            out.append(with_findings(report, findings, section=self.name, summary=summary))
        return out


def _shifted(a: TaggedAttribution, offset: int) -> TaggedAttribution:
    def move(span: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if span is None else (span[0] + offset, span[1] + offset)

    return TaggedAttribution(
        tuple((s + offset, e + offset) for s, e in a.content), move(a.cue), move(a.source), a.score
    )


class Grammar:
    """The parsed sentences of one segment, looked up by character spans (document offsets).

    What it derives from a sentence (its length, its dateline, a span's tokens, a cue's subjects) is derived
    once: building spaCy `Token` objects is where the grammar's time goes.
    """

    def __init__(self, text: str, sentences: Sequence[ParsedSentence]) -> None:
        self.text = text
        self.sentences = sentences
        self._starts = [s.start for s in sentences]
        self._index = {id(s.doc): i for i, s in enumerate(sentences)}
        self._datelines: dict[int, int] = {}
        self._tokens: dict[tuple[int, int], tuple[list[Token], int]] = {}
        self._subjects: dict[tuple[int, ...], list[tuple[int, int]]] = {}

    def dateline_end(self, at: int) -> int:
        """Where the dateline or byline opening sentence `at` ends in its parsed text ("WASHINGTON (AP) —"), or -1.

        Only a sentence whose own text opens like one is matched against its parsed text (the parse's line breaks
        are spaces and its headlines sentence-cased, so the document's text is a safe filter, not the answer)."""
        if at not in self._datelines:
            sentence = self.sentences[at]
            match = _DATELINE_OPENING.match(self.text, sentence.start) and _DATELINE.match(sentence.doc.text)
            self._datelines[at] = match.end() if match else -1
        return self._datelines[at]

    def dateline_of(self, token: Token) -> int:
        """`dateline_end` of the sentence holding `token` (one of this grammar's)."""
        return self.dateline_end(self._index[id(token.doc)])

    def datelines(self) -> list[tuple[int, int]]:
        """The document offsets of every dateline and byline of the segment."""
        return [(s.start, s.start + end) for at, s in enumerate(self.sentences) if (end := self.dateline_end(at)) >= 0]

    def paragraph_breaks(self, start: int, end: int) -> list[tuple[int, int]]:
        """The blank lines of the segment `[start, end)` that end a paragraph (segment offsets): one inside a
        sentence (a page hard-wrapped with blank lines between the lines of a sentence) does not."""
        found = []
        for brk_start, brk_end in paragraph_breaks(self.text[start:end]):
            at = bisect.bisect_right(self._starts, start + brk_start) - 1
            if at < 0 or self._end(at) <= start + brk_end:
                found.append((brk_start, brk_end))
        return found

    def sentence_start(self, offset: int) -> int:
        """Where the sentence holding document `offset` starts (`offset` itself before the first sentence)."""
        at = bisect.bisect_right(self._starts, offset) - 1
        return self._starts[at] if at >= 0 else offset

    def sentence_end(self, offset: int) -> int:
        """Where the sentence holding document `offset` ends (`offset` itself before the first sentence)."""
        at = bisect.bisect_right(self._starts, offset) - 1
        return self._end(at) if at >= 0 else offset

    def _end(self, at: int) -> int:
        """Where sentence `at` ends in the document."""
        sentence = self.sentences[at]
        last = sentence.doc[-1]
        return sentence.start + last.idx + len(last.text_with_ws)

    def tokens(self, span: tuple[int, int]) -> tuple[list[Token], int]:
        """The tokens of the sentence where `span` starts that it covers, and where that sentence starts."""
        if span not in self._tokens:
            self._tokens[span] = self._find_tokens(span)
        tokens, start = self._tokens[span]
        return list(tokens), start

    def _find_tokens(self, span: tuple[int, int]) -> tuple[list[Token], int]:
        at = bisect.bisect_right(self._starts, span[0]) - 1
        if at < 0:
            return [], 0
        sentence = self.sentences[at]
        local = sentence.doc.char_span(
            span[0] - sentence.start, min(span[1], self._end(at)) - sentence.start, alignment_mode="expand"
        )
        return (list(local) if local is not None else []), sentence.start

    def is_subject(self, mention: Sequence[Token], cue: Sequence[Token]) -> bool:
        """Whether the mention lies within a grammatical subject of the cue (`subjects`)."""
        if not mention or not cue or mention[0].doc is not cue[0].doc:
            return False
        key = (id(cue[0].doc), *(t.i for t in cue))
        if key not in self._subjects:
            self._subjects[key] = [(s.left_edge.i, s.right_edge.i) for s in subjects(cue)]
        ranges = self._subjects[key]
        return any(a <= t.i <= b for a, b in ranges for t in mention)

    def subject_phrase(self, mention: Sequence[Token], cue: Sequence[Token]) -> list[Token]:
        """The whole subject phrase of the cue that the mention lies within without being its head ("the ministry"
        -> "Sources close to the ministry"), or nothing."""
        for subject in subjects(cue) if self.is_subject(mention, cue) else []:
            inside = {t.i for t in mention}
            within = subject.left_edge.i <= min(inside) and max(inside) <= subject.right_edge.i
            if subject.i not in inside and within and subject.pos_ in ("NOUN", "PROPN"):
                return _mention_tokens(subject)
        return []

    def linked(self, offset: int) -> Linked:
        """Whether a tagged content is governed by a cue, or a tagged source is a cue's subject (spans of the
        segment starting at `offset`)."""

        def tied(span: Tagged, candidate: Tagged) -> int:
            first, _ = self.tokens((span.start + offset, span.end + offset))
            second, _ = self.tokens((candidate.start + offset, candidate.end + offset))
            if not first or not second or first[0].doc is not second[0].doc:
                return 0
            if candidate.role == "Cue":
                content, cue = _root(first), {t.i for t in second}
                return 2 if content.head.i in cue or any(t.head == content for t in second) else 1
            return 2 if self.is_subject(second, first) else 1

        return tied


def _root(tokens: Sequence[Token]) -> Token:
    inside = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in inside or t.head == t), tokens[-1])


def subjects(cue: Sequence[Token], chain: frozenset[str] = _VERB_CHAIN) -> list[Token]:
    """Who a cue attributes to by grammar: its subject ("Smith said"), owner ("his claim"), agent ("said by
    Smith") or object of "according to"; a cue joined to another verb ("... and added") takes that verb's."""
    inside = {t.i for t in cue}
    root = _root(cue)
    found = _subjects_of(cue, inside)
    if not found and root.dep_ == "acl" and root.head.pos_ in _NOMINAL:  # "a statement announcing"
        return [root.head]
    for _ in range(MAX_VERB_CHAIN):
        if found or root.dep_ not in chain or root.head == root:
            break
        objects = [c for c in root.head.children if c.dep_ == "dobj"] if root.dep_ == "xcomp" else []
        root = root.head
        if root.dep_ == "ccomp":
            break  # "X said Y promised ... and added": Y is what X said, not who added
        found = objects or [s for s in _subjects_of([root], inside) if _speaking([s])]  # "forced Smith to admit": Smith
    return found


def _subjects_of(tokens: Sequence[Token], inside: set[int]) -> list[Token]:
    found = []
    for token in tokens:
        if token.lower_ in ("to", "by"):
            found += [c for c in token.children if c.dep_ == "pobj"]
        for child in token.children:
            if child.i not in inside and child.dep_ in ("nsubj", "nsubjpass", "poss"):
                found.append(child)
            elif child.dep_ == "agent" or (token.lower_ == "according" and child.lower_ == "to"):
                found += [c for c in child.children if c.dep_ == "pobj"]  # "said by X", "according [to] X"
    return found


def attributions(
    text: str, grammar: Grammar, found: Sequence[TaggedAttribution], knowledge: Knowledge
) -> list[Attribution]:
    """The tagger's attributions in `text` with their speakers resolved over its parsed sentences, one per
    content range; those of the writer or reader ("we", "you") or of an expletive "it" ("it remains to be
    seen") are left out. A cue the tagger gave no source takes its grammatical subject.

    Offsets are the document's: `found` and the sentences' `start` alike.
    """
    sentences = grammar.sentences
    tokens_of = grammar.tokens

    # Words that attribute nothing: datelines, and the "citing Y" of a chain.
    unattributed = grammar.datelines()
    mentions = _Mentions()
    entities = [(s.start, e) for s in sentences for e in s.doc.ents if e.label_ in ("PERSON", "ORG")]
    next_entity = 0
    out: list[Attribution] = []
    for tagged in sorted(found, key=lambda a: (a.source or a.cue or a.content[0])[0]):
        cue = tagged.cue or tagged.content[0]
        anchor = tagged.source[0] if tagged.source else cue[0]
        while next_entity < len(entities) and entities[next_entity][0] + entities[next_entity][1].end_char <= anchor:
            offset, entity = entities[next_entity]
            mentions.add(_source(list(entity), knowledge, mentions, offset), speaker=False)
            next_entity += 1
        source: Source | None = Source("", "unnamed", "anonymous", None, cue[0], cue[0], resolution="unresolved")
        chain: tuple[Source, ...] = ()
        speaker, offset = tokens_of(tagged.source) if tagged.source else ([], 0)
        speaker = _after_dateline(speaker, grammar)
        speaker = _without_opening_date(speaker)
        cue_tokens, cue_offset = tokens_of(cue)
        subject_cue = all(t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") for t in cue_tokens)
        if not tagged.source and cue_tokens and subject_cue:
            continue  # a sourceless cue that is only a subject noun ("Allied| Forces| Liberating Aleppo") cues nothing
        if not any(_nominal(t) for t in speaker) or (
            speaker and not_a_speaker(speaker, grammar, subject=grammar.is_subject(speaker, cue_tokens))
        ):
            speaker = []  # "fruitless", "in Staten Island": the tagger's source names no one
        overlapping = {t.i for t in speaker} & {t.i for t in cue_tokens}  # the tagger read "He’s" as both
        if (not speaker or overlapping) and (inside := _subject_in_cue(cue_tokens)):
            speaker, cue_tokens = inside
            offset, cue = cue_offset, (cue_offset + cue_tokens[0].idx, cue[1])
        if not grammar.is_subject(speaker, cue_tokens):
            # The cue's subject replaces a missing source, one in another sentence, or the noun a relative
            # pronoun stands for ("..., who said": PolNeAR's source is "who").
            subject, subject_offset = _subject_mention(grammar, cue, tagged.content)
            elsewhere = bool(speaker) and bool(cue_tokens) and speaker[0].doc is not cue_tokens[0].doc
            direct = bool(subject) and _root(subject) in subjects(cue_tokens, _CLAUSE_CHAIN)
            direct = direct and _speaking(subject)
            # A tagged speaker inside the clause the cue reports is none ("I doubt she knows": not she).
            at = offset + speaker[0].idx if speaker and cue_tokens and speaker[0].doc is cue_tokens[0].doc else -1
            in_clause = at >= 0 and _reported_clause_end(cue_tokens, cue_offset, at) > at
            if subject and (not speaker or elsewhere or direct or in_clause or subject[0].tag_ in _RELATIVE):
                speaker, offset = subject, subject_offset
        if speaker and not _speaking(speaker):
            source = None
        elif speaker and not not_a_speaker(speaker, grammar, subject=grammar.is_subject(speaker, cue_tokens)):
            whole = _whole_mention(speaker, cue_tokens)  # widened to the whole phrase, never into a dateline
            speaker = next(
                m
                for m in (grammar.subject_phrase(whole, cue_tokens), whole, speaker)
                if m and m[0].idx >= grammar.dateline_of(m[0])
            )
            source = _source(speaker, knowledge, mentions, offset)
            heads = [*cue_tokens, *speaker, *(t.head for t in cue_tokens)]
            cited, words = _chain(heads, knowledge, mentions, cue_offset)
            if cited:
                last = cited[-1]
                if last.affiliation is None and source.kind in ("state_media", "government", "military"):
                    last = replace(last, affiliation=source.affiliation)  # "Xinhua, citing a local official"
                chain, source = (source, *cited[:-1], last), last
                unattributed.append((cue_offset + words[0].idx, cue_offset + words[-1].idx + len(words[-1])))
            for speaking in (*chain[:-1], source):  # "SANA reported, citing a source ... it also reported": SANA
                mentions.add(speaking, speaker=True)
        if source is None:
            continue
        penalty = {"named": 0.0, "referred": PENALTY_RESOLVED, "unresolved": PENALTY_UNRESOLVED}[source.resolution]
        score = round(max(0.0, tagged.score - penalty), 3)
        cue_stop = grammar.sentence_end(cue[0])
        for start, end in tagged.content:
            if start < cue[0] < end <= cue[1]:
                end = cue[0]  # a content never holds its own cue ("“...” ― Name")
            stop = grammar.sentence_end(start)
            opening = grammar.sentence_start(start)
            if end <= cue[0] < stop and len(text[opening:start].split()) == 1:
                start = opening  # a content before its cue keeps its sentence's first word ("In| the last days, ...")
            if stop != cue_stop and text[end:stop].strip(_CLOSING):
                continue  # a stray piece of another sentence ("for three| long years ..., the ministry said")
            reported = cue[1] <= start and cue_stop == stop and ":" not in text[cue[0] : start]
            quoted = bool(_QUOTE_MARKS & set(text[max(0, start - 1) : end + 1]))
            if end > stop and reported and not quoted:
                end = stop  # reported speech ends with its sentence ("Reports indicate ... . Fierce fighting ...")
            if reported and not quoted:  # nor before the clause it reports ("reported that shelling| continued")
                end = max(end, min(stop, _reported_clause_end(cue_tokens, cue_offset, start)))
            for skip_start, skip_end in unattributed:
                if skip_start <= start < skip_end:
                    start = skip_end
            at_source = source.start <= start < source.end or len(text[start : source.start].split()) == 1
            if at_source and source.end < end:
                start = source.end  # "According [to X], Y", "According to [a person] familiar with it, Y": after X
            while start < end and text[start] in " ,;:—–―-":
                start += 1
            direct = bool(_QUOTE_MARKS & set(text[max(0, start - 1) : start + 1])) and bool(
                _QUOTE_MARKS & set(text[end - 1 : end + 2])
            )
            while start < end and (text[start] in _QUOTE_MARKS or text[start].isspace()):
                start += 1
            while end > start and (text[end - 1] in _QUOTE_MARKS or text[end - 1].isspace()):
                end -= 1
            if end > start and not source.start <= start < source.end:
                cue_text = text[cue[0] : cue[1]]
                out.append(Attribution(start, end, cue_text, cue[0], cue[1], source, direct, score, chain))
    return sorted(out, key=lambda a: (a.start, a.end))


#: What may follow a content at the end of its sentence.
_CLOSING = " \n.,;:!?\"'”’)"


def _reported_clause_end(cue: Sequence[Token], offset: int, start: int) -> int:
    """Where the clause a verb of the cue reports ends (its clausal complement's last word; document offsets, as
    `offset` places the cue's sentence), when that clause holds `start`; else `start`."""
    for token in cue:
        for clause in (c for c in token.children if c.dep_ == "ccomp"):
            first, last = clause.left_edge, clause.right_edge
            if offset + first.idx <= start < offset + last.idx + len(last):
                return offset + last.idx + len(last)
    return start


def _subject_mention(
    grammar: Grammar, cue: tuple[int, int], content: Sequence[tuple[int, int]]
) -> tuple[list[Token], int]:
    """The noun phrase that is the cue's subject, outside the content (none for "it is said")."""
    tokens, offset = grammar.tokens(cue)
    for subject in subjects(tokens) if tokens else []:
        at = offset + subject.idx
        passive_it = subject.dep_ == "nsubjpass" and subject.lower_ == "it"
        if not _nominal(subject) or passive_it:
            continue
        mention = _mention_tokens(subject) if subject.tag_ not in _RELATIVE else [subject]
        inside = any(s <= at < e for s, e in content)  # but "According to X, ..." read as content: X still speaks
        if not inside or _after_according_to(mention[0]):
            return mention, offset
    return [], 0


def _after_according_to(token: Token) -> bool:
    """Whether the token follows "according to"."""
    return token.i >= 2 and token.nbor(-1).lower_ == "to" and token.nbor(-2).lower_ == "according"


def _subject_in_cue(cue: Sequence[Token]) -> tuple[list[Token], list[Token]] | None:
    """The subject the tagger took into the cue ("The statement| noted", "each| touting"): the subject's phrase and
    the cue's words after it, or None."""
    inside = {t.i for t in cue}
    for token in cue:
        verb = token.head.i in inside and token.i < token.head.i
        if _nominal(token) and token.lower_ not in OWN_PRONOUNS and verb and token.dep_ in ("nsubj", "nsubjpass"):
            mention = _mention_tokens(token)
            rest = [t for t in cue if t.i > mention[-1].i]
            return (mention, rest) if rest else None
    return None


def _time(token: Token) -> bool:
    """Whether the token is part of a date or time, and not a name that is a subject the entity tagger took into one
    ("Last week Stumpf appeared to blame")."""
    named_subject = token.pos_ == "PROPN" and token.dep_ in ("nsubj", "nsubjpass") and token.lower_ not in _CALENDAR
    return token.ent_type_ in ("DATE", "TIME") and not named_subject


def _without_opening_date(tokens: list[Token]) -> list[Token]:
    """The mention without the punctuation and the date the tagger took in before it ("(Smith", "Last week Smith"),
    unless the date is part of the mention ("Last year's report")."""
    opening = 0
    while opening < len(tokens) - 1 and (tokens[opening].is_punct or _time(tokens[opening])):
        opening += 1
    rest = {t.i for t in tokens[opening:]}
    if any(t.head.i in rest and not t.is_punct for t in tokens[:opening]):
        return tokens
    return tokens[opening:]


def _nominal(token: Token) -> bool:
    """Whether the token can name someone: a noun or pronoun, or a subject the tagger mistook for another part of
    speech ("Ham went on", "Trump never missed")."""
    return token.pos_ in _NOMINAL or (token.dep_ in ("nsubj", "nsubjpass") and token.is_alpha)


def _whole_mention(tokens: list[Token], cue: Sequence[Token]) -> list[Token]:
    """The tagged speaker widened to its whole noun phrase ("Lidia Sarn" -> "Interior Minister Lidia Sarn"), never
    over the cue ("Smith's| claim")."""
    inside = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in inside or t.head == t), tokens[-1])
    while root.dep_ == "compound" and root.head.i > root.i:  # "Senator" -> "Senator Mary Jones"
        root = root.head
    if root.dep_ == "poss" and root.head not in cue:  # "Orvania's" -> "Orvania's government"
        root = root.head
    if root.pos_ not in ("PROPN", "NOUN"):
        return tokens
    whole = _mention_tokens(root)
    return whole if inside <= {t.i for t in whole} else tokens


def _speaking(mention: Sequence[Token]) -> bool:
    """Whether a mention may speak: not an expletive "it", nor the writer or reader ("I", "we", "you": an
    attribution to them keeps no source)."""
    return mention[0].lower_ not in OWN_PRONOUNS and not _expletive(mention)


def _expletive(tokens: Sequence[Token]) -> bool:
    """Whether the mention is an expletive "it", which names no one ("It remains to be seen how ...", "it seems")."""
    if len(tokens) != 1 or tokens[0].lower_ != "it":
        return False
    it = tokens[0]
    return it.dep_ == "expl" or (it.dep_ == "nsubj" and it.head.lemma_ in _RAISING)


def _after_dateline(tokens: list[Token], grammar: Grammar) -> list[Token]:
    """The mention without a dateline it starts with ("WASHINGTON -- President Obama" -> "President Obama")."""
    end = grammar.dateline_of(tokens[0]) if tokens else -1
    if end < 0:
        return tokens
    return [t for t in tokens if t.idx >= end and not (t.is_punct and t.idx == end)]


def not_a_speaker(tokens: Sequence[Token], grammar: Grammar, *, subject: bool = False) -> bool:
    """Datelines ("WASHINGTON (AP) —"), bylines, dates and bare punctuation (not "26%") are never speakers, nor are
    places unless they are the cue's `subject` ("Mexico demanded", not "in Dallas, the report said")."""
    if tokens[0].idx < grammar.dateline_of(tokens[0]):
        return True
    words = [t for t in tokens if not (t.is_punct or t.is_space or t.pos_ in ("DET", "ADP"))]
    place = all(t.ent_type_ in ("GPE", "LOC", "FAC") for t in words)
    time = all(_time(t) for t in words)
    share = any(t.ent_type_ == "PERCENT" for t in words)  # "26% say": a share of those polled
    return not (share or any(c.isalpha() for t in words for c in t.text)) or time or (place and not subject)


def _chain(
    heads: Sequence[Token], knowledge: Knowledge, mentions: _Mentions, offset: int
) -> tuple[list[Source], list[Token]]:
    """The sources cited by the cue ("..., citing a military source"), first to last, and the citing words
    (`offset`: where the heads' sentence starts in the document)."""
    chain: list[Source] = []
    words: list[Token] = []
    for token in dict.fromkeys(child for head in heads for child in head.children):  # each cited once
        if token.lemma_.lower() in ("cite", "quote") and token.dep_ in ("advcl", "xcomp", "conj", "dep", "acl"):
            obj = next((c for c in token.children if c.dep_ in ("dobj", "obj")), None)
            cited = _source(_mention_tokens(obj), knowledge, mentions, offset) if obj is not None else None
            if obj is not None and cited is not None and (cited.person or cited.kind != "other" or cited.affiliation):
                chain.append(cited)  # a speaker, not "citing an unfounded theory"
                words += [token, *obj.subtree]
    return chain, words


def _mention_tokens(head: Token) -> list[Token]:
    """The words naming a source: the head, everything before it in its phrase, and its right modifiers
    up to an apposition, relative clause or comma."""
    kept = {head.i}
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ not in _SPEAKER_DEPS_DROPPED or (child.dep_ == "punct" and child.i < head.i):
                kept.add(child.i)
                stack.append(child)
    named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if head.pos_ != "PROPN" and named is not None:
        kept |= {t.i for t in named.subtree} | set(range(head.i, named.i))
    doc = head.doc
    left = doc[min(kept)]
    before = doc[left.i - 1] if left.i > 0 else None
    if before is not None and before.head == head.head and before.dep_ == head.dep_ == "nsubj":
        kept |= {t.i for t in doc[left.i - 1].subtree}  # two subjects side by side: "news agency SANA said"
    right = head.i
    while right + 1 in kept:
        right += 1
    return list(doc[min(kept) : right + 1])


def _source(tokens: Sequence[Token] | Span, knowledge: Knowledge, mentions: _Mentions, offset: int) -> Source:
    """Resolve a speaker mention to its canonical name, kind and affiliation (`offset`: where the mention's
    sentence starts in the document; the source's offsets are the document's)."""
    tokens = list(tokens)
    doc = tokens[0].doc
    local_start, local_end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    start, end = offset + local_start, offset + local_end
    written = doc[tokens[0].i : tokens[-1].i + 1].text
    head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[-1])
    lower = head.lower_
    if len(tokens) == 1 and head.tag_ in _RELATIVE and head.head.dep_ == "relcl":  # "Smith, who said": Smith
        referent = _source(_mention_tokens(head.head.head), knowledge, mentions, offset)
        return replace(referent, written=written, start=start, end=end, resolution="referred")
    if len(tokens) == 1 and lower in PERSON_PRONOUNS | THING_PRONOUNS:
        wanted_person = lower in PERSON_PRONOUNS
        candidates = mentions.before(start, speakers_only=not wanted_person)
        antecedent = next((s for s in candidates if s.person == wanted_person and s.kind != "anonymous"), None)
        if antecedent is None and wanted_person:  # "The author of the article has ... I doubt she knows": the author
            recent = (s for s in mentions.before(start, speakers_only=True) if start - s.end <= RECENT_SPEAKER)
            antecedent = next((s for s in recent if s.kind in _DESCRIBED_PEOPLE), None)
        return _antecedent(written, start, end, antecedent)
    determiner = tokens[0].lower_ in ("the", "this", "that") and len(tokens) <= 3
    antecedent_wanted = lower in STATEMENT_HEADS or lower not in knowledge.anonymous_heads
    # A known actor's name is itself: "The White House" is never "the house" met before.
    if determiner and antecedent_wanted and not knowledge.actors_in(written):
        antecedent = next(
            (
                s
                for s in mentions.before(start)
                if (lower in STATEMENT_HEADS and not s.person) or head.lemma_.lower() in s.written.lower()
            ),
            None,
        )
        if antecedent is not None:
            return _antecedent(written, start, end, antecedent)
    described = _described(tokens, head)
    description = doc[described[0].i : described[-1].i + 1].text
    # The last named actor in the mention itself is the most specific ("the UN humanitarian office OCHA").
    actors = sorted(knowledge.actors_in(description), key=lambda found: (found[0].end > len(written), -found[0].end))
    named_actors = [(described[0].idx + m.start, described[0].idx + m.end) for m, _ in actors]
    persons = [
        e
        for e in _persons_within(doc, tokens[0].i, tokens[-1].i)
        if not any(a < e.end_char and e.start_char < b for a, b in named_actors)
    ]
    named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c in tokens), None)
    if not persons and named is not None and head.pos_ != "PROPN":
        persons = [doc[named.left_edge.i : named.i + 1]]
    # A surname, alone or titled ("Fauci", "Dr Fauci"), names the last speaker who bore it.
    titled = len(tokens) == 2 and tokens[0].lower_.rstrip(".") in TITLES
    if head.pos_ == "PROPN" and (len(tokens) == 1 or titled):
        earlier = next((s for s in mentions.before(start) if s.person and s.canonical.split()[-1] == head.text), None)
        if earlier is not None:
            return replace(earlier, written=written, start=start, end=end)
    affiliation = actors[0][1].affiliation if actors else _affiliation(described, knowledge)
    role = knowledge.role_kind(description)
    unnamed_official = tokens[0].lower_ in ("a", "an") and not persons and not actors and role in _OFFICIAL
    if (lower in knowledge.anonymous_heads and head.pos_ != "PROPN" and not persons) or unnamed_official:
        kind, canonical = "anonymous", _without_determiners(tokens)
    elif actors and (run_by := _RUN_BY.match(description, actors[0][0].end)):  # "Houthi-run Al Masirah TV"
        kind = "state_media" if role in ("independent_media", "state_media") else role or "other"
        canonical = description[run_by.end() :].strip() or actors[0][1].name
    else:
        kind = actors[0][1].kind if actors else role or ("witness" if persons else "other")
        canonical = _person_name(persons) if persons else actors[0][1].name if actors else _without_determiners(tokens)
    return Source(written, canonical, kind, affiliation, start, end, person=bool(persons))


def _persons_within(doc: Doc, first: int, last: int) -> list[Span]:
    """The PERSON entities wholly within tokens `first`..`last` of `doc`, read from those tokens (`doc.ents` would
    build every entity of the sentence, for each mention: quadratic in a long run-on sentence)."""
    starts = (doc[i] for i in range(first, last + 1) if doc[i].ent_iob_ == "B" and doc[i].ent_type_ == "PERSON")
    return [entity for token in starts if (entity := _entity_of(token)).end <= last + 1]


def _described(tokens: list[Token], head: Token) -> list[Token]:
    """The mention with the head's appositions ("Paul Ferro, an analyst at the firm"), which describe the source."""
    last = max([tokens[-1].i, *(t.i for c in head.children if c.dep_ == "appos" for t in c.subtree)])
    return list(head.doc[tokens[0].i : last + 1])


def _antecedent(written: str, start: int, end: int, antecedent: Source | None) -> Source:
    if antecedent is None:
        return Source(written, written.lower(), "other", None, start, end, resolution="unresolved")
    return replace(antecedent, written=written, start=start, end=end, resolution="referred")


def _affiliation(tokens: Sequence[Token], knowledge: Knowledge) -> str | None:
    """The speaker's side: a country it names, else one guessed from a demonym or place it names. A place
    after a preposition is where the speaker is, not whose ("a Western diplomat in Moscow")."""
    tokens = [t for t in tokens if not (t.ent_type_ in ("GPE", "LOC") and _after_preposition(t, tokens))]
    countries = knowledge.countries_in("".join(t.text_with_ws for t in tokens))
    if countries:
        return countries[0].value
    for token in tokens:
        if token.text.lower() in knowledge.group_words:
            continue
        if token.ent_type_ == "GPE" and token.text.replace(".", "").upper() not in _DEGREES:
            return country_from_name(_entity_of(token).text)  # "New York City Mayor X": New York City, not "New"
        if token.ent_type_ != "PERSON" and _DEMONYM.fullmatch(token.text):
            return country_from_name(token.text)
    owner = next((t for t in tokens if t.dep_ == "poss" and t.pos_ == "PROPN" and t.ent_type_ != "PERSON"), None)
    if owner is None:
        return None
    first = owner.left_edge.i
    while first < owner.i and owner.doc[first].dep_ in ("det", "predet"):
        first += 1  # "the ACLU's lawyer": the ACLU's side is "ACLU"
    return owner.doc[first : owner.i + 1].text


def _entity_of(token: Token) -> Span:
    """The whole named entity the token is part of, read from the tokens around it."""
    doc, first, end = token.doc, token.i, token.i + 1
    while first > 0 and doc[first].ent_iob_ == "I":
        first -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, first, end, label=token.ent_type_)


def _after_preposition(token: Token, mention: Sequence[Token]) -> bool:
    return any(a.dep_ == "prep" for a in token.ancestors if a in mention)


def country_from_name(name: str) -> str:
    """A country's name from an unknown demonym or possessive ("Orvanian" -> "Orvania", "Kessel's" -> "Kessel")."""
    name = re.sub(r"['’]s$", "", name.strip())
    for suffix, replacement in (("ian", "ia"), ("ite", ""), ("i", "")):
        if name.endswith(suffix) and len(name) > len(suffix) + 3:
            return name[: -len(suffix)] + replacement
    return name


def _person_name(persons: Sequence[Span]) -> str:
    """The person's full name: the last PERSON entity joined with the ones right before it."""
    return re.sub(r"['’]s$", "", whole_names(persons)[-1].text.strip())


def _without_determiners(tokens: Sequence[Token]) -> str:
    """The mention without leading determiners and numbers, but with a pronoun its phrase hangs from ("Everyone in
    the region"); a trailing name after a description alone ("the state news agency VNA" -> "VNA"); a pronoun
    alone with its relative clause ("Those who said so")."""
    words = list(tokens)
    while (
        words
        and words[0].ent_type_ != "PERCENT"
        and (words[0].pos_ in ("DET", "NUM", "PRON") or words[0].dep_ in ("det", "predet", "nummod"))
    ):
        words = words[1:]
    if words and words[0].pos_ == "ADP":
        words = list(tokens)[len(tokens) - len(words) - 1 :]
    name = len(words)
    while name > 0 and (words[name - 1].pos_ == "PROPN" or words[name - 1].ent_type_ in ("ORG", "PERSON")):
        name -= 1
    if 0 < name < len(words) and words[name - 1].pos_ == "NOUN" and not words[name - 1].ent_type_:
        words = words[name:]
    doc = tokens[0].doc
    if not words:  # "Those who dismiss this as rubbish": the pronoun with its relative clause says who
        clause = next((c for t in tokens for c in t.children if c.dep_ == "relcl"), None)
        return doc[tokens[0].i : clause.right_edge.i + 1].text if clause is not None else tokens[-1].text
    return doc[words[0].i : words[-1].i + 1].text


def _finding(a: Attribution) -> SourceFinding:
    return SourceFinding(
        label=a.source.kind,
        start=a.start,
        end=a.end,
        score=max(0.0, min(1.0, a.score)),
        attributes=SourceAttributes(
            cue=a.cue,
            cue_span=TextSpan(start=a.cue_start, end=a.cue_end),
            source=a.source.written,
            canonical=a.source.canonical,
            speaker=TextSpan(start=a.source.start, end=a.source.end),
            kind=a.source.kind,
            affiliation=a.source.affiliation,
            direct=a.direct,
            chain=[s.canonical for s in a.chain],
        ),
    )


def summarize_sourcing(report: Report, findings: Sequence[SourceFinding], knowledge: Knowledge) -> SourcingSummary:
    """The `sourcing` summary section over the article's own findings (title and body, not comments)."""
    counts: Counter[str] = Counter()
    quotes: Counter[str] = Counter()
    first: dict[str, SourceAttributes] = {}
    affiliation: dict[str, str | None] = {}
    for f in findings:
        a = f.attributes
        first.setdefault(a.canonical, a)
        counts[a.canonical] += 1
        quotes[a.canonical] += int(a.direct)
        if affiliation.get(a.canonical) is None:
            affiliation[a.canonical] = a.affiliation
    listed = sorted(
        (
            SourceEntry(
                name=name,
                kind=first[name].kind,
                affiliation=affiliation[name],
                count=counts[name],
                direct_quotes=quotes[name],
            )
            for name in first
        ),
        key=lambda s: -s.count,
    )
    counted = [
        s
        for s in listed
        if not (s.kind == "anonymous" and s.affiliation is None)
        and s.name.split(maxsplit=1)[0].lower() not in NOBODY_IN_PARTICULAR
    ]
    affiliations = Counter(s.affiliation for s in counted if s.affiliation)
    dominant, dominant_n = affiliations.most_common(1)[0] if affiliations else (None, 0)
    dominant_share = dominant_n / len(counted) if counted else 0.0
    anonymous = sum(1 for f in findings if f.attributes.kind == "anonymous")
    parties = _parties(report, findings, knowledge)
    one_sided, reason = _balance(counted, dominant, dominant_n, parties)
    return SourcingSummary(
        sources=listed,
        n_sources=len(listed),
        n_affiliations=len({s.affiliation for s in listed if s.affiliation}),
        n_kinds=len({s.kind for s in listed}),
        dominant_affiliation=dominant,
        dominant_share=round(dominant_share, 3),
        anonymous_share=round(anonymous / len(findings), 3) if findings else 0.0,
        parties=parties,
        one_sided=one_sided,
        reason=reason,
    )


def _parties(report: Report, findings: Sequence[SourceFinding], knowledge: Knowledge) -> list[Party]:
    """The sides the article names (twice, or in the title) and whether each is heard in its own words."""
    affiliations = {f.attributes.affiliation for f in findings} - {None}
    speaking = {a for a in affiliations if a is not None and (a in knowledge.parties or a not in knowledge.bodies)}
    mentions: Counter[str] = Counter()
    in_title: set[str] = set()
    in_content: dict[str, set[str | None]] = {}
    for segment in report.segments_of(*ARTICLE_KINDS):
        text = report.segment_text(segment)
        for match in _party_mentions(text, knowledge, speaking - knowledge.parties):
            mentions[match.value] += 1
            if segment.kind == SegmentKind.TITLE:
                in_title.add(match.value)
            at = segment.start + match.start
            for f in findings:
                if f.start <= at < f.end:
                    in_content.setdefault(match.value, set()).add(f.attributes.affiliation)
    parties = []
    for name, count in mentions.most_common():
        if count < 2 and name not in in_title and name not in speaking:
            continue
        own = [f for f in findings if f.attributes.affiliation == name]
        direct = any(f.attributes.direct for f in own)
        reported = bool(own) or bool(in_content.get(name, set()) - {name})
        parties.append(Party(name=name, quoted_directly=direct, paraphrased_only=reported and not direct))
    return parties


def _party_mentions(text: str, knowledge: Knowledge, unknown_sides: Iterable[str]) -> list[Match]:
    """Mentions of sides in text order: known countries and armed groups, and sides only the sources named
    ("Valdoria" also as "Valdorian", "Kessel" as "Kesselite"), so sides mentioned equally often keep text order."""
    matches = knowledge.countries_in(text)
    matches += [replace(m, value=a.affiliation) for m, a in knowledge.actors_in(text) if a.party and a.affiliation]
    for side in unknown_sides:
        matches += [Match(m.start(), m.end(), side) for m in re.finditer(rf"\b{re.escape(side)}\w*", text)]
    return sorted(matches, key=lambda m: (m.start, m.end, m.value))


def _balance(
    counted: list[SourceEntry], dominant: str | None, dominant_n: int, parties: list[Party]
) -> tuple[bool, str]:
    """Whether the sourcing is one-sided, and why, in words a reader can check against the findings."""
    reasons = []
    one_sided = False
    if not counted:
        reasons.append("no named or affiliated source is cited")
    elif dominant is not None and len(counted) >= 2 and dominant_n / len(counted) >= 0.75:
        one_sided = True
        names = ", ".join(s.name for s in counted if s.affiliation == dominant)
        whole = "all" if dominant_n == len(counted) else f"{dominant_n} of"
        reasons.append(f"{whole} {len(counted)} attributed sources are affiliated with {dominant} ({names})")
    elif dominant is None:
        reasons.append(f"{len(counted)} attributed sources, none with a known affiliation")
    else:
        reasons.append(f"{len(counted)} attributed sources; the largest affiliation ({dominant}) holds {dominant_n}")
    quoted = sorted({p.name for p in parties if p.quoted_directly})
    unheard = [p.name for p in parties if p.paraphrased_only]
    if len(quoted) == 1 and unheard:
        one_sided = True
        verb = "is" if len(unheard) == 1 else "are"
        reasons.append(f"{', '.join(unheard)} {verb} only paraphrased while {quoted[0]} is quoted directly")
    return one_sided, "; ".join(reasons)
