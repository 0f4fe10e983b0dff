"""The techniques analyzer's findings and summary."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from slant.model.core import Finding, FindingAttributes, Frozen, SegmentKind


class TechniqueAttributes(FindingAttributes):
    """What a technique span is: the technique's definition, and the segment it lies in."""

    definition: str
    segment: SegmentKind


class TechniqueFinding(Finding):
    """A span using one of the 14 SemEval-2020 Task 11 techniques (the label); score is the confidence."""

    analyzer: Literal["techniques"] = "techniques"
    attributes: TechniqueAttributes


class TechniquesSummary(Frozen):
    """Technique spans in the title and body (comments excluded), scored at any confidence."""

    total: int = Field(ge=0, description="Technique spans in the title and body.")
    counts: dict[str, int] = Field(description="Spans per technique, most frequent first.")
    words: int = Field(ge=0, description="Words in the title and body.")
    per_100_words: float = Field(ge=0.0, description="Spans per 100 words.")
    display_threshold: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0,
        description="The model's default display threshold: a span scored at least this is more likely right than "
        "not (scores calibrated on PTC articles the model did not learn from). Views start from it; the JSON keeps "
        "every span.",
    )
