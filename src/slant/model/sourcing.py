"""The sourcing analyzer's findings and summary."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from slant.model.core import Finding, FindingAttributes, Frozen, Span


class SourceAttributes(FindingAttributes):
    """Who the attributed content (the finding's span) comes from, and how it is attributed."""

    cue: str = Field(description="The words that attribute the content: a reporting verb, 'according to', quotes.")
    cue_span: Span | None = Field(default=None, description="Where the cue is written.")
    source: str = Field(description="The source as written (empty when the text names none).")
    canonical: str = Field(description="The source's canonical name.")
    speaker: Span = Field(description="Where the source is named (empty, at the cue, when the text names none).")
    kind: str = Field(description="The kind of source (the finding's label): government, military, anonymous ...")
    affiliation: str | None = Field(description="The side the source belongs to, when known.")
    direct: bool = Field(description="A direct quote rather than reported speech.")
    chain: list[str] = Field(default_factory=list, description="Sources cited by the source ('X, citing Y').")

    def subject(self) -> str | None:
        """The source's canonical name, as the summary counts it ("Igor Konashenkov" where the text reads
        "General Igor Konashenkov, Washington and its allies"), when the text names one."""
        return self.canonical if self.source else None


class SourceFinding(Finding):
    """Attributed content: a quote, reported speech or a citation; the label is the source's kind."""

    analyzer: Literal["sourcing"] = "sourcing"
    attributes: SourceAttributes


class SourceEntry(Frozen):
    """One source of the article and how often it is cited."""

    name: str
    kind: str
    affiliation: str | None
    count: int = Field(ge=1)
    direct_quotes: int = Field(ge=0)


class Party(Frozen):
    """A side the article names, and whether it is heard in its own words."""

    name: str
    quoted_directly: bool
    paraphrased_only: bool


class SourcingSummary(Frozen):
    """Who the article's title and body cite, and whether its sourcing is one-sided (with the reason)."""

    sources: list[SourceEntry]
    n_sources: int = Field(ge=0)
    n_affiliations: int = Field(ge=0)
    n_kinds: int = Field(ge=0)
    dominant_affiliation: str | None
    dominant_share: float = Field(ge=0.0, le=1.0)
    anonymous_share: float = Field(ge=0.0, le=1.0)
    parties: list[Party]
    one_sided: bool
    reason: str
