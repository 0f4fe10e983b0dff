"""Reader comments: each comment's stance toward the article, with the sentence that shows it.

The stance model (`python -m slant.train.stance`) is a logistic regression over TF-IDF, the comment's mean state
in the shared encoder pass (`slant.encoder`, which reads each comment on its own) and how the comment relates to
what it answers (`comment_features`: the comment it replies to, else the page's title), trained on real replies
(RumourEval 2017 and 2019 train: support, deny, query, comment) and the comments written for slant (whose "adds
information" and "off topic" split RumourEval's neutral "comment"), run in numpy; it is retrained whenever the
technique model changes (`ModelMismatchError` says so). Its classes fold into slant's four stances (`fold`):
support -> supports; deny -> disputes; a query (a question asking whether it is so) -> disputes for the share
`query_disputes` and neutral for the rest; the neutral classes (comment, adds information, off topic) together ->
adds information or off topic, whichever of those two the model finds likelier (a question counting as on
topic). Supports and disputes are weighed by the model's per-stance `bias`; the share and the biases are chosen
on RumourEval dev ("disputes" is rare and decides the macro-F1). The likeliest stance wins and its weighed
probability is the score. A stance voiced in one sentence of a long comment wins only when that sentence is sure
of it (`SENTENCE_CONFIDENCE`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import ClassVar, NamedTuple

import numpy as np

from slant.analyzers import ENCODER, Layers, with_findings
from slant.encoder import HIDDEN, EncodedSegment, check_trained_over
from slant.ingest.sentences import split_sentences
from slant.model import CommentsSummary, Report, Segment, SegmentKind, Span, Stance
from slant.options import AnalysisOptions
from slant.text_classifier import LinearTextModel

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "stance" / "stance.json"
RETRAIN = "python -m slant.train.stance --data ../shared/data --out src/slant/models/stance/stance.json"
MAX_COMMENT_CHARS = 5000  # longer comments are classified on their first 5000 characters
#: The probability from which one sentence's support or dispute of the article decides a whole comment (lower bars
#: cost real replies: RumourEval dev 3-way 0.513 at 0.5, 0.538 at 0.7, 0.553 at 0.8, 0.562 with none).
SENTENCE_CONFIDENCE = 0.8
CLASSES = tuple(Stance)
#: The model's classes that are neutral: they fold into adds information or off topic together.
NEUTRAL = ("comment", "adds_information", "off_topic")
#: Word cues counted by `comment_features`: denial or doubt, agreement or confirmation, and a doubting question.
DENIAL = re.compile(
    r"\b(?:fake|false|not true|untrue|lie|lies|lying|liar|hoax|debunked|nonsense|bs|bullshit|crap|rubbish|propaganda|"
    r"rumou?rs?|unconfirmed|not confirmed|no proof|no evidence|doubt|wrong|myth|misleading|made up|not the case)\b"
    r"|\bno\b[,.!]",
    re.IGNORECASE,
)
AGREEMENT = re.compile(
    r"\b(?:confirm(?:ed|s)?|true|yes|indeed|exactly|right|agree|correct|official(?:ly)?|breaking)\b", re.I
)
DOUBTING_QUESTION = re.compile(
    r"\b(?:really|source|sources|proof|evidence|confirmed|true)\?|\bis (?:this|it|that) (?:true|real|confirmed)", re.I
)
FEATURES = HIDDEN + 10  # columns of `comment_features`
_WORD = re.compile(r"(?u)\b\w\w+\b")
_RELAYED = re.compile(r"^\W*(?:rt|mt)\b", re.IGNORECASE)  # a relayed (retweeted, modified-tweet) post


@cache
def stance_model() -> LinearTextModel:
    """The shipped stance model, loaded once per process."""
    return LinearTextModel.load(MODEL_PATH)


def answered(report: Report, segment: Segment) -> Segment | None:
    """What a comment answers: the comment it replies to, else the page's title (None without either)."""
    if segment.parent is not None:
        return report.segments[segment.parent]
    return next(iter(report.segments_of(SegmentKind.TITLE)), None)


