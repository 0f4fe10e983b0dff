"""Claims: the check-worthy factual assertions of an article and its comments.

A sentence is a claim when it asserts something a fact-checker could verify: a quantity or casualty
figure, a dated event, a cause, or a comparison. Its check-worthiness score is a ClaimBuster-style sum
of rule-based features (numbers, named entities, claim type) minus signs of opinion (first or second
person, questions). Each claim says whether it is attributed to a source (a sourcing finding on it, or
an attribution cue such as "according to") and whether it is hedged ("reportedly", "may").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from spacy.tokens import Span

from slant.analyzers import PARSE, Layers, with_findings
from slant.lexicons import PhraseIndex, claim_cues
from slant.model import ARTICLE_KINDS, ClaimAttributes, ClaimFinding, ClaimsSummary, Report, SourceFinding
from slant.options import AnalysisOptions
from slant.parse import ParsedSentence

NUMERIC_ENTITIES = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"})
TIME_ENTITIES = frozenset({"DATE", "TIME"})
ACTOR_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
OPINION_WORDS = frozenset({"i", "we", "you", "my", "our", "your", "me", "us", "think", "feel", "should", "must"})
SPELLED_SMALL = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})

#: Base check-worthiness of each claim type, most specific first.
TYPE_WEIGHTS = {"casualties": 0.75, "quantity": 0.6, "causal": 0.5, "comparison": 0.5, "event": 0.35}
MIN_SCORE = 0.3
_DURATION = re.compile(
    r"\b(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds)\s+"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b",
    re.IGNORECASE,
)


class ClaimFeatures(NamedTuple):
    """What makes one sentence check-worthy."""

    types: tuple[str, ...]
    numbers: tuple[str, ...]
    has_entity: bool
    dated: bool
    opinion: bool
    question: bool
    n_tokens: int


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
    reads: ClassVar[frozenset[str]] = frozenset({PARSE, "sourcing"})
    version = "1"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.cues = claim_cues()

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Add claim findings and the `claims` summary section to each report."""
        return [self._analyze_one(report, sentences) for report, sentences in zip(reports, layers.parses, strict=True)]

    def _analyze_one(self, report: Report, sentences: Sequence[ParsedSentence]) -> Report:
        sources = report.findings_of(SourceFinding)
        findings = [claim for parsed in sentences if (claim := self._claim(parsed, sources, report)) is not None]
        article = [f for f in findings if f.attributes.segment in ARTICLE_KINDS]
        attributed = sum(f.attributes.attributed for f in article)
        summary = ClaimsSummary(
            total=len(article),
            attributed=attributed,
            unattributed=len(article) - attributed,
            hedged=sum(f.attributes.hedged for f in article),
        )
        return with_findings(report, findings, section="claims", summary=summary)

    def _claim(self, parsed: ParsedSentence, sources: list[SourceFinding], report: Report) -> ClaimFinding | None:
        sentence = parsed.doc[:]
        features = sentence_features(sentence)
        score = check_worthiness(features)
        if score < MIN_SCORE:
            return None
        start, end = parsed.start, parsed.start + len(parsed.doc.text)
        source = _overlapping_source(report, sources, start, end)
        return ClaimFinding(
            start=start,
            end=end,
            score=score,
            attributes=ClaimAttributes(
                type=features.types[0],
                numbers=list(features.numbers),
                attributed=source is not None or self.cues.attribution.contains(sentence),
                source=source,
                hedged=_has_cue(self.cues.hedge, sentence),
                segment=parsed.segment.kind,
            ),
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


def _overlapping_source(report: Report, sources: list[SourceFinding], start: int, end: int) -> str | None:
    """The canonical name of the sourcing finding that overlaps the claim most, if any."""
    overlaps = [(min(end, f.end) - max(start, f.start), f) for f in sources if f.start < end and start < f.end]
    if not overlaps:
        return None
    best = max(overlaps, key=lambda pair: pair[0])[1]
    return best.attributes.canonical or report.text[best.start : best.end]
