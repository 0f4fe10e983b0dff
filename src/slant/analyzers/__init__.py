"""Pluggable analyzers. Each adds a layer of findings (and a summary section) to a batch of reports.

An analyzer is a class with a `name`, a `version`, a constructor taking `AnalysisOptions`, and
`analyze(reports) -> reports`. It loads its models once, in its constructor, and processes the whole
batch at once, because batching is where CPU throughput comes from. Analyzers run in `REGISTRY` order,
so a later one (comments, verdict) can read the findings of earlier ones.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict, Field

from slant.model import Finding, Report

#: name -> "module:Class", in the order analyzers run.
REGISTRY: dict[str, str] = {
    "techniques": "slant.analyzers.techniques:TechniquesAnalyzer",
    "sourcing": "slant.analyzers.sourcing:SourcingAnalyzer",
    "claims": "slant.analyzers.claims:ClaimsAnalyzer",
    "framing": "slant.analyzers.framing:FramingAnalyzer",
    "comments": "slant.analyzers.comments:CommentsAnalyzer",  # keep last
}


class AnalysisOptions(BaseModel):
    """Options shared by all analyzers."""

    model_config = ConfigDict(frozen=True)

    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0, description="Drop findings scored below this.")
    batch_size: int = Field(default=16, ge=1, description="Documents analyzed together.")
    actors_file: Path | None = Field(default=None, description="TOML actor knowledge merged over slant's own.")
    threads: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1, description="CPU threads each model may use."
    )


class AnalyzerPlugin(Protocol):
    """What every analyzer provides."""

    name: ClassVar[str]
    version: str

    def analyze(self, reports: Sequence[Report]) -> list[Report]:
        """Return the reports with this analyzer's findings and summary section added."""
        ...


def select(only: Iterable[str] | None = None, skip: Iterable[str] | None = None) -> list[str]:
    """The registered analyzer names to run, in pipeline order.

    Raises:
        ValueError: a name is not a registered analyzer.
    """
    only_set, skip_set = set(only or ()), set(skip or ())
    unknown = (only_set | skip_set) - REGISTRY.keys()
    if unknown:
        raise ValueError(f"unknown analyzer(s) {sorted(unknown)}; known: {list(REGISTRY)}")
    return [name for name in REGISTRY if (not only_set or name in only_set) and name not in skip_set]


def load(name: str, options: AnalysisOptions) -> AnalyzerPlugin:
    """Import and construct the analyzer registered under `name`."""
    module_name, class_name = REGISTRY[name].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(options)


def with_findings(
    report: Report,
    findings: Iterable[Finding],
    *,
    section: str | None = None,
    summary: BaseModel | dict[str, Any] | None = None,
) -> Report:
    """A copy of `report` with `findings` merged in text order and, optionally, one summary section set."""
    merged = tuple(sorted((*report.findings, *findings), key=lambda f: (f.start, f.end, f.analyzer, f.label)))
    update: dict[str, Any] = {"findings": merged}
    if section is not None and summary is not None:
        value = summary.model_dump(mode="json") if isinstance(summary, BaseModel) else summary
        update["summary"] = {**report.summary, section: value}
    return report.model_copy(update=update)
