"""What the web tests' server workers load: defined in an importable module, since each worker process
builds its own analyzer."""

import re
import time
from collections.abc import Sequence

from conftest import KeywordTechniques
from slant.analyzers import REGISTRY, Layers
from slant.model import Report
from slant.pipeline import Analyzer

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
