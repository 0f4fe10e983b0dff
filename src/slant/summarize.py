"""The article verdict: how heavily the title and body rely on persuasion, with the findings behind it.

The verdict judges the text, never the truth of the events it reports. It combines the parts whose
analyzers ran (a skipped analyzer neither raises nor lowers the score), each scored in [0, 1]:

- **techniques** (weight 0.50): the article's technique density (spans per 100 words, each counted by
  its confidence, as if 200 technique-free words were added) placed on the distribution of densities
  the shipped techniques model finds in PTC training articles it was not trained on
  (`models/verdict_calibration.json`, written by `python -m slant.train.calibrate_verdict`): an
  article as dense as the median PTC article scores 0.5, one denser than all of them 1.0.
- **sourcing** (0.25): 1.0 when the sourcing analyzer judges the sourcing one-sided; 0.5 when nobody
  is quoted or cited; otherwise half the dominance of one affiliation beyond an even split plus half
  the share of anonymous attributions.
- **claims** (0.15): the share of the article's check-worthy claims that carry no source, counted as if
  two more attributed claims were present (one bare claim in a short text is weak evidence).
- **framing** (0.10): loaded terms aimed at actors, 1.5 per 100 words or more scoring 1.0.

Every part reads all findings, whatever confidence a view later shows (`min_confidence` is a display filter).

The score is the weighted mean over the parts present; the level is low below 0.35, high from 0.65.
Each reason names its findings (analyzer, label, start, end) so a reader can check the words.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np

from slant.model import (
    ARTICLE_KINDS,
    ClaimFinding,
    ClaimsSummary,
    Evidence,
    Finding,
    LoadedTermFinding,
    Reason,
    Report,
    SourceFinding,
    SourcingSummary,
    TechniqueFinding,
    Verdict,
)

CALIBRATION_PATH = Path(__file__).parent / "models" / "verdict_calibration.json"
WEIGHTS = {"techniques": 0.50, "sourcing": 0.25, "claims": 0.15, "framing": 0.10}
HIGH, MODERATE = 0.65, 0.35
LOADED_TERMS_FOR_FULL_SCORE = 1.5  # per 100 words
PRIOR_WORDS = 200  # technique-free words added to every text: little evidence in a short text
CLAIMS_PRIOR = 2  # attributed claims assumed beside those found, so one bare claim is not a full score
Level = Literal["low", "moderate", "high"]
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Calibration:
    """Confidence-weighted technique spans per 100 words of each reference article, sorted."""

    densities: tuple[float, ...]
    source: str

    @property
    def median(self) -> float:
        """The median density of the reference articles."""
        return float(np.median(self.densities))

    def percentile(self, density: float) -> float:
        """The share of reference articles less dense than `density` (ties count half), in [0, 1]."""
        below = np.searchsorted(self.densities, density, side="left")
        up_to = np.searchsorted(self.densities, density, side="right")
        return float((below + up_to) / 2 / len(self.densities))

    @classmethod
    def load(cls, path: Path = CALIBRATION_PATH) -> Calibration:
        """Read the calibration written by `slant.train.calibrate_verdict`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(sorted(data["densities"])), str(data["source"]))


@cache
def calibration() -> Calibration:
    """The shipped calibration, loaded once per process."""
    return Calibration.load()


class Ground(NamedTuple):
    """One sentence of the verdict and the findings that show it."""

    text: str
    evidence: tuple[Finding, ...] = ()


class Part(NamedTuple):
    """One part of the verdict: its score in [0, 1] and its reasons."""

    name: str
    score: float
    grounds: tuple[Ground, ...]


def summarize(report: Report, reference: Calibration | None = None) -> Report:
    """Set the summary's `verdict` (None when no analyzer that judges the article ran)."""
    section = verdict(report, reference or calibration())
    return report.model_copy(update={"summary": report.summary.model_copy(update={"verdict": section})})


def verdict(report: Report, reference: Calibration) -> Verdict | None:
    """The verdict: weighted score of the parts present, level, and reasons with evidence."""
    summary = report.summary
    article = article_findings(report)
    words = article_words(report)
    parts = [
        part
        for part in (
            summary.techniques
            and _techniques([f for f in article if isinstance(f, TechniqueFinding)], words, reference),
            summary.sourcing and _sourcing(summary.sourcing, [f for f in article if isinstance(f, SourceFinding)]),
            summary.claims and _claims(summary.claims, [f for f in article if isinstance(f, ClaimFinding)]),
            summary.framing and _framing(report, [f for f in article if isinstance(f, LoadedTermFinding)], words),
        )
        if part
    ]
    if not parts:
        return None
    total_weight = sum(WEIGHTS[p.name] for p in parts)
    score = round(sum(WEIGHTS[p.name] * p.score for p in parts) / total_weight, 3)
    level: Level = "high" if score >= HIGH else "moderate" if score >= MODERATE else "low"
    ranked = sorted(parts, key=lambda p: -WEIGHTS[p.name] * p.score)
    reasons = [
        Reason(text=ground.text, evidence=[_evidence(f) for f in ground.evidence])
        for part in ranked
        for ground in part.grounds
    ]
    return Verdict(score=score, level=level, reasons=reasons)


