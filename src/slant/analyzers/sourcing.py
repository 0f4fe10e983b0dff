"""Sourcing: who is quoted or cited, what kind of source, whose side, and how balanced the sourcing is.

Rule-based, in the manner of the Gender Gap Tracker's quote extractor: a reporting-verb list and
dependency rules over spaCy's parse ("X said that ...", "..., X said", "according to X", "X reported,
citing Y"), plus quote-mark matching (straight and curly, across sentences) for direct speech. Speakers
are resolved against the actor knowledge (`slant.knowledge`); "he", "she", "the ministry" resolve to the
most recent compatible mention. Each finding spans the attributed content; the summary aggregates
sources and judges whether the article's sourcing is one-sided.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar, Literal

from spacy.tokens import Doc, Span, Token

from slant.analyzers import Layers, with_findings
from slant.knowledge import Knowledge, Match, load_knowledge
from slant.model import (
    ARTICLE_KINDS,
    Party,
    Report,
    Segment,
    SegmentKind,
    SourceAttributes,
    SourceEntry,
    SourceFinding,
    SourcingSummary,
)
from slant.model import Span as TextSpan
from slant.nlp import english, model_version
from slant.options import AnalysisOptions

#: Lemmas of verbs that attribute speech or a claim to their subject.
# fmt: off
REPORTING_VERBS = frozenset({
    "say", "tell", "state", "claim", "report", "announce", "add", "note", "explain", "insist", "argue", "warn",
    "accuse", "deny", "confirm", "declare", "write", "stress", "tweet", "allege", "assert", "acknowledge",
    "admit", "comment", "reply", "suggest", "estimate", "predict", "conclude", "emphasize", "emphasise", "maintain",
    "indicate", "reveal", "recall", "complain", "testify", "contend", "vow", "promise", "pledge", "threaten",
    "caution", "concede", "disclose", "mention", "observe", "remark", "reiterate", "affirm",
    "believe", "fear", "hope",
})
# fmt: on

#: Heads of definite mentions that stand for a document or statement, resolved to the last organization.
STATEMENT_HEADS = frozenset({"statement", "report", "communique", "release", "announcement", "bulletin"})

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
THING_PRONOUNS = frozenset({"it", "they"})
_SPEAKER_DEPS_DROPPED = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis"})
_QUOTES = re.compile(r"“[^“”]{2,3000}”|\"[^\"]{2,3000}\"")
#: Kinds of an office holder who, unnamed ("a military commander"), is an anonymous source.
_OFFICIAL = ("government", "military")
#: "Houthi-run", "Kremlin-backed": the name before it is the affiliation, not the source itself.
_RUN_BY = re.compile(r"-(?:run|backed|funded|controlled|owned|led|aligned|affiliated)\b\s*")
_DEMONYM = re.compile(r"[A-Z][a-z]{3,}(?:ian|ite)")
#: A blank line after the end of a sentence or before a capital (scraped pages also wrap mid-sentence).
_PARAGRAPH_BREAK = re.compile(r"(?:(?<=[.!?:\"”’])[ \t]*\n[ \t]*\n\s*|[ \t]*\n[ \t]*\n\s*(?=[A-Z“\"‘'0-9]))")
_STRIP = " \t\n,;:.-–—\"“”'‘’()"
_ANALYZED = (SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.COMMENT)

# Confidence of each rule, from the most explicit attribution to the least.
SCORE_QUOTE = 0.9
SCORE_ACCORDING = 0.85
SCORE_CLAUSE = 0.8
SCORE_PARENTHETICAL = 0.75
SCORE_CONTINUED_QUOTE = 0.6
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
    """One attributed content span (offsets into the segment), its cue, source and citing chain."""

    start: int
    end: int
    cue: str
    source: Source
    direct: bool
    score: float
    chain: tuple[Source, ...] = ()


@dataclass
class _Mentions:
    """Earlier speakers and named entities in one segment, for resolving pronouns and definite descriptions."""

    speakers: list[Source] = field(default_factory=list)
    entities: list[Source] = field(default_factory=list)

    def before(self, offset: int, *, speakers_only: bool = False) -> Iterator[Source]:
        """Mentions ending before `offset`, newest first."""
        items = self.speakers if speakers_only else sorted((*self.entities, *self.speakers), key=lambda s: s.end)
        return (s for s in reversed(items) if s.end <= offset)


class SourcingAnalyzer:
    """Finds attributions (quotes, reported speech, citations) and summarizes the balance of sources."""

    name: ClassVar[str] = "sourcing"
    reads: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.nlp = english()
        self.knowledge = load_knowledge(options.actors_file)
        self.version = f"rules-1+{model_version()}"

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Add sourcing findings and the `sourcing` summary to every report of the batch."""
        jobs = [(i, s) for i, r in enumerate(reports) for s in r.segments_of(*_ANALYZED)]
        chunks = [paragraphs(reports[i].segment_text(s)) for i, s in jobs]
        parsed = iter(self.nlp.pipe((c for cs in chunks for c in cs), batch_size=self.options.batch_size))
        per_report: list[list[tuple[Segment, Attribution]]] = [[] for _ in reports]
        for (i, segment), pieces in zip(jobs, chunks, strict=True):
            doc = Doc.from_docs([next(parsed) for _ in pieces], ensure_whitespace=False)
            per_report[i].extend((segment, a) for a in attributions(doc, self.knowledge))
        out = []
        for report, found in zip(reports, per_report, strict=True):
            findings = [_finding(segment.start, a) for segment, a in found]
            article = [f for f, (segment, _) in zip(findings, found, strict=True) if segment.kind in ARTICLE_KINDS]
            summary = summarize_sourcing(report, article, self.knowledge)
            out.append(with_findings(report, findings, section=self.name, summary=summary))
        return out


