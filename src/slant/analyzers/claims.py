"""Claims: the check-worthy factual assertions of an article and its comments.

A sentence is a claim when it asserts something a fact-checker could verify: a quantity or casualty
figure, a dated event, a cause, or a comparison. Its check-worthiness score is a ClaimBuster-style sum
of rule-based features (numbers, named entities, claim type) minus signs of opinion (first or second
person, questions). Each claim says whether it is attributed to a source (a sourcing finding on it, or
an attribution cue such as "according to") and whether it is hedged ("reportedly", "may").
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import ClassVar, NamedTuple

from spacy.tokens import Doc, Span

from slant.analyzers import AnalysisOptions, with_findings
from slant.ingest.sentences import split_sentences
from slant.lexicons import PhraseIndex, actor_aliases, claim_cues
from slant.model import Finding, Report, Segment, SegmentKind
from slant.nlp import english

#: Segments whose content is analyzed (comments are analyzed like the body).
CONTENT_KINDS = (SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.COMMENT)
#: Segments that make up the article itself, for article-level summaries.
ARTICLE_KINDS = (SegmentKind.TITLE, SegmentKind.BODY)

NUMERIC_ENTITIES = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"})
TIME_ENTITIES = frozenset({"DATE", "TIME"})
ACTOR_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
OPINION_WORDS = frozenset({"i", "we", "you", "my", "our", "your", "me", "us", "think", "feel", "should", "must"})
SPELLED_SMALL = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})

#: Base check-worthiness of each claim type, most specific first.
TYPE_WEIGHTS = {"casualties": 0.75, "quantity": 0.6, "causal": 0.5, "comparison": 0.5, "event": 0.35}
MIN_SCORE = 0.3
#: Sentence parses kept for reuse by the next analyzer (a batch of 16 articles is about 1,000 sentences).
MAX_RECENT_PARSES = 4096
_RECENT_PARSES: OrderedDict[str, Doc] = OrderedDict()
_PARSES_LOCK = threading.Lock()

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_DURATION = re.compile(
    r"\b(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds)\s+"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b",
    re.IGNORECASE,
)
_WHITESPACE = re.compile(r"\s")
_MID_SENTENCE_CAPITAL = re.compile(r"\b[a-z][a-z'’-]*,? ([A-Z][\w'’-]*)")


class ParsedSentence(NamedTuple):
    """One sentence of a segment and its spaCy parse; `start + token.idx` is the offset in the report."""

    segment: Segment
    start: int
    doc: Doc


class ClaimFeatures(NamedTuple):
    """What makes one sentence check-worthy."""

    types: tuple[str, ...]
    numbers: tuple[str, ...]
    has_entity: bool
    dated: bool
    opinion: bool
    question: bool
    n_tokens: int


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


def parse_sentences(
    reports: Sequence[Report], kinds: Sequence[SegmentKind], aliases: Mapping[str, str]
) -> list[list[ParsedSentence]]:
    """Split the segments of `kinds` into sentences (rejoining hard-wrapped lines) and parse them all in one
    `nlp.pipe` pass, on text with line breaks made spaces and headlines sentence-cased (offsets kept)."""
    sentences = [
        [(segment, start, end) for segment in report.segments_of(*kinds) for start, end in
         split_sentences(report.text, segment.start, segment.end)]
        for report in reports
    ]
    names = [proper_names(report.text) | aliases.keys() for report in reports]
    texts = (
        sentence_case(_WHITESPACE.sub(" ", report.text[start:end]), own_names)
        for report, own, own_names in zip(reports, sentences, names, strict=True)
        for _, start, end in own
    )
    docs = iter(_parsed(list(texts)))
    return [[ParsedSentence(segment, start, next(docs)) for segment, start, _ in own] for own in sentences]


def forget_parses() -> None:
    """Drop the kept sentence parses (benchmarks call this so that repeated articles are parsed again)."""
    with _PARSES_LOCK:
        _RECENT_PARSES.clear()


def _parsed(texts: list[str]) -> list[Doc]:
    """spaCy parses of `texts`, in one `nlp.pipe` pass over those not parsed recently: claims and framing
    read the same sentences, and a sentence's parse depends on its text alone. Safe across threads."""
    with _PARSES_LOCK:
        found = {t: doc for t in texts if (doc := _RECENT_PARSES.get(t)) is not None}
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    found.update(zip(missing, english().pipe(missing, batch_size=256), strict=True))
    with _PARSES_LOCK:
        for text in texts:
            _RECENT_PARSES[text] = found[text]
            _RECENT_PARSES.move_to_end(text)
        while len(_RECENT_PARSES) > MAX_RECENT_PARSES:
            _RECENT_PARSES.popitem(last=False)
    return [found[t] for t in texts]


