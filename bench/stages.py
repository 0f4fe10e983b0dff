"""Where slant's time goes: seconds per stage and analyzer, and cProfile's top costs, on PTC articles and long texts.

    python bench/stages.py                        # 48 PTC dev articles, and the longest PTC article (43,039 chars)
    python bench/stages.py --big-chars 200000       # also PTC train articles joined into one 200,000-char text
    python bench/stages.py --page PAGE.html --top 20  # a page (HTML or text) instead of the longest article

Each workload is analyzed twice by one loaded `Analyzer` (all analyzers): once timed stage by stage, in wall and
CPU seconds (ingest and segmentation, the shared layers, each analyzer, the summary; the shared layers' spaCy parse
and encoder pass, which overlap there, are also timed alone), once under cProfile (which does not see the encoder's
threads). spaCy's
plain parse of the same texts (`en_core_web_sm`, every component, `nlp.pipe`) is timed in the same run, so the
figures can be compared across runs on a shared, busy machine: each stage is also printed as a multiple of that
parse (by CPU time, steadier than wall time when other processes compete for the cores).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import spacy

from slant import analyzers
from slant.encoder import encode_documents, technique_model
from slant.ingest import document_from_bytes
from slant.model import Document, Report
from slant.nlp import MODEL_PACKAGES
from slant.parse import parse_documents
from slant.pipeline import Analyzer
from slant.summarize import summarize
from speed import Clock, long_text, ptc_texts

T = TypeVar("T")
#: The two parts of the shared layers, each timed alone (in the pipeline the encoder runs while the parse goes on).
PARSE_ALONE, ENCODER_ALONE = "(parse alone)", "(encoder alone)"
ALONE = (PARSE_ALONE, ENCODER_ALONE)


Seconds = tuple[float, float]  # wall, CPU


def spacy_baseline(texts: Sequence[str]) -> Seconds:
    """Seconds spaCy's small English pipeline (all components, fresh load, not timed) takes to parse `texts`
    (the documents' texts, once HTML is extracted)."""
    nlp = next(spacy.load(name) for name in MODEL_PACKAGES if spacy.util.is_package(name))
    nlp("warm up")
    seconds, _ = timed(lambda: list(nlp.pipe(texts)))
    return seconds


def staged(analyzer: Analyzer, texts: Sequence[bytes]) -> dict[str, Seconds]:
    """Seconds of each stage of analyzing `texts` as one batch, in pipeline order (as `Analyzer.analyze_documents`)."""
    seconds: dict[str, Seconds] = {}
    seconds["ingest+segment"], documents = timed(lambda: ingest(texts))
    reports = [Report(**dict(document)) for document in documents]
    seconds[PARSE_ALONE], parses = timed(lambda: parse_documents(reports, analyzer._names))
    model = technique_model(analyzer.options.threads)
    seconds[ENCODER_ALONE], _ = timed(lambda: encode_documents(reports, parses, model))
    seconds["shared layers"], layers = timed(lambda: analyzers.layers_for(analyzer.plugins, reports, analyzer._names))
    for plugin in analyzer.plugins:
        seconds[plugin.name], reports = timed(lambda p=plugin, r=reports: p.analyze(r, layers))  # type: ignore[misc]
    seconds["summary"], _ = timed(lambda: [summarize(report) for report in reports])
    return seconds


def whole(analyzer: Analyzer, texts: Sequence[bytes]) -> list[Report]:
    """The full analysis as a user runs it: bytes -> document -> report."""
    return analyzer.analyze_documents(ingest(texts))


def ingest(texts: Sequence[bytes]) -> list[Document]:
    """Each text (HTML or plain) as a segmented document."""
    return [document_from_bytes(t, name=f"text{i}") for i, t in enumerate(texts)]


def timed(run: Callable[[], T]) -> tuple[Seconds, T]:
    """Wall and CPU seconds of `run`, and its result."""
    clock = Clock()
    result = run()
    return clock.read(), result


def profile(name: str, analyzer: Analyzer, texts: Sequence[str], top: int) -> None:
    """Print the stage table and cProfile's `top` costs (own time; cumulative time within slant) for one workload."""
    encoded = [t.encode() for t in texts]
    baseline = spacy_baseline([d.text for d in ingest(encoded)])
    stages = staged(analyzer, encoded)
    wall, cpu = (sum(s[i] for stage, s in stages.items() if stage not in ALONE) for i in (0, 1))
    chars = sum(map(len, texts))
    print(f"\n== {name}: {len(texts)} texts, {chars} chars; load average {os.getloadavg()[0]:.1f}")
    print("                                         wall s    CPU s  ratio to the spaCy parse (wall, CPU)")
    print(f"spaCy parse (en_core_web_sm, nlp.pipe) {baseline[0]:8.2f} {baseline[1]:8.2f}")
    print(f"slant full analysis (staged)           {wall:8.2f} {cpu:8.2f}  "
          f"{baseline[0] / wall:.3f}x {baseline[1] / cpu:.3f}x")  # fmt: skip
    print("  stage: wall s, CPU s, share of CPU, CPU as a multiple of the spaCy parse's (the shared layers' parse and\n"
          "  encoder pass, which overlap, also timed alone first, not counted in the total)")  # fmt: skip
    for stage, (w, c) in stages.items():
        print(f"  {stage:16} {w:8.2f} {c:8.2f}  {100 * c / cpu:5.1f}%  {c / baseline[1]:5.2f}x spaCy parse")
    profiler = cProfile.Profile()
    profiler.runcall(whole, analyzer, encoded)
    stats = pstats.Stats(profiler)
    print(f"-- top {top} by own time")
    _print_top(stats, "tottime", top, lambda _: True)
    print(f"-- top {top} slant functions by cumulative time")
    _print_top(stats, "cumulative", top, lambda file: "/slant/" in file and "/pipeline.py" not in file)


def _print_top(stats: pstats.Stats, key: str, top: int, keep: Callable[[str], bool]) -> None:
    rows = stats.stats  # type: ignore[attr-defined]
    column = 2 if key == "tottime" else 3
    ranked = sorted(((v[column], v[1], f) for f, v in rows.items() if keep(f[0])), reverse=True)[:top]
    for seconds, calls, (file, line, function) in ranked:
        where = "/".join(Path(file).parts[-2:]) if file != "~" else "builtin"
        print(f"  {seconds:8.2f} s {calls:9d} calls  {where}:{line} {function}")


def main() -> None:
    """Parse the arguments and profile both workloads."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=48, help="PTC dev articles")
    parser.add_argument("--page", type=Path, help="a page (HTML or text) instead of the longest PTC article")
    parser.add_argument("--big-chars", type=int, help="also profile PTC train articles joined into one text this long")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--skip-ptc", action="store_true", help="skip the PTC dev articles")
    args = parser.parse_args()
    (load_seconds, _), analyzer = timed(Analyzer)
    print(f"analyzers {[p.name for p in analyzer.plugins]} loaded in {load_seconds:.1f} s; cpus {os.cpu_count()}")
    whole(analyzer, [t.encode() for t in ptc_texts(args.data, 1)])  # warm-up
    if not args.skip_ptc:
        profile("PTC dev articles", analyzer, ptc_texts(args.data, args.articles), args.top)
    page = args.page.read_text(errors="replace") if args.page else long_text(args.data)
    profile(str(args.page or "the longest PTC article"), analyzer, [page], args.top)
    if args.big_chars:
        big = long_text(args.data, args.big_chars)
        profile(f"PTC train articles joined, {len(big)} chars", analyzer, [big], args.top)


if __name__ == "__main__":
    main()
