"""Claims: the check-worthy factual assertions of an article and its comments.

A sentence is a claim when a linear model trained on real check-worthiness data (CLEF CheckThat! 2024,
ClaimBuster-derived political debate sentences; `python -m slant.train.claims`) scores it at or above its
threshold; its score is that probability. The model reads the sentence's words (TF-IDF), a few cues (numbers,
units, comparisons, first-person intent, questions: `CUES`) and its mean state in the shared encoder pass
(`slant.encoder`: the technique model's MiniLM, which the pipeline runs anyway), so it must be retrained
whenever that model changes (`ModelMismatchError` says so). On top of the model, the parse says what kind of
claim it is (casualty or other figure, cause, comparison, dated event, or a plain statement), which numbers it
states, whether it is attributed to a source (a sourcing finding on it, or a cue such as "according to") and
whether it is hedged ("reportedly", "may").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import ClassVar, NamedTuple

import numpy as np
from spacy.tokens import Span

from slant.analyzers import ENCODER, PARSE, Layers, with_findings
from slant.encoder import HIDDEN, EncodedSegment, check_trained_over
from slant.lexicons import PhraseIndex, claim_cues
from slant.model import ARTICLE_KINDS, ClaimAttributes, ClaimFinding, ClaimsSummary, Report, SourceFinding
from slant.options import AnalysisOptions
from slant.parse import ParsedSentence, by_segment
from slant.techniques.spans import sigmoid
from slant.text_classifier import LinearTextModel

NUMERIC_ENTITIES = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"})
TIME_ENTITIES = frozenset({"DATE", "TIME"})
ACTOR_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
SPELLED_SMALL = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})

#: Claim types, most specific first; a check-worthy sentence of none of these kinds is a "statement".
CLAIM_TYPES = ("casualties", "quantity", "causal", "comparison", "event")
MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "claims" / "claims.json"
RETRAIN = "python -m slant.train.claims --data ../shared/data --out src/slant/models/claims/claims.json"
#: Sentence cues the model reads beside its words and states, each a 0/1 column, in this order: a digit, a number
#: with a unit, money, a year, comparison, first-person intent or opinion, personal pronouns, a question, a
#: conversational opening, policy topics, assertion verbs, absolutes. A cue is a pattern, or a set of words of
#: which one must occur as a whole word (as `\b(?:a|b)\b` would find, but one word split per sentence for all).
CUES: tuple[re.Pattern[str] | frozenset[str], ...] = (
    re.compile(r"\d"),
    re.compile(
        r"\b\d[\d,.]*\s*(?:%|percent|million|billion|trillion|thousand|dollars?|people|jobs|years?)\b", re.IGNORECASE
    ),
    re.compile(r"\$\s?\d"),
    re.compile(r"\b(?:19|20)\d\d\b"),
    frozenset({"more", "less", "fewer", "higher", "lower", "most", "least", "largest", "biggest", "than"}),
    re.compile(r"\b(?:i|we)\s+(?:will|would|'ll|am going to|are going to|want|think|believe|feel)\b", re.IGNORECASE),
    frozenset({"i", "we", "you"}),
    re.compile(r"\?"),
    re.compile(r"^\W*(?:thank|well|yes|no|oh|okay|ok|and|but|so)\b", re.IGNORECASE),
    frozenset({"tax", "taxes", "jobs", "percent", "budget", "deficit", "debt", "crime", "unemployment"}),
    frozenset({"has", "have", "had", "was", "were", "is", "are"}),
    re.compile(r"\b(?:never|always|every|all|nobody|no one)\b", re.IGNORECASE),
)
_WORDS = re.compile(r"\w+")
SHORT_WORDS = 6  # fewer words than this: a fragment (a column of its own)
_DURATION = re.compile(
    r"\b(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|dozens|hundreds)\s+"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b",
    re.IGNORECASE,
)


class ClaimFeatures(NamedTuple):
    """What kind of claim one sentence makes (the most specific of `CLAIM_TYPES`, else "statement"), and the
    numbers it states."""

    type: str
    numbers: tuple[str, ...]


def sentence_features(sentence: Span) -> ClaimFeatures:
    """The claim type and numbers of one parsed sentence (one pass over its tokens; cue lists only as needed)."""
    cues = claim_cues()
    numbers = tuple(_quantity_text(ent) for ent in sentence.ents if _is_quantity(ent))
    labels = {ent.label_ for ent in sentence.ents}
    dated, has_entity = bool(labels & TIME_ENTITIES), bool(labels & ACTOR_ENTITIES)
    tokens = [(t.tag_, t.pos_ == "VERB", t.lower_) for t in sentence]
    tags = {tag for tag, _, _ in tokens}
    comparative = bool(tags & {"JJS", "RBS"}) or (bool(tags & {"JJR", "RBR"}) and any(w == "than" for *_, w in tokens))
    tests = {
        "casualties": lambda: bool(numbers) and cues.casualty.contains(sentence),
        "quantity": lambda: bool(numbers),
        "causal": lambda: cues.causal.contains(sentence),
        "comparison": lambda: (
            comparative and (bool(numbers) or has_entity or dated) and cues.comparison.contains(sentence)
        ),
        "event": lambda: (has_entity or dated) and any(tag in ("VBD", "VBN") and verb for tag, verb, _ in tokens),
    }
    return ClaimFeatures(next((kind for kind in CLAIM_TYPES if tests[kind]()), "statement"), numbers)


@cache
def claims_model() -> LinearTextModel:
    """The shipped check-worthiness model, loaded once per process."""
    return LinearTextModel.load(MODEL_PATH)


def dense_features(texts: Sequence[str], states: np.ndarray) -> np.ndarray:
    """What the model reads beside the words: each sentence's encoder states, its `CUES`, log(1 + words) and
    whether it is a fragment, shape (n, HIDDEN + len(CUES) + 2)."""
    cues = []
    for text in texts:
        words = set(_WORDS.findall(text.lower()))
        found = [not words.isdisjoint(c) if isinstance(c, frozenset) else c.search(text) is not None for c in CUES]
        cues.append([*map(float, found), np.log1p(n := len(text.split())), float(n < SHORT_WORDS)])
    return np.hstack([states, np.asarray(cues, dtype=np.float64).reshape(len(texts), len(CUES) + 2)])


def sentence_states(
    parses: Sequence[Sequence[ParsedSentence]], encoded: Sequence[Mapping[int, EncodedSegment]], texts: Sequence[str]
) -> np.ndarray:
    """The mean encoder state of every parsed sentence of every report (`texts`: their texts, in the same order),
    shape (sentences, HIDDEN)."""
    lengths = iter(map(len, texts))
    blocks = [
        segments[start].pooled([(p.start - start, p.start - start + next(lengths)) for p in group])
        for sentences, segments in zip(parses, encoded, strict=True)
        for start, group in by_segment(sentences).items()  # segments in text order, so sentences stay in order
    ]
    return np.concatenate(blocks) if blocks else np.zeros((0, HIDDEN), dtype=np.float32)


class ClaimsAnalyzer:
    """Finds check-worthy claims in the title, body and comments; summarizes those of the article."""

    name: ClassVar[str] = "claims"
    reads: ClassVar[frozenset[str]] = frozenset({PARSE, ENCODER, "sourcing"})

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.cues = claim_cues()
        self.model = claims_model()
        check_trained_over(self.model.params, "claims", RETRAIN)
        self.threshold = float(self.model.params["threshold"])
        self.version = str(self.model.params["version"])

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Add claim findings and the `claims` summary section to each report (one model call for the batch)."""
        texts = [parsed.doc.text for sentences in layers.parses for parsed in sentences]
        states = sentence_states(layers.parses, layers.encoded, texts)
        logits = self.model.decision(texts, dense_features(texts, states))[:, 0]
        bounds = np.cumsum([0, *(len(sentences) for sentences in layers.parses)])
        return [
            self._analyze_one(report, sentences, logits[first:last])
            for report, sentences, first, last in zip(reports, layers.parses, bounds[:-1], bounds[1:], strict=True)
        ]

    def _analyze_one(self, report: Report, sentences: Sequence[ParsedSentence], logits: np.ndarray) -> Report:
        sources = _Sources.of(report)
        findings = [
            self._claim(parsed, float(logit), sources, report)
            for parsed, logit in zip(sentences, logits, strict=True)
            if logit >= self.threshold
        ]
        article = [f for f in findings if f.attributes.segment in ARTICLE_KINDS]
        attributed = sum(f.attributes.attributed for f in article)
        summary = ClaimsSummary(
            total=len(article),
            attributed=attributed,
            unattributed=len(article) - attributed,
            hedged=sum(f.attributes.hedged for f in article),
        )
        return with_findings(report, findings, section="claims", summary=summary)

    def _claim(self, parsed: ParsedSentence, logit: float, sources: _Sources, report: Report) -> ClaimFinding:
        sentence = parsed.doc[:]
        features = sentence_features(sentence)
        start, end = parsed.start, parsed.start + len(parsed.doc.text)
        source = _overlapping_source(report, sources, start, end)
        return ClaimFinding(
            start=start,
            end=end,
            score=round(float(sigmoid(np.array(logit))), 4),
            attributes=ClaimAttributes(
                type=features.type,
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


class _Sources(NamedTuple):
    """A report's sourcing findings in text order, the start of each and the furthest end up to each: the ones
    overlapping a span are found by bisection, not by a scan of all (which made a long text's claims quadratic)."""

    findings: list[SourceFinding]
    starts: list[int]
    reach: list[int]

    @classmethod
    def of(cls, report: Report) -> _Sources:
        findings = report.findings_of(SourceFinding)
        return cls(findings, [f.start for f in findings], list(accumulate((f.end for f in findings), max)))

    def overlapping(self, start: int, end: int) -> list[SourceFinding]:
        """The findings overlapping `[start, end)`, in text order."""
        first, last = bisect_right(self.reach, start), bisect_left(self.starts, end)
        return [f for f in self.findings[first:last] if start < f.end]


def _overlapping_source(report: Report, sources: _Sources, start: int, end: int) -> str | None:
    """The canonical name of the sourcing finding that overlaps the claim most, if any."""
    overlaps = [(min(end, f.end) - max(start, f.start), f) for f in sources.overlapping(start, end)]
    if not overlaps:
        return None
    best = max(overlaps, key=lambda pair: pair[0])[1]
    return best.attributes.canonical or report.text[best.start : best.end]
