"""Invented articles for the batch tests, and a configuration that runs no analyzer (fast)."""

from pathlib import Path

from slant.analyzers import REGISTRY
from slant.options import AnalysisOptions

NO_ANALYZERS = AnalysisOptions(skip=tuple(REGISTRY))


def article(i: int) -> str:
    """An invented council story, different for each `i`."""
    return (
        f"Port Meridian council backs harbour plan number {i}\n\n"
        f"The council of Port Meridian voted on Tuesday to dredge berth {i} of the old harbour. "
        f"The mayor said that the work would take {i % 7 + 2} months and that the fishermen had been consulted. "
        "Opponents of the plan say it is a waste of money and that the lagoon will suffer.\n"
    )


def write_folder(folder: Path, n: int) -> Path:
    """A folder of `n` invented articles named like the PTC corpus, half of them one level down."""
    for i in range(n):
        path = folder / ("sub" if i % 2 else "") / f"article{1000 + i}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(i), encoding="utf-8")
    return folder