def _techniques(findings: list[TechniqueFinding], words: int, reference: Calibration) -> Part:
    density = weighted_density(findings, words)
    if not findings:
        ground = Ground(f"No persuasion technique found in {words} words.")
        return Part("techniques", reference.percentile(density), (ground,))
    counts = Counter(f.label for f in findings)
    listed = ", ".join(f"{_technique_words(label)} {n}" for label, n in counts.most_common())
    ratio = f"{density / reference.median:.1f}x" if reference.median > 0 else "above"
    spans = len(findings)
    text = (
        f"{spans} technique span{'s' * (spans != 1)} in {words} words ({100 * spans / max(words, 1):.1f} per 100 "
        f"words; weighing spans by confidence, {ratio} the median density of PTC news articles): {listed}."
    )
    return Part("techniques", reference.percentile(density), (Ground(text, tuple(findings)),))


def weighted_density(findings: Sequence[Finding], words: int) -> float:
    """Technique spans per 100 words, each span counted by its confidence, over `PRIOR_WORDS` more words.

    Weighing by confidence, and reading the text as if it had `PRIOR_WORDS` more technique-free words,
    keeps one weak span (which a one-word change can flip) from swinging the verdict of a short text,
    while a short text dense with confident spans still scores high.
    """
    return 100 * sum(f.score for f in findings) / (words + PRIOR_WORDS)


def _sourcing(section: SourcingSummary, findings: list[SourceFinding]) -> Part:
    if section.one_sided:
        dominant = section.dominant_affiliation
        shown = [f for f in findings if dominant is None or f.attributes.affiliation == dominant] or findings
        why = section.reason or f"most sources belong to {dominant}"
        return Part("sourcing", 1.0, (Ground(f"One-sided sourcing: {why.rstrip('.')}.", tuple(shown)),))
    if section.n_sources == 0:
        return Part("sourcing", 0.5, (Ground("No source is quoted or cited in the article."),))
    dominance = min(max((section.dominant_share - 0.5) / 0.5, 0.0), 1.0)
    anonymous = section.anonymous_share
    why = section.reason or f"{section.n_sources} sources"
    grounds = [Ground(f"Sourcing not judged one-sided: {why.rstrip('.')}.", tuple(findings))]
    if anonymous >= 0.3:
        unnamed = tuple(f for f in findings if f.label == "anonymous")
        grounds.append(Ground(f"{anonymous:.0%} of the attributions are to anonymous sources.", unnamed))
    return Part("sourcing", 0.5 * dominance + 0.5 * anonymous, tuple(grounds))


def _claims(section: ClaimsSummary, findings: list[ClaimFinding]) -> Part:
    total, unattributed = section.total, section.unattributed
    if total == 0:
        return Part("claims", 0.0, ())
    bare = tuple(f for f in findings if not f.attributes.attributed)
    numeric = [f for f in bare if f.attributes.numbers]
    text = f"{unattributed} of {total} check-worthy claim{'s' * (total != 1)} {'has' if unattributed == 1 else 'have'}"
    text += f" no stated source, {len(numeric)} of them with numbers." if numeric else " no stated source."
    score = unattributed / (total + CLAIMS_PRIOR)
    return Part("claims", score, (Ground(text, bare),) if unattributed else ())


def _framing(report: Report, findings: list[LoadedTermFinding], words: int) -> Part:
    by_actor: dict[str, list[LoadedTermFinding]] = {}
    for finding in findings:
        if finding.attributes.actor:
            by_actor.setdefault(finding.attributes.actor, []).append(finding)
    grounds = [
        Ground(f"Loaded terms about {actor} ({_polarity(terms)}): {_quoted(report, terms)}.", tuple(terms))
        for actor, terms in sorted(by_actor.items(), key=lambda item: -len(item[1]))
    ]
    aimed = sum(len(terms) for terms in by_actor.values())
    density = 100 * aimed / max(words, 1)
    return Part("framing", min(density / LOADED_TERMS_FOR_FULL_SCORE, 1.0), tuple(grounds))


def article_findings(report: Report) -> list[Finding]:
    """Findings inside the title and body (the whole text when there is no segmentation)."""
    spans = [(s.start, s.end) for s in report.segments_of(*ARTICLE_KINDS)] or [(0, len(report.text))]
    return [f for f in report.findings if any(start <= f.start and f.end <= end for start, end in spans)]


def article_words(report: Report) -> int:
    """Words in the title and body (the whole text when there is no segmentation)."""
    segments = report.segments_of(*ARTICLE_KINDS)
    texts: Iterable[str] = [report.segment_text(s) for s in segments] if segments else [report.text]
    return sum(len(_WORD.findall(text)) for text in texts)


def _technique_words(label: str) -> str:
    """`Name_Calling,Labeling` -> `name calling/labeling`."""
    return label.replace("_", " ").replace(",", "/").lower()


def _quoted(report: Report, findings: Sequence[Finding]) -> str:
    terms = Counter(report.segment_text(f).lower() for f in findings)
    return ", ".join(f"'{term}'" + (f" x{n}" if n > 1 else "") for term, n in terms.most_common())


def _polarity(findings: Sequence[LoadedTermFinding]) -> str:
    polarities = {f.attributes.polarity for f in findings}
    return polarities.pop() if len(polarities) == 1 else "mixed"


def _evidence(finding: Finding) -> Evidence:
    return Evidence(analyzer=finding.analyzer, label=finding.label, start=finding.start, end=finding.end)
