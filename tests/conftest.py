"""Shared fixtures: paths to the fixture pages and to the third-party data (when present)."""

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from tests.factories import technique, techniques_summary

from slant.analyzers import REGISTRY, Layers, with_findings
from slant.model import Report, TechniqueFinding
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
    reads: frozenset[str] = frozenset()
    version = "keywords-for-tests"
    #: pattern -> (technique, score); the either/or sentence overlaps the name-calling inside it.
    PATTERNS = {
        r"\bthugs\b|\bterrorists\b": ("Name_Calling,Labeling", 0.9),
        r"\bbrave\b|\bgrateful\b": ("Loaded_Language", 0.4),
        r"\bEither you [^.]*\.": ("Black-and-White_Fallacy", 0.7),
        r"\bNobody with a shred of honesty\b": ("Doubt", 0.2),
    }

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Add one finding per pattern match, and their summary."""
        return [self._analyze_one(report) for report in reports]

    def _analyze_one(self, report: Report) -> Report:
        findings = self._findings(report.text)
        summary = techniques_summary(findings, len(report.text.split()))
        return with_findings(report, findings, section=self.name, summary=summary)

    def _findings(self, text: str) -> list[TechniqueFinding]:
        return [
            technique(m.start(), m.end(), label, score)
            for pattern, (label, score) in self.PATTERNS.items()
            for m in re.finditer(pattern, text, flags=re.IGNORECASE)
        ]


def keyword_analyzer_with(**options: object) -> Analyzer:
    """An `Analyzer` with these options whose only plugin is `KeywordTechniques`: fast and deterministic."""
    analyzer = Analyzer(skip=tuple(REGISTRY), **options)
    analyzer.plugins = [KeywordTechniques()]
    return analyzer


@pytest.fixture
def keyword_analyzer() -> Analyzer:
    """An `Analyzer` whose only plugin is `KeywordTechniques`, with the default options."""
    return keyword_analyzer_with()
