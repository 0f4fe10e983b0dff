"""Shared fixtures: paths to the fixture pages and to the third-party data (when present)."""

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from slant.analyzers import REGISTRY, with_findings
from slant.model import Finding, Report
from slant.pipeline import Analyzer

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture
def fixtures() -> Path:
    """The folder of fixture pages written for these tests."""
    return FIXTURES


@pytest.fixture
def shared_data() -> Path:
    """`../shared/data`, or a skip when this checkout has no such folder beside it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the third-party data folder {SHARED_DATA}, which is absent here")
    return SHARED_DATA


class KeywordTechniques:
    """A stand-in `techniques` analyzer: fixed phrases give fixed technique findings, whatever the model."""

    name = "techniques"
    version = "keywords-for-tests"
    #: pattern -> (technique, score); the either/or sentence overlaps the name-calling inside it.
    PATTERNS = {
        r"\bthugs\b|\bterrorists\b": ("Name_Calling,Labeling", 0.9),
        r"\bbrave\b|\bgrateful\b": ("Loaded_Language", 0.4),
        r"\bEither you [^.]*\.": ("Black-and-White_Fallacy", 0.7),
        r"\bNobody with a shred of honesty\b": ("Doubt", 0.2),
    }

    def analyze(self, reports: Sequence[Report]) -> list[Report]:
        """Add one finding per pattern match."""
        return [with_findings(report, self._findings(report.text)) for report in reports]

    def _findings(self, text: str) -> list[Finding]:
        return [
            Finding(analyzer=self.name, label=label, start=m.start(), end=m.end(), score=score)
            for pattern, (label, score) in self.PATTERNS.items()
            for m in re.finditer(pattern, text, flags=re.IGNORECASE)
        ]


@pytest.fixture
def keyword_analyzer() -> Analyzer:
    """An `Analyzer` whose only plugin is `KeywordTechniques`: fast and deterministic."""
    analyzer = Analyzer(skip=list(REGISTRY))
    analyzer.plugins = [KeywordTechniques()]
    return analyzer