def paragraphs(text: str) -> list[str]:
    """The text cut at paragraph breaks, so that no sentence, parse or quotation runs across paragraphs."""
    cuts = [0, *(m.end() for m in _PARAGRAPH_BREAK.finditer(text)), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a] or [text]


def quotations(text: str) -> list[tuple[int, int]]:
    """The spans inside quotation marks (curly or straight), each within one paragraph."""
    spans, offset = [], 0
    for paragraph in paragraphs(text):
        spans += [(offset + m.start() + 1, offset + m.end() - 1) for m in _QUOTES.finditer(paragraph)]
        offset += len(paragraph)
    return spans


def attributions(doc: Doc, knowledge: Knowledge) -> list[Attribution]:
    """Every attribution in one parsed segment, in text order.

    Example:
        >>> doc = english()("“We will rebuild,” the mayor said.")
        >>> [(doc.text[a.start:a.end], a.source.canonical) for a in attributions(doc, load_knowledge())]
        [('We will rebuild,', 'mayor')]
    """
    quotes = quotations(doc.text)
    mentions = _Mentions()
    found: list[Attribution] = []
    claimed: set[tuple[int, int]] = set()
    for sentence in doc.sents:
        for ent in sentence.ents:
            if ent.label_ in ("PERSON", "ORG") and not _inside(ent.start_char, quotes):
                mentions.entities.append(_source(ent, knowledge, mentions))
        for cue in _cues(sentence, quotes):
            attribution = _attribution(cue, sentence, quotes, claimed, knowledge, mentions)
            if attribution is None:
                continue
            found.append(attribution)
            mentions.speakers.extend(attribution.chain or (attribution.source,))
            if attribution.direct:
                claimed.add((attribution.start, attribution.end))
            for quote in _more_quotes(sentence, quotes, claimed, attribution):
                found.append(replace(attribution, start=quote[0], end=quote[1], direct=True, score=SCORE_QUOTE))
                claimed.add(quote)
    found.extend(_continued_quotes(doc.text, quotes, claimed, found))
    return sorted(found, key=lambda a: (a.start, a.end))


@dataclass(frozen=True)
class _Cue:
    """A token that introduces an attribution, and the tokens naming its source."""

    token: Token
    speaker: Token
    according: bool = False


def _cues(sentence: Span, quotes: list[tuple[int, int]]) -> Iterator[_Cue]:
    for token in sentence:
        if _inside(token.idx, quotes):
            continue
        if token.lower_ == "according" and token.i + 2 < len(token.doc) and token.nbor().lower_ == "to":
            to = token.nbor()
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) or _phrase_head(to)
            if pobj is not None:
                yield _Cue(token, pobj, according=True)
        elif token.lemma_.lower() in REPORTING_VERBS and token.pos_ in ("VERB", "AUX"):
            subject = _subject(token) or _parenthetical_speaker(token)
            if subject is not None and not _inside(subject.idx, quotes) and not _first_or_second_person(subject):
                yield _Cue(token, subject)


def _phrase_head(to: Token) -> Token | None:
    """The head of the noun phrase after "according to" up to the next comma, when the parser put it elsewhere."""
    end = next((t.i for t in to.doc[to.i + 1 :] if t.is_punct or t.is_sent_end), len(to.doc))
    words = to.doc[to.i + 1 : end]
    return next((t for t in words if not (words.start <= t.head.i < words.end) and t.pos_ in ("PROPN", "NOUN")), None)


