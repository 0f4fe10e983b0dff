"""Reader comments: each comment's stance toward the article, with the sentence that shows it.

The stance comes from a MiniLM model (`slant.stance_model`) fine-tuned on real replies (RumourEval 2017
and 2019) and the comments written for slant. It reads each comment together with
what it answers, as a sentence pair: the article's title and lead, plus the parent comment for a reply.
Its five outputs map to slant's four stances: support -> supports; deny and query -> disputes (a question
that doubts the article disputes it); adding information and off topic as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import ClassVar, NamedTuple

import numpy as np

from slant.analyzers import Layers, with_findings
from slant.ingest.sentences import split_sentences
from slant.model import CommentsSummary, Report, Segment, SegmentKind, Span, Stance
from slant.options import AnalysisOptions
from slant.stance_model import STANCES, StanceModel

MAX_COMMENT_CHARS = 5000  # longer comments are classified on their first 5000 characters
MAX_CONTEXT_CHARS = 400  # of the lead and of a parent comment
#: The model's stance outputs -> slant's stance.
STANCE_OF = {
    "support": Stance.SUPPORTS,
    "deny": Stance.DISPUTES,
    "query": Stance.DISPUTES,
    "adds_information": Stance.ADDS_INFORMATION,
    "off_topic": Stance.OFF_TOPIC,
}
CLASSES = tuple(Stance)
_TO_CLASSES = np.array([[STANCE_OF[s] == c for c in CLASSES] for s in STANCES], dtype=np.float32)


@cache
def stance_model(threads: int) -> StanceModel:
    """The shipped stance model, loaded once per process and thread count."""
    return StanceModel(threads=threads)


def stance_probabilities(model: StanceModel, comments: Sequence[str], contexts: Sequence[str | None]) -> np.ndarray:
    """Probabilities (n, 4) of slant's stances, columns in `Stance` order."""
    return model.stances(comments, contexts) @ _TO_CLASSES


class CommentsAnalyzer:
    """Sets each comment segment's stance, score and evidence sentence; adds the `comments` section."""

    name: ClassVar[str] = "comments"
    reads: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.model = stance_model(options.threads)
        self.version = self.model.params.version

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
        contexts = [_context(reports[c.report], c.segment) for c in comments]
        texts = [reports[c.report].segment_text(span) for c in comments for span in c.spans]
        # the whole comment is read with its context; its sentences alone (shorter, so cheaper)
        paired = [
            context if i == 0 else None
            for c, context in zip(comments, contexts, strict=True)
            for i in range(len(c.spans))
        ]
        probabilities = stance_probabilities(self.model, texts, paired)
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
        evaluative = [CLASSES.index(s) for s in (Stance.SUPPORTS, Stance.DISPUTES)]
        parts = comment.spans[1:]
        if parts:
            best_row, best_col = np.unravel_index(block[1:, evaluative].argmax(), (len(parts), 2))
            if block[1 + best_row, evaluative[best_col]] > overall[label]:
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


def _context(report: Report, index: int) -> str | None:
    """What a comment answers: the article's title and lead (its first body sentence), and the parent
    comment on a new line when it replies to one."""
    titles = report.segments_of(SegmentKind.TITLE)
    parts = [report.metadata.title or (report.segment_text(titles[0]) if titles else "")]
    bodies = report.segments_of(SegmentKind.BODY)
    if bodies and (lead := next(iter(split_sentences(report.text, bodies[0].start, bodies[0].end)), None)):
        parts.append(report.text[lead[0] : lead[1]][:MAX_CONTEXT_CHARS])
    article = " ".join(" ".join(parts).split())
    parent = report.segments[index].parent
    if parent is not None and report.segments[parent].kind == SegmentKind.COMMENT:
        reply_to = " ".join(report.segment_text(report.segments[parent])[:MAX_CONTEXT_CHARS].split())
        return f"{article}\n{reply_to}" if article else reply_to
    return article or None
