"""slant: shows, with evidence, how a news article tries to persuade its reader."""

from slant.analyzers import AnalysisOptions
from slant.model import Document, Finding, Metadata, Report, Segment, SegmentKind
from slant.pipeline import SLANT_VERSION as __version__
from slant.pipeline import Analyzer, analyze

__all__ = [
    "AnalysisOptions",
    "Analyzer",
    "Document",
    "Finding",
    "Metadata",
    "Report",
    "Segment",
    "SegmentKind",
    "__version__",
    "analyze",
]
