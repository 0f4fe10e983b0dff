"""Reader comments: each comment's stance toward the article, with the sentence that shows it.

The stance model is a multinomial logistic regression over TF-IDF features (word uni/bigrams,
character n-grams inside words, and a few cue features), trained by `python -m slant.train.stance`
on `bench/data/stance/comments.jsonl` and shipped as plain JSON (vocabulary, idf, coefficients):
inference here is numpy only. `features` is the one tokenizer, used at training time as the
vectorizer's analyzer, so training and runtime cannot drift apart.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar, NamedTuple

import numpy as np

from slant.analyzers import Layers, with_findings
from slant.ingest.sentences import split_sentences
from slant.model import CommentsSummary, Report, Segment, SegmentKind, Span, Stance
from slant.options import AnalysisOptions

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "stance" / "stance.json"
CHAR_NGRAMS = range(3, 6)
MAX_COMMENT_CHARS = 5000  # longer comments are classified on their first 5000 characters

_WORD = re.compile(r"(?u)\b\w\w+\b")
_MENTION = re.compile(r"(?:^|\s)@\w+")
_CONTENT_WORD = re.compile(r"[a-z]{4,}")


def features(comment: str, title: str | None = None) -> list[str]:
    """The feature terms of a comment (optionally in the context of the article title).

    Word uni/bigrams (`w:`), character 3-5-grams inside words (`c:`) and cue features (`f:`) such as
    digits, an @reply, shouting, questions, and words shared with the title.
    """
    raw = " ".join(comment.split())
    text = raw.lower()
    words = _WORD.findall(text)
    terms = [f"w:{w}" for w in words] + [f"w:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for word in text.split():
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            terms += [f"c:{padded[i : i + n]}" for i in range(max(1, len(padded) - n + 1))]
    letters = [c for c in raw if c.isalpha()]
    cues = {
        "f:digit": any(c.isdigit() for c in raw),
        "f:reply": bool(_MENTION.search(raw)),
        "f:caps": len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters),
        "f:question": "?" in raw,
        "f:exclaim": "!" in raw,
        "f:short": len(words) <= 4,
        "f:long": len(words) >= 40,
    }
    if title:
        shared = set(_CONTENT_WORD.findall(title.lower())) & set(_CONTENT_WORD.findall(text))
        cues["f:title_overlap"] = bool(shared)
    return terms + [name for name, on in cues.items() if on]


@dataclass(frozen=True)
class StanceModel:
    """TF-IDF + multinomial logistic regression, in numpy."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray
    classes: tuple[Stance, ...]
    sublinear_tf: bool

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> StanceModel:
        """Read the JSON export written by `slant.train.stance`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            vocabulary={term: i for i, term in enumerate(data["terms"])},
            idf=np.asarray(data["idf"], dtype=np.float64),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=np.asarray(data["intercept"], dtype=np.float64),
            classes=tuple(Stance(c) for c in data["classes"]),
            sublinear_tf=bool(data["sublinear_tf"]),
        )

    def _row(self, comment: str, title: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Feature indices and L2-normalized TF-IDF weights of one (comment, title) pair, as sklearn makes them."""
        counts = Counter(t for t in features(comment, title) if t in self.vocabulary)
        indices = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        weights = (1.0 + np.log(tf) if self.sublinear_tf else tf) * self.idf[indices]
        norm = np.linalg.norm(weights)
        return indices, weights / norm if norm else weights

    def probabilities(self, items: Sequence[tuple[str, str | None]]) -> np.ndarray:
        """Class probabilities (rows sum to 1, columns in `classes` order), one sparse row at a time."""
        logits = np.tile(self.intercept, (len(items), 1))
        for row, (comment, title) in enumerate(items):
            indices, weights = self._row(comment, title)
            logits[row] += self.coef[:, indices] @ weights
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


@cache
def stance_model() -> StanceModel:
    """The shipped stance model, loaded once per process."""
    return StanceModel.load()


class CommentsAnalyzer:
    """Sets each comment segment's stance, score and evidence sentence; adds the `comments` section."""

    name: ClassVar[str] = "comments"
    reads: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.model = stance_model()
        self.version = f"stance-logreg-{len(self.model.vocabulary)}"

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
        titles = [_title(report) for report in reports]
        items = [(reports[c.report].segment_text(span), titles[c.report]) for c in comments for span in c.spans]
        probabilities = self.model.probabilities(items)
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
        reading when it is higher, since such verdicts on the article are what readers look for.
        """
        overall = block[0]
        label = int(overall.argmax())
        evaluative = [self.model.classes.index(s) for s in (Stance.SUPPORTS, Stance.DISPUTES)]
        parts = comment.sentences
        if len(parts) > 1:
            best_row, best_col = np.unravel_index(block[1:, evaluative].argmax(), (len(parts), 2))
            if block[1 + best_row, evaluative[best_col]] > overall[label]:
                label = evaluative[best_col]
        evidence = parts[int(block[1:, label].argmax())] if parts else comment.whole
        score = float(max(overall[label], block[1:, label].max() if parts else 0.0))
        return segment.model_copy(
            update={"stance": self.model.classes[label], "stance_score": round(score, 4), "stance_evidence": evidence}
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
        """What is classified: the whole comment, then each sentence."""
        return [self.whole, *self.sentences]


def _title(report: Report) -> str | None:
    """The article title: the metadata's, else the first title segment's text."""
    if report.metadata.title:
        return report.metadata.title
    titles = report.segments_of(SegmentKind.TITLE)
    return report.segment_text(titles[0]).strip() if titles else None
