"""A batch run with a deliberately slow analyzer, so that a test can kill it mid-run or time a document out.

Run as a script: `python slow_batch.py CORPUS DB_URL WORKERS [TIME_BUDGET_S]`. The analyzer is registered at
import, so the spawned workers (which re-import this script as their main module) know it too.
"""

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from slant.analyzers import REGISTRY, Layers
from slant.model import Report
from slant.options import AnalysisOptions, Limits

REGISTRY["slow"] = "__main__:SlowAnalyzer"


class SlowAnalyzer:
    """Adds nothing; takes 50 ms per document, and a minute for a document holding STALL."""

    name = "slow"
    reads: frozenset[str] = frozenset()
    version = "1"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        time.sleep(0.05 * len(reports) + 60 * any("STALL" in r.text for r in reports))
        return list(reports)


if __name__ == "__main__":
    from slant.batch.local import run_local
    from slant.ingest.corpus import read_corpus
    from slant.store import Store

    corpus, url, workers, *budget = sys.argv[1:]
    limits = Limits(time_budget_s=float(budget[0])) if budget else Limits()
    options = AnalysisOptions(only=("slow",), batch_size=4, limits=limits)
    run_local(read_corpus(Path(corpus)), Store(url), options, workers=int(workers), show_progress=False)
