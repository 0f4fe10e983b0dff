"""A batch run with a deliberately slow analyzer, so that a test can kill it mid-run or time a document out.

Run as a script: `python slow_batch.py CORPUS DB_URL WORKERS [TIME_LIMIT]`. The analyzer is registered at import, so the
spawned workers (which re-import this script as their main module) know it too.
"""

import sys
import time
from collections.abc import Sequence
from pathlib import Path

from slant.analyzers import REGISTRY, AnalysisOptions
from slant.model import Report

REGISTRY["slow"] = "__main__:SlowAnalyzer"


class SlowAnalyzer:
    """Adds nothing; takes 50 ms per document, and a minute for a document holding STALL."""

    name = "slow"
    version = "1"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options

    def analyze(self, reports: Sequence[Report]) -> list[Report]:
        time.sleep(0.05 * len(reports) + 60 * any("STALL" in r.text for r in reports))
        return list(reports)


if __name__ == "__main__":
    from slant.batch import AnalyzerConfig
    from slant.batch.local import run_local
    from slant.ingest.corpus import read_corpus
    from slant.store import Store

    corpus, url, workers, *limit = sys.argv[1:]
    config = AnalyzerConfig(only=("slow",), options=AnalysisOptions(batch_size=4))
    time_limit = float(limit[0]) if limit else None
    run_local(
        read_corpus(Path(corpus)), Store(url), config, workers=int(workers), time_limit=time_limit, show_progress=False
    )
