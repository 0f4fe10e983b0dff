"""A batch run with a deliberately slow analyzer, so that a test can kill it mid-run.

Run as a script: `python slow_batch.py CORPUS DB_URL WORKERS`. The analyzer is registered at import, so the
spawned workers (which re-import this script as their main module) know it too.
"""

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from slant.analyzers import REGISTRY, Layers
from slant.model import Report
from slant.options import AnalysisOptions

REGISTRY["slow"] = "__main__:SlowAnalyzer"


class SlowAnalyzer:
    """Adds nothing; takes 50 ms per document."""

    name = "slow"
    reads: frozenset[str] = frozenset()
    version = "1"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        time.sleep(0.05 * len(reports))
        return list(reports)


if __name__ == "__main__":
    from slant.batch.local import run_local
    from slant.ingest.corpus import read_corpus
    from slant.store import Store

    corpus, url, workers = sys.argv[1:]
    options = AnalysisOptions(only=("slow",), batch_size=4)
    run_local(read_corpus(Path(corpus)), Store(url), options, workers=int(workers), show_progress=False)
