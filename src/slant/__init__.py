"""slant: shows, with evidence, how a news article tries to persuade its reader."""

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
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


def __getattr__(name: str) -> object:
    """The pipeline's names, imported on first use: it loads spaCy (seconds), which checking an input never needs."""
    if name in ("Analyzer", "analyze", "__version__"):
        from slant import pipeline

        return {"Analyzer": pipeline.Analyzer, "analyze": pipeline.analyze, "__version__": pipeline.SLANT_VERSION}[name]
    raise AttributeError(f"module 'slant' has no attribute {name!r}")
