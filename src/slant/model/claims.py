"""The claims analyzer's findings and summary."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from slant.model.core import Finding, FindingAttributes, Frozen, SegmentKind


class ClaimAttributes(FindingAttributes):
    """What kind of check-worthy claim a sentence makes, and whether it has a source or a hedge."""

    type: str = Field(description="casualties, quantity, causal, comparison or event.")
    numbers: list[str] = Field(default_factory=list, description="The quantities it states, as written.")
    attributed: bool = Field(description="A source is given for it.")
    source: str | None = Field(default=None, description="The source's canonical name, when sourcing found one.")
    hedged: bool = Field(description="It is hedged ('reportedly', 'may').")
    segment: SegmentKind

    def subject(self) -> str | None:
        """The claim's source, when known."""
        return self.source


class ClaimFinding(Finding):
    """A check-worthy factual claim (one sentence); the score is its check-worthiness."""

    analyzer: Literal["claims"] = "claims"
    label: Literal["claim"] = "claim"
    attributes: ClaimAttributes


class ClaimsSummary(Frozen):
    """Check-worthy claims of the title and body."""

    total: int = Field(ge=0)
    attributed: int = Field(ge=0)
    unattributed: int = Field(ge=0)
    hedged: int = Field(ge=0)
