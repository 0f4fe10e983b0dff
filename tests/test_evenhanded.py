"""Even-handedness: swapping the sides of an article (same wording) must not change slant's verdict."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from slant.errors import SlantError
from slant.ingest import document_from_text
from slant.model import Report
from slant.pipeline import Analyzer

BENCH = Path(__file__).resolve().parents[1] / "bench" / "evenhanded.py"
ARTICLE = """Brave Russian Soldiers Rout American Puppets Near Lisk

Russian soldiers routed American puppets near the town of Lisk on Monday, the Russian army said.

The cowardly mercenaries, paid by Washington, fled like rats. "We will free every street," said Russian
commander Ilya Dorn. American officials claim the strikes hit a hospital. Nobody believes these lies.

Moscow wants peace. Washington wants endless war. Either you stand with Russia or with the terrorists.
"""


def bench() -> ModuleType:
    """`bench/evenhanded.py`, whose swap and span matching this test shares."""
    spec = importlib.util.spec_from_file_location("evenhanded", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def evenhanded() -> ModuleType:
    return bench()


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    try:
        return Analyzer()
    except (OSError, SlantError) as error:  # a model file not shipped in this checkout
        pytest.skip(f"the full pipeline cannot load here: {error}")


def test_swap_keeps_case_and_maps_offsets(evenhanded: ModuleType) -> None:
    pairs = evenhanded.read_pairs()
    swapped = evenhanded.swap("RUSSIA said: Russian and American troops left Washington.", pairs)
    assert swapped.text == "UNITED STATES said: American and Russian troops left Moscow."
    assert evenhanded.swap(swapped.text, pairs).text == "RUSSIA said: Russian and American troops left Washington."
    start = swapped.offset(len("RUSSIA said: "))
    end = swapped.offset(len("RUSSIA said: Russian and American troops"), end=True)
    assert swapped.text[start:end] == "American and Russian troops"


@pytest.fixture(scope="module")
def both_sides(evenhanded: ModuleType, analyzer: Analyzer) -> tuple[Report, Report, object]:
    """The article and its side-swapped twin, analyzed together by the full pipeline."""
    swapped = evenhanded.swap(ARTICLE, evenhanded.read_pairs())
    original, mirrored = analyzer.analyze_documents([document_from_text(ARTICLE), document_from_text(swapped.text)])
    return original, mirrored, swapped


def test_swapped_sides_get_the_same_verdict(both_sides: tuple[Report, Report, object]) -> None:
    """Same level, and a guard against gross asymmetry on one article (the 0.02 target is the bench's mean)."""
    original, mirrored, _ = both_sides
    assert original.summary.verdict.level == mirrored.summary.verdict.level
    assert abs(original.summary.verdict.score - mirrored.summary.verdict.score) <= 0.1


def test_swapped_sides_keep_technique_spans(evenhanded: ModuleType, both_sides: tuple[Report, Report, object]) -> None:
    original, mirrored, swapped = both_sides
    changed, total = evenhanded.technique_changes(original, mirrored, swapped)
    assert changed <= 0.03 * total


def test_religions_are_not_taken_for_countries(evenhanded: ModuleType, analyzer: Analyzer) -> None:
    text = "Clash in Orlen\n\nChristian leaders said the march was peaceful.\n"
    swapped = evenhanded.swap(text, evenhanded.read_pairs())
    reports = analyzer.analyze_documents([document_from_text(text), document_from_text(swapped.text)])
    affiliations = [sorted(str(s.affiliation) for s in r.summary.sourcing.sources) for r in reports]
    assert affiliations[0] == affiliations[1]
