"""The report: a document with every analyzer's typed findings, the summary, and the versions."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar, overload

from pydantic import Discriminator, Field, Tag

from slant.model.claims import ClaimFinding, ClaimsSummary
from slant.model.comments import CommentsSummary
from slant.model.core import Document, Finding, Frozen
from slant.model.framing import ActorSentimentFinding, FramingSummary, LoadedTermFinding
from slant.model.sourcing import SourceFinding, SourcingSummary
from slant.model.techniques import TechniqueFinding, TechniquesSummary
from slant.model.verdict import Verdict

#: Version of the report's JSON contract (`slant schema`); raised when a field changes meaning or type.
SCHEMA_VERSION = "2.0"
F = TypeVar("F", bound=Finding)


def _finding_kind(value: Any) -> str:
    """The tag of a finding: its analyzer, or for framing its label (two kinds of framing finding)."""
    analyzer, label = (
        (value.get("analyzer"), value.get("label")) if isinstance(value, dict) else (value.analyzer, value.label)
    )
    return f"framing:{label}" if analyzer == "framing" else str(analyzer)


AnyFinding = Annotated[
    Annotated[TechniqueFinding, Tag("techniques")]
    | Annotated[SourceFinding, Tag("sourcing")]
    | Annotated[ClaimFinding, Tag("claims")]
    | Annotated[LoadedTermFinding, Tag("framing:loaded_term")]
    | Annotated[ActorSentimentFinding, Tag("framing:actor_sentiment")],
    Discriminator(_finding_kind),
]


class Summary(Frozen):
    """Article-level sections, one per analyzer that ran (None when it did not), and the verdict.

    Every section is computed from all findings, whatever display threshold a view applies later.
    """

    techniques: TechniquesSummary | None = None
    sourcing: SourcingSummary | None = None
    claims: ClaimsSummary | None = None
    framing: FramingSummary | None = None
    comments: CommentsSummary | None = None
    verdict: Verdict | None = None


class Report(Document):
    """A document with every analyzer's findings, the article summary, and the versions that made them."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="Version of this JSON contract.")
    findings: tuple[AnyFinding, ...] = ()
    summary: Summary = Field(default_factory=Summary)
    versions: dict[str, str] = Field(default_factory=dict, description="slant's version and each model's.")

    @overload
    def findings_of(self, kind: str) -> list[Finding]: ...

    @overload
    def findings_of(self, kind: type[F]) -> list[F]: ...

    def findings_of(self, kind: str | type[Finding]) -> list[Any]:
        """The findings of one analyzer (by name) or of one finding class, in text order."""
        if isinstance(kind, str):
            return [f for f in self.findings if f.analyzer == kind]
        return [f for f in self.findings if isinstance(f, kind)]

    def shown(self, min_confidence: float) -> Report:
        """The report as a view shows it: findings scored below `min_confidence` hidden, summary untouched."""
        if min_confidence <= 0:
            return self
        return self.model_copy(update={"findings": tuple(f for f in self.findings if f.score >= min_confidence)})
