"""The one data model every stage reads and writes.

All positions are character offsets into `Document.text` (start inclusive, end exclusive), as in the
PTC corpus. Nothing rewrites the text: segments and findings are labelled spans over it, each finding
with its analyzer's typed attributes, and each analyzer's article-level section typed in `Summary`.
"""

from slant.model.claims import ClaimAttributes, ClaimFinding, ClaimsSummary
from slant.model.comments import CommentsSummary
from slant.model.core import (
    ARTICLE_KINDS,
    Document,
    Finding,
    FindingAttributes,
    Frozen,
    Metadata,
    Segment,
    SegmentKind,
    Span,
    Stance,
)
from slant.model.framing import (
    ActorPortrait,
    ActorSentimentAttributes,
    ActorSentimentFinding,
    FramingSummary,
    LoadedTermAttributes,
    LoadedTermFinding,
)
from slant.model.report import SCHEMA_VERSION, AnyFinding, Report, Summary
from slant.model.sourcing import Party, SourceAttributes, SourceEntry, SourceFinding, SourcingSummary
from slant.model.techniques import TechniqueAttributes, TechniqueFinding, TechniquesSummary
from slant.model.verdict import Evidence, Reason, Verdict

__all__ = [
    "ARTICLE_KINDS",
    "SCHEMA_VERSION",
    "ActorPortrait",
    "ActorSentimentAttributes",
    "ActorSentimentFinding",
    "AnyFinding",
    "ClaimAttributes",
    "ClaimFinding",
    "ClaimsSummary",
    "CommentsSummary",
    "Document",
    "Evidence",
    "Finding",
    "FindingAttributes",
    "FramingSummary",
    "Frozen",
    "LoadedTermAttributes",
    "LoadedTermFinding",
    "Metadata",
    "Party",
    "Reason",
    "Report",
    "Segment",
    "SegmentKind",
    "SourceAttributes",
    "SourceEntry",
    "SourceFinding",
    "SourcingSummary",
    "Span",
    "Stance",
    "Summary",
    "TechniqueAttributes",
    "TechniqueFinding",
    "TechniquesSummary",
    "Verdict",
]
