"""Typed findings and summary sections for hand-made reports, with defaults for what a test does not vary."""

from collections import Counter
from collections.abc import Sequence

from slant.model import (
    ClaimAttributes,
    ClaimFinding,
    ClaimsSummary,
    LoadedTermAttributes,
    LoadedTermFinding,
    SegmentKind,
    SourceAttributes,
    SourceFinding,
    SourcingSummary,
    Span,
    TechniqueAttributes,
    TechniqueFinding,
    TechniquesSummary,
)


def technique(start: int, end: int, label: str = "Loaded_Language", score: float = 0.9) -> TechniqueFinding:
    return TechniqueFinding(
        label=label,
        start=start,
        end=end,
        score=score,
        attributes=TechniqueAttributes(definition="", segment=SegmentKind.BODY),
    )


def source(
    start: int,
    end: int,
    canonical: str,
    *,
    affiliation: str | None = None,
    kind: str = "official",
    direct: bool = True,
    score: float = 0.8,
) -> SourceFinding:
    return SourceFinding(
        label=kind,
        start=start,
        end=end,
        score=score,
        attributes=SourceAttributes(
            cue="said",
            source=canonical,
            canonical=canonical,
            speaker=Span(start=start, end=end),
            kind=kind,
            affiliation=affiliation,
            direct=direct,
        ),
    )


def claim(
    start: int,
    end: int,
    *,
    attributed: bool,
    numbers: Sequence[str] = (),
    source: str | None = None,
    score: float = 0.7,
) -> ClaimFinding:
    return ClaimFinding(
        start=start,
        end=end,
        score=score,
        attributes=ClaimAttributes(
            type="quantity" if numbers else "event",
            numbers=list(numbers),
            attributed=attributed,
            source=source,
            hedged=False,
            segment=SegmentKind.BODY,
        ),
    )


def loaded_term(start: int, end: int, actor: str | None, term: str = "term", score: float = 0.8) -> LoadedTermFinding:
    return LoadedTermFinding(
        start=start,
        end=end,
        score=score,
        attributes=LoadedTermAttributes(actor=actor, polarity="negative", category="test", term=term, lexicon="test"),
    )


def techniques_summary(findings: Sequence[TechniqueFinding], words: int) -> TechniquesSummary:
    counts = Counter(f.label for f in findings)
    per_100 = round(100 * len(findings) / words, 2) if words else 0.0
    return TechniquesSummary(total=len(findings), counts=dict(counts.most_common()), words=words, per_100_words=per_100)


def sourcing_summary(
    *, one_sided: bool, dominant_share: float, reason: str, n_sources: int = 3, dominant: str | None = None
) -> SourcingSummary:
    return SourcingSummary(
        sources=[],
        n_sources=n_sources,
        n_affiliations=1 if one_sided else 2,
        n_kinds=1,
        dominant_affiliation=dominant,
        dominant_share=dominant_share,
        anonymous_share=0.0,
        parties=[],
        one_sided=one_sided,
        reason=reason,
    )


def claims_summary(total: int, attributed: int, hedged: int = 0) -> ClaimsSummary:
    return ClaimsSummary(total=total, attributed=attributed, unattributed=total - attributed, hedged=hedged)