def _first_or_second_person(token: Token) -> bool:
    """I, we, you: the writer or the reader, not a source."""
    return token.pos_ == "PRON" and token.lower_ not in PERSON_PRONOUNS | THING_PRONOUNS


def _parenthetical_speaker(verb: Token) -> Token | None:
    """The noun right before a subjectless reporting verb that follows a comma ("..., the ministry said"),
    where the parser attached that noun elsewhere."""
    if verb.i == 0 or verb.dep_ not in ("parataxis", "conj", "ccomp", "advcl", "ROOT"):
        return None
    before = verb.doc[verb.i - 1]
    if before.pos_ not in ("NOUN", "PROPN") or before.dep_ in ("nsubj", "dobj"):
        return None
    start = before.left_edge.i
    return before if start > 0 and verb.doc[start - 1].text in (",", "”", '"') else None


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or that of the verb it is coordinated with ("he paused and added ...")."""
    for candidate in (verb, verb.head if verb.dep_ in ("conj", "xcomp") else None):
        if candidate is None:
            continue
        subject = next((c for c in reversed(list(candidate.lefts)) if c.dep_ in ("nsubj", "nsubjpass")), None)
        subject = subject or next((c for c in candidate.rights if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.dep_ == "nsubj":
            return subject
    return None


def _attribution(
    cue: _Cue,
    sentence: Span,
    quotes: list[tuple[int, int]],
    claimed: set[tuple[int, int]],
    knowledge: Knowledge,
    mentions: _Mentions,
) -> Attribution | None:
    speaker_tokens = _mention_tokens(cue.speaker)
    source = _source(speaker_tokens, knowledge, mentions)
    clause = None if cue.according else _clause(cue.token)
    governing = [cue.token.head] if cue.according else [clause] if clause is not None else []
    chain, citing_tokens = _chain([cue.token, cue.speaker, *governing], knowledge, mentions)
    if chain:
        cited = chain[-1]
        if cited.affiliation is None and source.kind in ("state_media", "government", "military"):
            cited = replace(cited, affiliation=source.affiliation)
        chain = [source, *chain[:-1], cited]
        source = cited
    excluded = {t.i for t in (*speaker_tokens, *_cue_tokens(cue), *citing_tokens)}
    quote = _quote_for(cue, clause, sentence, quotes, claimed)
    score = SCORE_QUOTE
    if quote is not None:
        start, end, direct = *quote, True
    else:
        content = _content_tokens(cue, clause, sentence, excluded)
        if not content:
            return None
        while len(content) > 1 and (content[0].is_punct or content[0].is_space or content[0].lower_ == "that"):
            content = content[1:]
        start, end = _trimmed(sentence.doc.text, content[0].idx, content[-1].idx + len(content[-1]))
        if end - start < 3:
            return None
        direct = False
        score = SCORE_ACCORDING if cue.according else SCORE_CLAUSE if clause is not None else SCORE_PARENTHETICAL
    score -= {"named": 0.0, "referred": PENALTY_RESOLVED, "unresolved": PENALTY_UNRESOLVED}[source.resolution]
    cue_text = "according to" if cue.according else cue.token.text
    return Attribution(start, end, cue_text, source, direct, round(score, 2), tuple(chain))


def _sentence_quotes(
    sentence: Span, quotes: list[tuple[int, int]], claimed: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Unclaimed quotations of three words or more (shorter ones are scare quotes) that touch the sentence."""
    text = sentence.doc.text
    return [
        q
        for q in quotes
        if q not in claimed
        and q[0] < sentence.end_char
        and q[1] > sentence.start_char
        and len(text[q[0] : q[1]].split()) >= 3
    ]


def _more_quotes(
    sentence: Span, quotes: list[tuple[int, int]], claimed: set[tuple[int, int]], attribution: Attribution
) -> list[tuple[int, int]]:
    """Other quotations in the attribution's sentence ("“A,” he said, “B.”"; "he said ...: “B.”")."""
    return [
        q for q in _sentence_quotes(sentence, quotes, claimed) if q[1] <= attribution.start or q[0] >= attribution.end
    ]


def _cue_tokens(cue: _Cue) -> list[Token]:
    if cue.according:
        return list(cue.token.subtree)
    return [cue.token, *(c for c in cue.token.children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "prt"))]


