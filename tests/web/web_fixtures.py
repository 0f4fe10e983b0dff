"""What the web tests' server workers load: defined in an importable module, since each worker process
builds its own analyzer."""

import importlib.util
import re
import time
from collections.abc import Sequence
from pathlib import Path

from slant.analyzers import REGISTRY, Layers
from slant.model import Report
from slant.pipeline import Analyzer


def _shared_conftest() -> object:
    """tests/conftest.py, loaded by path: several folders hold a `conftest` module."""
    spec = importlib.util.spec_from_file_location("slant_tests_conftest", Path(__file__).parents[1] / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


KeywordTechniques = _shared_conftest().KeywordTechniques  # type: ignore[attr-defined]
_NAP = re.compile(r"\bNAP (\d+(?:\.\d+)?)s\b")


class Napper:
    """Adds nothing; sleeps as long as the text asks ("NAP 5s"): a slow analysis on demand."""

    name = "napper"
    reads: frozenset[str] = frozenset()
    version = "0"

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        for report in reports:
            if nap := _NAP.search(report.text):
                time.sleep(float(nap.group(1)))
        return list(reports)


def keyword_analyzer() -> Analyzer:
    """`KeywordTechniques` and `Napper`: fast, deterministic, slow when asked."""
    analyzer = Analyzer(skip=tuple(REGISTRY))
    analyzer.plugins = [KeywordTechniques(), Napper()]
    return analyzer
