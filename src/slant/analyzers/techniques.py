"""The propaganda technique analyzer: the exact words that use one of the 14 PTC techniques, with confidence.

Each title, body and comment segment is run through the shipped model on its own (windows never cross a
segment boundary); the segments of the whole batch of reports are batched together for throughput. The
model reads actor-blind text (`slant.techniques.actor_blind`: every mention of each name that the NER of the
shared parse finds anywhere in the document becomes one stand-in), so it scores the same words alike whichever
side they name; its spans are mapped back to the original offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from slant.analyzers import PARSE, Layers, with_findings
from slant.model import Report, SegmentKind, TechniqueAttributes, TechniqueFinding, TechniquesSummary
from slant.options import AnalysisOptions
from slant.parse import ParsedSentence
from slant.techniques import DEFINITIONS
from slant.techniques.actor_blind import ACTOR_LABELS, Actor, actor_names, blind
from slant.techniques.model import TechniqueModel

#: Segment kinds whose words are analyzed (comments like the body); the summary counts only the article.
ANALYZED = (SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.COMMENT)
ARTICLE = (SegmentKind.TITLE, SegmentKind.BODY)
WORD = re.compile(r"\w+")


class TechniquesAnalyzer:
    """Marks propaganda technique spans (SemEval-2020 Task 11 classes) in titles, bodies and comments."""

    name: ClassVar[str] = "techniques"
    reads: ClassVar[frozenset[str]] = frozenset({PARSE})

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.model = TechniqueModel(threads=options.threads)
        self.version = self.model.params.version

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Add technique findings (at every confidence) and the `techniques` summary section to every report."""
        parts = [(r, s) for r, report in enumerate(reports) for s in report.segments_of(*ANALYZED)]
        names = [actor_names(r.text, _actors(parses)) for r, parses in zip(reports, layers.parses, strict=True)]
        texts = [blind(reports[r].segment_text(s), names[r]) for r, s in parts]
        findings: list[list[TechniqueFinding]] = [[] for _ in reports]
        detected = self.model.detect([text.text for text in texts])
        for (r, segment), text, spans in zip(parts, texts, detected, strict=True):
            for span in spans:
                start, end = text.span_in_original(span.start, span.end)
                findings[r].append(
                    TechniqueFinding(
                        label=span.technique,
                        start=segment.start + start,
                        end=segment.start + end,
                        score=min(max(span.score, 0.0), 1.0),
                        attributes=TechniqueAttributes(definition=DEFINITIONS[span.technique], segment=segment.kind),
                    )
                )
        return [
            with_findings(
                report, found, section=self.name, summary=_summary(report, found, self.model.params.display_threshold)
            )
            for report, found in zip(reports, findings, strict=True)
        ]


def _actors(sentences: Sequence[ParsedSentence]) -> list[Actor]:
    """The named actors the shared parse's NER found in a document's sentences (document offsets)."""
    return [
        Actor(p.start + e.start_char, p.start + e.end_char, e.label_)
        for p in sentences
        for e in p.doc.ents
        if e.label_ in ACTOR_LABELS
    ]


def _summary(report: Report, findings: Sequence[TechniqueFinding], display_threshold: float) -> TechniquesSummary:
    """Counts of techniques in the title and body, their density per 100 words, and the display threshold."""
    article = report.segments_of(*ARTICLE)
    in_article = [f for f in findings if any(s.start <= f.start and f.end <= s.end for s in article)]
    words = sum(len(WORD.findall(report.segment_text(s))) for s in article)
    counts = Counter(f.label for f in in_article)
    return TechniquesSummary(
        total=len(in_article),
        counts=dict(counts.most_common()),
        words=words,
        per_100_words=round(100 * len(in_article) / words, 2) if words else 0.0,
        display_threshold=display_threshold,
    )