def _clause(verb: Token) -> Token | None:
    """The verb's clausal complement ("said [that the army withdrew]", "said in a statement [that ...]")."""
    citing = [c for c in verb.children if c.lemma_.lower() in ("cite", "quote")]
    for child in (c for head in (verb, *citing) for c in head.children):
        if child.dep_ == "ccomp":
            return child
    for obj in (g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"):
        for child in obj.children:
            if child.dep_ in ("ccomp", "acl") and any(m.dep_ == "mark" for m in child.children):
                return child
    return None


def _quote_for(
    cue: _Cue, clause: Token | None, sentence: Span, quotes: list[tuple[int, int]], claimed: set[tuple[int, int]]
) -> tuple[int, int] | None:
    """The nearest unclaimed quotation touching the cue's sentence; with a clause, only one that opens it."""
    candidates = _sentence_quotes(sentence, quotes, claimed)
    if clause is not None:
        clause_start = min(t.idx for t in clause.subtree)
        candidates = [q for q in candidates if q[0] <= clause_start + 2 < q[1] or _inside(clause_start, [q])]
    if not candidates:
        return None
    anchor = cue.token.idx
    return min(candidates, key=lambda q: min(abs(q[0] - anchor), abs(q[1] - anchor)))


def _content_tokens(cue: _Cue, clause: Token | None, sentence: Span, excluded: set[int]) -> list[Token]:
    """The tokens of the reported content: the verb's clause, else the sentence around the cue."""
    verb = cue.token
    if clause is not None:
        return [t for t in clause.subtree if t.i not in excluded and not (t.dep_ == "mark" and t.head == clause)]
    own_subject = any(c.dep_ == "nsubj" for c in verb.children)
    if cue.according or verb.dep_ in ("parataxis", "advcl", "ccomp") or (verb.dep_ == "conj" and own_subject):
        cue_side = {t.i for t in (verb.subtree if not cue.according else (cue.token, cue.token.nbor()))}
        rest = [t for t in sentence if t.i not in cue_side and t.i not in excluded]
        return _contiguous(rest, verb.i)
    speaker_start = min(excluded)
    before = [t for t in sentence if t.i < speaker_start and not t.is_punct and not t.is_space]
    if verb.dep_ == "ROOT" and len(before) >= 3:
        return before
    after = [t for t in sentence if t.i > verb.i and t.i not in excluded]
    if any(t.pos_ in ("VERB", "AUX") for t in after) and len(after) >= 3:
        return after
    return []


def _contiguous(tokens: list[Token], anchor: int) -> list[Token]:
    """The run of consecutive tokens right before the anchor ("X happened, according to Y, and ..."), if it
    has a few words, else the longest run."""
    runs: list[list[Token]] = []
    for token in tokens:
        if runs and token.i == runs[-1][-1].i + 1:
            runs[-1].append(token)
        else:
            runs.append([token])
    before = [run for run in runs if run[-1].i < anchor and len([t for t in run if not t.is_punct]) >= 4]
    if before:
        return before[-1]
    return max(runs, key=lambda run: sum(len(t) for t in run), default=[])


def _chain(heads: Sequence[Token], knowledge: Knowledge, mentions: _Mentions) -> tuple[list[Source], list[Token]]:
    """The sources cited by the cue ("..., citing a military source"), first to last, and the citing words."""
    chain: list[Source] = []
    words: list[Token] = []
    for token in (child for head in heads for child in head.children):
        if token.lemma_.lower() in ("cite", "quote") and token.dep_ in ("advcl", "xcomp", "conj", "dep", "acl"):
            obj = next((c for c in token.children if c.dep_ in ("dobj", "obj")), None)
            if obj is not None:
                chain.append(_source(_mention_tokens(obj), knowledge, mentions))
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


def _source(tokens: Sequence[Token] | Span, knowledge: Knowledge, mentions: _Mentions) -> Source:
    """Resolve a speaker mention to its canonical name, kind and affiliation."""
    tokens = list(tokens)
    doc = tokens[0].doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    written = doc.text[start:end]
    head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[-1])
    lower = head.lower_
    if len(tokens) == 1 and lower in PERSON_PRONOUNS | THING_PRONOUNS:
        wanted_person = lower in PERSON_PRONOUNS
        candidates = mentions.before(start, speakers_only=not wanted_person)
        antecedent = next((s for s in candidates if s.person == wanted_person and s.kind != "anonymous"), None)
        return _antecedent(written, start, end, antecedent)
    determiner = tokens[0].lower_ in ("the", "this", "that") and len(tokens) <= 3
    if determiner and (lower in STATEMENT_HEADS or lower not in knowledge.anonymous_heads):
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
    description = doc.text[described[0].idx : described[-1].idx + len(described[-1])]
    # The last named actor in the mention itself is the most specific ("the UN humanitarian office OCHA").
    actors = sorted(knowledge.actors_in(description), key=lambda found: (found[0].end > len(written), -found[0].end))
    named_actors = [(described[0].idx + m.start, described[0].idx + m.end) for m, _ in actors]
    persons = [
        e
        for e in doc.ents
        if e.label_ == "PERSON"
        and start <= e.start_char
        and e.end_char <= end
        and not any(a < e.end_char and e.start_char < b for a, b in named_actors)
    ]
    named = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c in tokens), None)
    if not persons and named is not None and head.pos_ != "PROPN":
        persons = [doc[named.left_edge.i : named.i + 1]]
    if len(tokens) == 1 and head.pos_ == "PROPN":  # a surname alone names the last speaker who bore it
        earlier = next((s for s in mentions.before(start) if s.person and s.canonical.split()[-1] == written), None)
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
        if token.ent_type_ == "GPE" or (token.ent_type_ != "PERSON" and _DEMONYM.fullmatch(token.text)):
            return country_from_name(token.text)
    owner = next((t for t in tokens if t.dep_ == "poss" and t.pos_ == "PROPN" and t.ent_type_ != "PERSON"), None)
    return owner.doc[owner.left_edge.i : owner.i + 1].text if owner is not None else None


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
    first = len(persons) - 1
    while first > 0 and persons[first].start == persons[first - 1].end:
        first -= 1
    doc = persons[-1].doc
    return re.sub(r"['’]s$", "", doc.text[persons[first].start_char : persons[-1].end_char].strip())