def comment_features(
    report: Report, encoded: Mapping[int, EncodedSegment], segment: Segment, spans: Sequence[Span]
) -> np.ndarray:
    """The dense columns of the stance model for `spans` of a comment `segment` (the whole comment or its
    sentences), shape (len(spans), FEATURES): each span's mean encoder state, the share of its words that occur
    in what the comment answers (`answered`), the cosine of their mean states, whether it replies to another
    comment, whether it asks (a question mark), whether it relays a post ("RT", "MT"), how many `DENIAL` and
    `AGREEMENT` cues it holds, whether it asks a `DOUBTING_QUESTION`, and how many question and exclamation
    marks."""
    states = encoded[segment.start].pooled([(s.start - segment.start, s.end - segment.start) for s in spans])
    context = answered(report, segment)
    words, state = set(), np.zeros(states.shape[1])
    if context is not None:
        end = min(context.end, context.start + MAX_COMMENT_CHARS)
        words = set(_WORD.findall(report.text[context.start : end].lower()))
        state = encoded[context.start].pooled([(0, end - context.start)])[0]
    cosine = states @ state / (np.linalg.norm(states, axis=1) * np.linalg.norm(state) + 1e-9)
    pair = []
    for span in spans:
        text = report.segment_text(span)
        own = set(_WORD.findall(text.lower()))
        pair.append(
            [
                len(own & words) / max(1, len(own)),
                float(segment.parent is not None),
                float("?" in text),
                float(bool(_RELAYED.match(text))),
                len(DENIAL.findall(text)),
                len(AGREEMENT.findall(text)),
                float(bool(DOUBTING_QUESTION.search(text))),
                text.count("?"),
                text.count("!"),
            ]
        )
    return np.hstack([states, cosine[:, None], np.asarray(pair)])


def class_probabilities(model: LinearTextModel, comments: Sequence[str], features: np.ndarray) -> np.ndarray:
    """The model's class probabilities (n, classes) of the comments' texts and their `comment_features`."""
    logits = model.decision(comments, features)
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return probabilities


def stance_probabilities(model: LinearTextModel, comments: Sequence[str], features: np.ndarray) -> np.ndarray:
    """Scores (n, 4) of slant's stances, columns in `Stance` order (see `fold`), from the comments' texts and
    their `comment_features`."""
    probabilities = class_probabilities(model, comments, features)
    return fold(probabilities, model.classes, model.params["query_disputes"], model.params["bias"])


def fold(
    probabilities: np.ndarray, classes: Sequence[str], query_disputes: float, bias: Mapping[str, float]
) -> np.ndarray:
    """Slant's four stances from the model's class probabilities: supports is support; disputes is deny and the
    share `query_disputes` of query; the neutral classes (`NEUTRAL`) and the rest of query go wholly to adds
    information or off topic, whichever of those two classes is likelier (the rest of query counting as adds
    information: a question about what the comment answers is on topic). Supports and disputes are weighed by
    exp(`bias`) of their stance and the three renormalized, so that the likeliest weighed stance decides."""
    p = {name: probabilities[:, k] for k, name in enumerate(classes)}
    neutral = sum(p[name] for name in NEUTRAL) + (1 - query_disputes) * p["query"]
    informs = p["adds_information"] + (1 - query_disputes) * p["query"] >= p["off_topic"]
    out = np.stack(
        [
            p["support"] * np.exp(bias.get(Stance.SUPPORTS, 0.0)),
            (p["deny"] + query_disputes * p["query"]) * np.exp(bias.get(Stance.DISPUTES, 0.0)),
            np.where(informs, neutral, 0.0),
            np.where(informs, 0.0, neutral),
        ],
        axis=1,
    )
    weighed: np.ndarray = out / out.sum(axis=1, keepdims=True)
    return weighed


