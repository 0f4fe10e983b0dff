"""The framing analyzer's findings and summary."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from slant.model.core import Finding, FindingAttributes, Frozen, Span

Polarity = Literal["positive", "negative"]
Portrayal = Literal["positive", "negative", "mixed", "neutral"]
ActorKind = Literal["person", "organization", "country", "group"]


class LoadedTermAttributes(FindingAttributes):
    """A term from the loaded-terms lexicon and the actor it is applied to."""

    actor: str | None = Field(description="The actor the term describes; None when it describes no known actor.")
    polarity: Polarity
    category: str
    term: str = Field(description="The lexicon entry.")
    lexicon: str

    def subject(self) -> str | None:
        """The actor the term is aimed at."""
        return self.actor


class ActorSentimentAttributes(FindingAttributes):
    """A clause about an actor with strong sentiment (VADER's compound score)."""

    actor: str
    sentiment: float = Field(ge=-1.0, le=1.0)
    polarity: Polarity

    def subject(self) -> str | None:
        """The actor the clause is about."""
        return self.actor


class LoadedTermFinding(Finding):
    """A loaded term; the score is higher when it is applied to a known actor."""

    analyzer: Literal["framing"] = "framing"
    label: Literal["loaded_term"] = "loaded_term"
    attributes: LoadedTermAttributes


class ActorSentimentFinding(Finding):
    """A clause portraying an actor strongly; the score is the sentiment's strength."""

    analyzer: Literal["framing"] = "framing"
    label: Literal["actor_sentiment"] = "actor_sentiment"
    attributes: ActorSentimentAttributes


class ActorPortrait(Frozen):
    """How the article portrays one of its main actors, with the spans that show it."""

    name: str
    kind: ActorKind
    mentions: int = Field(ge=0)
    portrayal: Portrayal
    sentiment: float = Field(ge=-1.0, le=1.0, description="Mean clause sentiment about the actor.")
    loaded_terms: list[str]
    evidence: list[Span]


class FramingSummary(Frozen):
    """The article's main actors, most mentioned first."""

    actors: list[ActorPortrait]