def _without_determiners(tokens: Sequence[Token]) -> str:
    """The mention without leading determiners and numbers; a trailing name after a description alone
    ("the state news agency VNA" -> "VNA")."""
    words = list(tokens)
    while words and (words[0].pos_ in ("DET", "NUM", "PRON") or words[0].dep_ in ("det", "predet", "nummod")):
        words = words[1:]
    name = len(words)
    while name > 0 and (words[name - 1].pos_ == "PROPN" or words[name - 1].ent_type_ in ("ORG", "PERSON")):
        name -= 1
    if 0 < name < len(words) and words[name - 1].pos_ == "NOUN" and not words[name - 1].ent_type_:
        words = words[name:]
    if not words:
        return tokens[-1].text
    return tokens[0].doc.text[words[0].idx : words[-1].idx + len(words[-1])]


def _continued_quotes(
    text: str, quotes: list[tuple[int, int]], claimed: set[tuple[int, int]], found: list[Attribution]
) -> Iterator[Attribution]:
    """A quotation standing alone after a direct quote goes on with the same speaker ("“A,” she said. “B.”"),
    when only the attribution's own sentence lies between them, within one paragraph."""
    for start, end in quotes:
        if (start, end) in claimed or len(text[start:end].split()) < 4:
            continue
        previous = max((a for a in found if a.direct and a.end <= start), key=lambda a: a.end, default=None)
        if previous is None or any(previous.end <= a.start < start for a in found):
            continue
        between = text[previous.end : start]
        if len(re.findall(r"[.!?](?=[\s”\"])", between)) > 1 or _PARAGRAPH_BREAK.search(between):
            continue
        yield replace(previous, start=start, end=end, cue="continued quote", score=SCORE_CONTINUED_QUOTE)


def _inside(offset: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def _finding(offset: int, a: Attribution) -> SourceFinding:
    return SourceFinding(
        label=a.source.kind,
        start=offset + a.start,
        end=offset + a.end,
        score=max(0.0, min(1.0, a.score)),
        attributes=SourceAttributes(
            cue=a.cue,
            source=a.source.written,
            canonical=a.source.canonical,
            speaker=TextSpan(start=offset + a.source.start, end=offset + a.source.end),
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
    counted = [s for s in listed if not (s.kind == "anonymous" and s.affiliation is None)]
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
    """Mentions of sides: known countries and armed groups, and sides only the sources named
    ("Valdoria" also as "Valdorian", "Kessel" as "Kesselite")."""
    matches = knowledge.countries_in(text)
    matches += [replace(m, value=a.affiliation) for m, a in knowledge.actors_in(text) if a.party and a.affiliation]
    for side in unknown_sides:
        matches += [Match(m.start(), m.end(), side) for m in re.finditer(rf"\b{re.escape(side)}\w*", text)]
    return matches


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