class CommentsAnalyzer:
    """Sets each comment segment's stance, score and evidence sentence; adds the `comments` section."""

    name: ClassVar[str] = "comments"
    reads: ClassVar[frozenset[str]] = frozenset({ENCODER})

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.model = stance_model()
        check_trained_over(self.model.params, "stance", RETRAIN)
        self.version = str(self.model.params["version"])

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Classify every comment (and each of its sentences) of the batch together, then attach stances."""
        comments = [
            _Comment(
                r, s, whole, [Span(start=a, end=b) for a, b in split_sentences(report.text, whole.start, whole.end)]
            )
            for r, report in enumerate(reports)
            for s, seg in enumerate(report.segments)
            if seg.kind == SegmentKind.COMMENT
            for whole in [Span(start=seg.start, end=min(seg.end, seg.start + MAX_COMMENT_CHARS))]
        ]
        texts = [reports[c.report].segment_text(span) for c in comments for span in c.spans]
        features = [
            comment_features(
                reports[c.report], layers.encoded[c.report], reports[c.report].segments[c.segment], c.spans
            )
            for c in comments
        ]
        probabilities = stance_probabilities(
            self.model, texts, np.concatenate(features) if features else np.zeros((0, FEATURES))
        )
        updates: dict[int, dict[int, Segment]] = {}
        row = 0
        for c in comments:
            block = probabilities[row : row + len(c.spans)]
            row += len(c.spans)
            updates.setdefault(c.report, {})[c.segment] = self._stanced(reports[c.report].segments[c.segment], c, block)
        return [self._with_stances(report, updates.get(r, {})) for r, report in enumerate(reports)]

    def _stanced(self, segment: Segment, comment: _Comment, block: np.ndarray) -> Segment:
        """The segment with the stance of the whole comment (row 0 of `block`) and the sentence showing it.

        A stance voiced in one sentence of a long comment (one line calling the article propaganda amid
        a rant) is kept: a sentence's supports/disputes probability outweighs the whole comment's
        reading when it is higher and the sentence is sure of it (`SENTENCE_CONFIDENCE`), since such verdicts
        on the article are what readers look for.
        """
        overall = block[0]
        label = int(overall.argmax())
        evaluative = [CLASSES.index(s) for s in (Stance.SUPPORTS, Stance.DISPUTES)]
        parts = comment.spans[1:]
        if parts:
            best_row, best_col = np.unravel_index(block[1:, evaluative].argmax(), (len(parts), 2))
            if block[1 + best_row, evaluative[best_col]] > max(overall[label], SENTENCE_CONFIDENCE):
                label = evaluative[best_col]
        evidence = parts[int(block[1:, label].argmax())] if parts else (comment.sentences or [comment.whole])[0]
        score = float(max(overall[label], block[1:, label].max() if parts else 0.0))
        return segment.model_copy(
            update={"stance": CLASSES[label], "stance_score": round(score, 4), "stance_evidence": evidence}
        )

    def _with_stances(self, report: Report, updated: dict[int, Segment]) -> Report:
        segments = tuple(updated.get(i, seg) for i, seg in enumerate(report.segments))
        stances = Counter(seg.stance for seg in updated.values() if seg.stance)
        summary = CommentsSummary(total=len(updated), stances={s: stances[s] for s in Stance})
        return with_findings(report.model_copy(update={"segments": segments}), (), section="comments", summary=summary)


class _Comment(NamedTuple):
    """One comment to classify: where it is, its (bounded) span, and its sentences."""

    report: int
    segment: int
    whole: Span
    sentences: list[Span]

    @property
    def spans(self) -> list[Span]:
        """What is classified: the whole comment, then each sentence when it has several."""
        return [self.whole, *self.sentences] if len(self.sentences) > 1 else [self.whole]
