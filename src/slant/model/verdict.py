"""The article verdict: a score, a level, and reasons that point at findings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from slant.model.core import Frozen, Span


class Evidence(Span):
    """A finding a reason rests on, by analyzer, label and span."""

    analyzer: str
    label: str


class Reason(Frozen):
    """One sentence of the verdict and the findings that show it."""

    text: str
    evidence: list[Evidence] = Field(default_factory=list)


class Verdict(Frozen):
    """How heavily the title and body rely on persuasion (never whether the events are true)."""

    score: float = Field(ge=0.0, le=1.0)
    level: Literal["low", "moderate", "high"]
    reasons: list[Reason]
