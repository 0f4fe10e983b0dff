"""slant: shows, with evidence, how a news article tries to persuade its reader."""

from slant.ingest import load
from slant.model import (
    ClaimFinding,
    Document,
    Finding,
    LoadedTermFinding,
    Metadata,
    Report,
    Segment,
    SegmentKind,
    SourceFinding,
    TechniqueFinding,
)
from slant.options import AnalysisOptions
from slant.pipeline import SLANT_VERSION as __version__
from slant.pipeline import Analyzer, analyze

__all__ = [
    "AnalysisOptions",
    "Analyzer",
    "ClaimFinding",
    "Document",
    "Finding",
    "LoadedTermFinding",
    "Metadata",
    "Report",
    "Segment",
    "SegmentKind",
    "SourceFinding",
    "TechniqueFinding",
    "__version__",
    "analyze",
    "load",
]
