"""The propaganda technique analyzer: the exact words that use one of the 14 PTC techniques, with confidence.

It decodes its spans from the shared encoder pass (`slant.encoder`): each title, body and comment segment
run through the shipped model on its own (windows never cross a segment boundary), the segments of the whole
batch together. The model reads actor-blind text (each named actor that the NER of the shared parse finds
becomes a typed stand-in), so it scores the same words alike whichever side they name; its spans are mapped
back to the original offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from slant.analyzers import ENCODER, Layers, with_findings
from slant.encoder import technique_model
from slant.model import Report, SegmentKind, TechniqueAttributes, TechniqueFinding, TechniquesSummary
from slant.options import AnalysisOptions
from slant.techniques import DEFINITIONS
from slant.techniques.model import detect

#: The summary counts the article's techniques (the shared pass also covers comments).
ARTICLE = (SegmentKind.TITLE, SegmentKind.BODY)
WORD = re.compile(r"\w+")


class TechniquesAnalyzer:
    """Marks propaganda technique spans (SemEval-2020 Task 11 classes) in titles, bodies and comments."""

    name: ClassVar[str] = "techniques"
    reads: ClassVar[frozenset[str]] = frozenset({ENCODER})

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.model = technique_model(options.threads)
        self.version = self.model.params.version

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Add technique findings (at every confidence) and the `techniques` summary section to every report."""
        findings: list[list[TechniqueFinding]] = [[] for _ in reports]
        for r, report in enumerate(reports):
            for segment in report.segments:
                if (encoded := layers.encoded[r].get(segment.start)) is None:
                    continue
                for span in detect(encoded.tagged, self.model.params, self.model.head):
                    start, end = encoded.blinded.span_in_original(span.start, span.end)
                    findings[r].append(
                        TechniqueFinding(
                            label=span.technique,
                            start=segment.start + start,
                            end=segment.start + end,
                            score=min(max(span.score, 0.0), 1.0),
                            attributes=TechniqueAttributes(
                                definition=DEFINITIONS[span.technique], segment=segment.kind
                            ),
                        )
                    )
        return [
            with_findings(
                report, found, section=self.name, summary=_summary(report, found, self.model.params.display_threshold)
            )
            for report, found in zip(reports, findings, strict=True)
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