def sentence_features(sentence: Span) -> ClaimFeatures:
    """The check-worthiness features of one parsed sentence."""
    cues = claim_cues()
    numbers = tuple(_quantity_text(ent) for ent in sentence.ents if _is_quantity(ent))
    dated = any(ent.label_ in TIME_ENTITIES for ent in sentence.ents)
    has_entity = any(ent.label_ in ACTOR_ENTITIES for ent in sentence.ents)
    past_tense = any(t.tag_ in ("VBD", "VBN") and t.pos_ == "VERB" for t in sentence)
    comparative = any(t.tag_ in ("JJS", "RBS") for t in sentence) or (
        any(t.tag_ in ("JJR", "RBR") for t in sentence) and any(t.lower_ == "than" for t in sentence)
    )
    candidates = {
        "casualties": bool(numbers) and cues.casualty.contains(sentence),
        "quantity": bool(numbers),
        "causal": cues.causal.contains(sentence),
        "comparison": comparative and (bool(numbers) or has_entity or dated) and cues.comparison.contains(sentence),
        "event": past_tense and (has_entity or dated),
    }
    return ClaimFeatures(
        types=tuple(kind for kind in TYPE_WEIGHTS if candidates[kind]),
        numbers=numbers,
        has_entity=has_entity,
        dated=dated,
        opinion=any(t.lower_ in OPINION_WORDS for t in sentence),
        question=sentence.text.rstrip().endswith("?"),
        n_tokens=sum(not t.is_punct and not t.is_space for t in sentence),
    )


def check_worthiness(features: ClaimFeatures) -> float:
    """A score in [0, 1]: how much a fact-checker should look at the sentence (0 when it asserts nothing)."""
    if not features.types:
        return 0.0
    score = TYPE_WEIGHTS[features.types[0]]
    score += 0.1 * min(len(features.types) - 1, 2)
    score += 0.1 * features.has_entity + 0.1 * features.dated
    score -= 0.25 * features.question + 0.2 * features.opinion + 0.15 * (features.n_tokens < 6)
    return round(min(max(score, 0.0), 1.0), 3)


class ClaimsAnalyzer:
    """Finds check-worthy claims in the title, body and comments; summarizes those of the article."""

    name: ClassVar[str] = "claims"
    version = "1"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.cues = claim_cues()
        self.aliases = actor_aliases(options.actors_file)

    def analyze(self, reports: Sequence[Report]) -> list[Report]:
        """Add claim findings and the `claims` summary section to each report."""
        parsed = parse_sentences(reports, CONTENT_KINDS, self.aliases)
        return [self._analyze_one(report, sentences) for report, sentences in zip(reports, parsed, strict=True)]

    def _analyze_one(self, report: Report, sentences: list[ParsedSentence]) -> Report:
        sources = report.findings_of("sourcing")
        findings = [claim for parsed in sentences if (claim := self._claim(parsed, sources, report)) is not None]
        article = [f for f in findings if f.attributes["segment"] in ARTICLE_KINDS]
        attributed = sum(f.attributes["attributed"] for f in article)
        summary = {
            "total": len(article),
            "attributed": attributed,
            "unattributed": len(article) - attributed,
            "hedged": sum(f.attributes["hedged"] for f in article),
        }
        return with_findings(report, findings, section="claims", summary=summary)

    def _claim(self, parsed: ParsedSentence, sources: list[Finding], report: Report) -> Finding | None:
        sentence = parsed.doc[:]
        features = sentence_features(sentence)
        score = check_worthiness(features)
        if score < MIN_SCORE:
            return None
        start, end = parsed.start, parsed.start + len(parsed.doc.text)
        source = _overlapping_source(report, sources, start, end)
        return Finding(
            analyzer=self.name,
            label="claim",
            start=start,
            end=end,
            score=score,
            attributes={
                "type": features.types[0],
                "numbers": list(features.numbers),
                "attributed": source is not None or self.cues.attribution.contains(sentence),
                "source": source,
                "hedged": _has_cue(self.cues.hedge, sentence),
                "segment": str(parsed.segment.kind),
            },
        )


def _is_quantity(ent: Span) -> bool:
    """Digits or a spelled number counting a noun ("one" is too often idiom to count), or a duration."""
    if ent.label_ in TIME_ENTITIES:
        return _DURATION.search(ent.text) is not None
    if ent.label_ not in NUMERIC_ENTITIES or ent.text.lower() == "one":
        return False
    return ent.text.lower() not in SPELLED_SMALL or ent.root.dep_ == "nummod"


def _quantity_text(ent: Span) -> str:
    """The number as written, with the noun it counts when that follows it ("over 3,000 buildings")."""
    head = ent.root.head
    if ent.root.dep_ == "nummod" and head.i == ent.end:
        return ent.doc[ent.start : head.i + 1].text
    return ent.text


def _has_cue(index: PhraseIndex[str], sentence: Span) -> bool:
    """Whether a cue occurs, ignoring one-word matches that are proper nouns ("May" the month)."""
    return any(len(match) > 1 or match[0].pos_ != "PROPN" for match, _ in index.find(sentence))


def _overlapping_source(report: Report, sources: list[Finding], start: int, end: int) -> str | None:
    """The canonical name of the sourcing finding that overlaps the claim most, if any."""
    overlaps = [(min(end, f.end) - max(start, f.start), f) for f in sources if f.start < end and start < f.end]
    if not overlaps:
        return None
    best = max(overlaps, key=lambda pair: pair[0])[1]
    return str(best.attributes.get("canonical") or report.text[best.start : best.end])
