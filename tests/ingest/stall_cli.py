"""`slant` with one more analyzer, `stall`, that never finishes: run as `python stall_cli.py analyze ...`.

The analyzer is registered at import, so the spawned analysis worker (which re-imports this script as its main
module) knows it too.
"""

import time
from collections.abc import Sequence

from slant.analyzers import REGISTRY, Layers
from slant.model import Report
from slant.options import AnalysisOptions

REGISTRY["stall"] = "__main__:StallAnalyzer"


class StallAnalyzer:
    """Adds nothing, in an hour."""

    name = "stall"
    reads: frozenset[str] = frozenset()
    version = "1"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        time.sleep(3600)
        return list(reports)


if __name__ == "__main__":
    from slant.cli import main

    main()
