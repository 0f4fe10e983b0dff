"""The comments analyzer's summary (stances themselves are on the comment segments)."""

from __future__ import annotations

from pydantic import Field

from slant.model.core import Frozen, Stance


class CommentsSummary(Frozen):
    """How many reader comments there are, and how many take each stance."""

    total: int = Field(ge=0)
    stances: dict[Stance, int]
