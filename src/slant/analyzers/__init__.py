"""Pluggable analyzers. Each adds a layer of findings (and a summary section) to a batch of reports.

An analyzer is a class with a `name`, a `version`, what it `reads` (the shared parse, other analyzers'
findings), a constructor taking `AnalysisOptions`, and `analyze(reports, layers) -> reports`. It loads its
models once, in its constructor, and processes the whole batch at once, because batching is where CPU
throughput comes from. The pipeline runs analyzers in an order where each follows those it reads, and
computes the shared layers once for all of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from graphlib import CycleError, TopologicalSorter
from typing import ClassVar, NamedTuple, Protocol

from pydantic import BaseModel

from slant.encoder import EncodedSegment, encode_documents, technique_model
from slant.errors import UsageError
from slant.lexicons import actor_aliases
from slant.model import Finding, Report, Summary
from slant.options import AnalysisOptions
from slant.parse import ParsedSentence, parse_documents

#: name -> "module:Class" of every analyzer.
REGISTRY: dict[str, str] = {
    "techniques": "slant.analyzers.techniques:TechniquesAnalyzer",
    "sourcing": "slant.analyzers.sourcing:SourcingAnalyzer",
    "claims": "slant.analyzers.claims:ClaimsAnalyzer",
    "framing": "slant.analyzers.framing:FramingAnalyzer",
    "comments": "slant.analyzers.comments:CommentsAnalyzer",
}
#: The shared layers an analyzer can read besides other analyzers' findings: the spaCy parse, and the
#: technique model's encoder pass (`slant.encoder`; it blinds actors with the parse's NER, so it implies it).
PARSE = "parse"
ENCODER = "encoder"
#: Documents parsed at a time when the encoder reads the parse: the encoder runs on one part while the next parses.
ENCODED_WHILE_PARSING = 4


class Layers(NamedTuple):
    """What the pipeline computes once per batch for every analyzer that reads it."""

    parses: Sequence[Sequence[ParsedSentence]] = ()  # per report; empty unless an analyzer reads PARSE or ENCODER
    encoded: Sequence[Mapping[int, EncodedSegment]] = ()  # per report, by segment start; empty unless one reads ENCODER


class AnalyzerPlugin(Protocol):
    """What every analyzer provides."""

    name: ClassVar[str]
    #: `PARSE`, `ENCODER` and/or the names of analyzers whose findings it reads (it runs after them when they run).
    reads: ClassVar[frozenset[str]]
    version: str

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Return the reports with this analyzer's findings and summary section added."""
        ...


def select(only: Iterable[str] = (), skip: Iterable[str] = ()) -> list[str]:
    """The registered analyzer names to run, in registry order.

    Raises:
        UsageError: a name is not a registered analyzer.
    """
    only_set, skip_set = set(only), set(skip)
    unknown = (only_set | skip_set) - REGISTRY.keys()
    if unknown:
        raise UsageError(f"unknown analyzer(s) {sorted(unknown)}; known: {list(REGISTRY)}")
    return [name for name in REGISTRY if (not only_set or name in only_set) and name not in skip_set]


def load(name: str, options: AnalysisOptions) -> AnalyzerPlugin:
    """Import and construct the analyzer registered under `name`."""
    module_name, class_name = REGISTRY[name].split(":")
    plugin: AnalyzerPlugin = getattr(importlib.import_module(module_name), class_name)(options)
    return plugin


def ordered(plugins: Sequence[AnalyzerPlugin]) -> list[AnalyzerPlugin]:
    """The plugins in an order where each runs after the analyzers it reads (registry order otherwise).

    Raises:
        TypeError: a plugin reads a layer that is neither the parse nor a registered analyzer, or the
            reads form a cycle (a defect of the analyzers, not of the user's request).
    """
    by_name = {p.name: p for p in plugins}
    graph: TopologicalSorter[str] = TopologicalSorter()
    for plugin in plugins:
        unknown = plugin.reads - {PARSE, ENCODER} - REGISTRY.keys()
        if unknown:
            raise TypeError(f"analyzer {plugin.name} reads unknown layers {sorted(unknown)}")
        graph.add(plugin.name, *sorted((plugin.reads - {PARSE, ENCODER}) & by_name.keys()))
    try:
        graph.prepare()
    except CycleError as error:
        raise TypeError(f"analyzers read each other in a cycle: {error.args[1]}") from None
    order: list[str] = []
    while graph.is_active():
        ready = sorted(graph.get_ready(), key=list(REGISTRY).index)
        order += ready
        graph.done(*ready)
    return [by_name[name] for name in order]


def layers_for(
    plugins: Iterable[AnalyzerPlugin], reports: Sequence[Report], names: Mapping[str, str], threads: int | None = None
) -> Layers:
    """The shared layers the plugins read, computed once for the batch (`names`: actor aliases kept
    capitalized in headlines; `threads`: the encoder's, `AnalysisOptions().threads` when not given)."""
    reads = {layer for plugin in plugins for layer in plugin.reads}
    if ENCODER not in reads:
        return Layers(parses=parse_documents(reports, names) if PARSE in reads else ())
    model = technique_model(threads or AnalysisOptions().threads)
    parses: list[list[ParsedSentence]] = []
    encoding: list[Future[list[dict[int, EncodedSegment]]]] = []
    with ThreadPoolExecutor(1) as encoder:  # the encoder's runs release the GIL: it works while the next part parses
        for first in range(0, len(reports), ENCODED_WHILE_PARSING):
            part = reports[first : first + ENCODED_WHILE_PARSING]
            parsed = parse_documents(part, names)
            parses += parsed
            encoding.append(encoder.submit(encode_documents, part, parsed, model))
        return Layers(parses=parses, encoded=[e for future in encoding for e in future.result()])


def run_alone(plugin: AnalyzerPlugin, reports: Sequence[Report]) -> list[Report]:
    """Run one analyzer on its own (tests, benchmarks), with the shared layers it reads."""
    return plugin.analyze(reports, layers_for([plugin], reports, actor_aliases()))


def with_findings(report: Report, findings: Iterable[Finding], *, section: str, summary: BaseModel) -> Report:
    """A copy of `report` with `findings` merged in text order and the summary's `section` set."""
    if section not in Summary.model_fields:
        raise TypeError(f"the summary has no section {section!r}")
    merged = tuple(sorted((*report.findings, *findings), key=lambda f: (f.start, f.end, f.analyzer, f.label)))
    return report.model_copy(
        update={"findings": merged, "summary": report.summary.model_copy(update={section: summary})}
    )
