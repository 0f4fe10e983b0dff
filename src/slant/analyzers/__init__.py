"""Pluggable analyzers. Each adds a layer of findings (and a summary section) to a batch of reports.

An analyzer is a class with a `name`, a `version`, what it `reads` (the shared parse, other analyzers'
findings), a constructor taking `AnalysisOptions`, and `analyze(reports, layers) -> reports`. It loads its
models once, in its constructor, and processes the whole batch at once, because batching is where CPU
throughput comes from. The pipeline runs analyzers in an order where each follows those it reads, and
computes the shared layers once for all of them.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from graphlib import CycleError, TopologicalSorter
from threading import Event
from typing import ClassVar, NamedTuple, Protocol

from pydantic import BaseModel

from slant.encoder import EncodedSegment, LinePasses, actors, encode_document, technique_model
from slant.errors import UsageError
from slant.lexicons import actor_aliases
from slant.model import Finding, Report, Summary
from slant.options import AnalysisOptions
from slant.parse import (
    ParsedSentence,
    Sentence,
    parse_documents,
    parse_sentences,
    sentences_to_parse,
)
from slant.techniques.actor_blind import Actor, actor_names, blind
from slant.techniques.model import TechniqueModel

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
#: Characters of sentences parsed at a time when the encoder reads the parse (at least; a batch is parsed in about
#: `MAX_PARTS` parts at most, in parts doubling from `FIRST_PART_CHARS` at its start and halving toward its end, down
#: to `LAST_PART_CHARS`): the encoder runs on one part while the next parses.
PART_CHARS = 16_000
MAX_PARTS = 32
FIRST_PART_CHARS = 4_000
LAST_PART_CHARS = 2_000
_WORD = re.compile(r"\w+")


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
    parses, encoded = _parsed_and_encoded(reports, names, technique_model(threads or AnalysisOptions().threads))
    return Layers(parses=parses, encoded=encoded)


def _parsed_and_encoded(
    reports: Sequence[Report], names: Mapping[str, str], model: TechniqueModel
) -> tuple[list[list[ParsedSentence]], list[dict[int, EncodedSegment]]]:
    """The parse and the encoder pass of each report, as `parse_documents` then `encode_documents` give them, the
    encoder running on a thread of its own (its runs release the GIL) while the parse goes on.

    The batch's sentences are parsed in parts, in text order. Once every sentence of a report is parsed, the
    report's pass is run; before that, the lines of each parsed part are run blinded with the names found so far,
    and then only the lines that a name found later blinds otherwise run again (`LinePasses`). (spaCy's NER alone
    cannot run first: it keeps entities within the parser's sentences.)
    """
    sentences = sentences_to_parse(reports, names)
    parses: list[list[ParsedSentence]] = [[] for _ in reports]
    found: list[list[Actor]] = [[] for _ in reports]
    guessed: list[set[str]] = [set() for _ in reports]
    left = [len(own) for own in sentences]
    parsed_all = Event()  # until then, the encoder runs one window at a time, leaving a core to the parse
    passes = {r: LinePasses(model, lambda: None if parsed_all.is_set() else 1) for r in range(len(reports))}
    encoding: dict[int, Future[dict[int, EncodedSegment]]] = {}
    with ThreadPoolExecutor(1) as encoder:

        def encode(r: int) -> None:
            lexicon = actor_names(reports[r].text, found[r])
            encoding[r] = encoder.submit(encode_document, reports[r], lexicon, passes.pop(r))

        for r in (r for r, n in enumerate(left) if n == 0):
            encode(r)
        for part in _parts([(r, s) for r, own in enumerate(sentences) for s in own]):
            parsed = parse_sentences([sentence for _, sentence in part])
            touched: dict[int, tuple[list[Sentence], list[Actor]]] = {}
            for (r, sentence), parse in zip(part, parsed, strict=True):
                parses[r].append(parse)
                left[r] -= 1
                own, new = touched.setdefault(r, ([], []))
                own.append(sentence)
                new += actors([parse])
            for r, (own, new) in touched.items():
                found[r] += new
                if not left[r]:
                    encode(r)
                    continue
                guessed[r] |= actor_names(reports[r].text, new).keys()
                texts = [reports[r].text[start:end] for start, end in _line_ranges(reports[r].text, own)]
                encoder.submit(_run_blinded, passes[r], texts, frozenset(guessed[r]))
        parsed_all.set()
        return parses, [encoding[r].result() for r in range(len(reports))]


def _parts(sentences: Sequence[tuple[int, Sentence]]) -> list[list[tuple[int, Sentence]]]:
    """The sentences in consecutive parts of about `PART_CHARS` characters (about `MAX_PARTS` parts at most), doubling
    from `FIRST_PART_CHARS` at the start, so that the encoder soon has lines to run, and halving toward the end (down
    to `LAST_PART_CHARS`), so that little is left to encode once the parse is done."""
    total = sum(len(s.text) for _, s in sentences)
    size = max(PART_CHARS, total // MAX_PARTS)
    parts: list[list[tuple[int, Sentence]]] = []
    chars = limit = 0
    for item in sentences:
        if chars >= limit:
            parts.append([])
            total -= chars
            growing = FIRST_PART_CHARS << min(len(parts) - 1, 20)
            chars, limit = 0, max(LAST_PART_CHARS, min(size, growing, total // 2))
        parts[-1].append(item)
        chars += len(item[1].text)
    return parts


def _line_ranges(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int]]:
    """The whole lines of `text` that the sentences (in text order) touch, one range per segment they are in."""
    ranges: dict[int, tuple[int, int]] = {}
    for sentence in sentences:
        segment = sentence.segment
        start = ranges.get(segment.start, (text.rfind("\n", segment.start, sentence.start) + 1 or segment.start, 0))[0]
        end = text.find("\n", sentence.end, segment.end)
        ranges[segment.start] = (start, segment.end if end < 0 else end)
    return list(ranges.values())


def _run_blinded(passes: LinePasses, texts: Sequence[str], names: frozenset[str]) -> None:
    """Run ahead the lines of `texts` blinded with `names` (only with those whose first word occurs in the text, as
    written or in capitals: one pattern of all a long text's names for each part would cost more than a rare guess
    gone wrong)."""
    firsts = {name: next(iter(_WORD.findall(name)), "") for name in names}
    blinded = []
    for text in texts:
        words = set(_WORD.findall(text))
        blinded.append(blind(text, [n for n, w in firsts.items() if w in words or w.upper() in words]).text)
    passes.run_lines(blinded)


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
