"""Speed of slant's full analysis against spaCy's small-model parse of the same texts, in one run.

    python bench/speed.py                      # 48 PTC dev articles, a 43,039-char article, a 1 MB text
    python bench/speed.py --big-limit 120      # give up on the 1 MB text after 120 s
    python bench/speed.py --skip sourcing      # every analyzer but sourcing

Prints, with the machine's load average:
- PTC-size articles: spaCy's parse (`en_core_web_sm`, every component, `nlp.pipe`) of the articles, then slant's
  full analysis (every analyzer, from bytes to summarized report, in batches of `AnalysisOptions.batch_size`), in
  articles/s, and their ratio by wall time (target: slant at >= 0.66x the parse) and by CPU time (all threads:
  steadier than wall time on a shared, busy machine);
- the real pages of `../shared/data/real-pages` whose text has at least 35,000 characters, each from its HTML bytes
  to the summarized report (median of 3 runs, the analyzers loaded), in seconds (target: under 2 s for 44,000
  characters), against spaCy's parse of the page's text in the same run;
- the longest PTC article (train article782086447, 43,039 characters) and a 1,000,000-character text (the PTC
  train articles joined, in id order), each analyzed alone in a fresh process, in seconds and in seconds per
  100,000 characters (equal when the cost is linear in the input size), with the process' peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from slant import ptc
from slant.errors import NoArticleError
from slant.ingest import document_from_bytes
from slant.nlp import MODEL_PACKAGES
from slant.options import AnalysisOptions, Limits
from slant.pipeline import Analyzer

LONG_ARTICLE = "782086447"
PAGE_CHARS = 35_000  # real pages at least this long are timed


def ptc_texts(data: Path, n: int) -> list[str]:
    """The first `n` PTC dev articles (unlabeled: no gold is read)."""
    return [a.text for a in ptc.read_articles(data / "ptc-semeval2020" / "dev-articles")[:n]]


def long_text(data: Path, chars: int | None = None) -> str:
    """The longest PTC article, or (given `chars`) the PTC train articles joined and cut at a line end to
    about `chars` characters."""
    articles = ptc.read_articles(data / "ptc-semeval2020" / "train" / "train-articles")
    if chars is None:
        return next(a.text for a in articles if a.id == LONG_ARTICLE)
    joined = "\n\n".join(a.text.strip() for a in articles)
    return joined[: joined.rfind("\n", 0, chars) + 1]


def peak_rss_mb() -> float:
    """This process' peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """Wall and CPU (all threads of this process) seconds since it was made."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        """(wall seconds, CPU seconds) so far."""
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def articles(data: Path, n: int, skip: tuple[str, ...]) -> None:
    """Articles/s of spaCy's parse and of slant's full analysis over `n` PTC dev articles, and their ratio."""
    texts = ptc_texts(data, n)
    nlp = next(spacy.load(name) for name in MODEL_PACKAGES if spacy.util.is_package(name))
    nlp("warm up")
    clock = Clock()
    for _ in nlp.pipe(texts):
        pass
    parse_wall, parse_cpu = clock.read()
    del nlp
    options = AnalysisOptions(skip=skip)
    analyzer = Analyzer(options)
    analyzer.analyze(texts[0])  # warm-up
    encoded = [t.encode() for t in texts]
    clock = Clock()
    for first in range(0, len(texts), options.batch_size):
        batch = encoded[first : first + options.batch_size]
        analyzer.analyze_documents([document_from_bytes(t, name=f"article{i}") for i, t in enumerate(batch)])
    wall, cpu = clock.read()
    print(f"{len(texts)} PTC dev articles ({sum(map(len, texts))} chars), {options.threads} threads, "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"  spaCy parse (en_core_web_sm): {len(texts) / parse_wall:6.2f} articles/s, {parse_cpu:7.1f} CPU s")
    print(f"  slant full analysis         : {len(texts) / wall:6.2f} articles/s, {cpu:7.1f} CPU s")
    print(f"  ratio to the spaCy parse    : {parse_wall / wall:.3f}x by wall time, {parse_cpu / cpu:.3f}x by CPU time")
    print(f"  peak memory {peak_rss_mb():.0f} MB")


def median_seconds(run: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    """The median wall and CPU seconds of `runs` calls of `run`."""
    wall, cpu = [], []
    for _ in range(runs):
        clock = Clock()
        run()
        seconds = clock.read()
        wall.append(seconds[0])
        cpu.append(seconds[1])
    return statistics.median(wall), statistics.median(cpu)


def real_pages(data: Path, skip: tuple[str, ...]) -> None:
    """Seconds for each real page whose text has at least `PAGE_CHARS` characters, from its HTML bytes to the
    summarized report, against spaCy's parse of its text (each the median of 3 runs)."""
    pages = []
    for path in sorted((data / "real-pages" / "html").glob("*.html")):
        try:
            text = document_from_bytes(path.read_bytes(), name=path.name).text
        except NoArticleError:
            continue
        if len(text) >= PAGE_CHARS:
            pages.append((path, text))
    nlp = next(spacy.load(name) for name in MODEL_PACKAGES if spacy.util.is_package(name))
    analyzer = Analyzer(AnalysisOptions(skip=skip))
    analyzer.analyze(ptc_texts(data, 1)[0])  # warm-up
    print(f"{len(pages)} real pages of at least {PAGE_CHARS} chars, load average {os.getloadavg()[0]:.1f}")
    for path, text in pages:
        parse, parse_cpu = median_seconds(lambda: list(nlp.pipe([text])))  # noqa: B023 (called at once)
        raw = path.read_bytes()
        seconds, cpu = median_seconds(lambda: analyzer.analyze(document_from_bytes(raw, name=path.name)))  # noqa: B023
        print(f"  {path.name:40s} {len(text):6d} chars: {seconds:5.2f} s ({cpu:.2f} CPU s), spaCy parse "
              f"{parse:5.2f} s ({parse_cpu:.2f} CPU s); ratio {parse / seconds:.3f}x by wall, "
              f"{parse_cpu / cpu:.3f}x by CPU")  # fmt: skip


def one_text(data: Path, chars: int | None, skip: tuple[str, ...]) -> dict[str, float]:
    """Child mode: load the analyzers, then analyze `long_text(data, chars)` alone (the size and time limits
    raised for it)."""
    text = long_text(data, chars)
    limits = Limits(max_text_chars=max(len(text), Limits().max_text_chars), time_budget_s=3600)
    analyzer = Analyzer(skip=skip, limits=limits)
    analyzer.analyze(ptc_texts(data, 1)[0])  # warm-up
    clock = Clock()
    analyzer.analyze_documents([document_from_bytes(text.encode(), name="page")])
    wall, cpu = clock.read()
    return {"seconds": wall, "cpu": cpu, "chars": len(text), "peak_mb": peak_rss_mb()}


def alone(data: Path, chars: int | None, skip: tuple[str, ...], limit: float) -> None:
    """Run `one_text` in a fresh process within `limit` seconds and print its time and peak memory."""
    command = [sys.executable, __file__, "--data", str(data), "--child", str(chars or 0)]
    command += [option for name in skip for option in ("--skip", name)]
    load = os.getloadavg()[0]
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        print(f"{chars or 'longest PTC article'} chars: more than {limit:.0f} s (stopped), load average {load:.1f}")
        return
    figures = json.loads(done.stdout.splitlines()[-1])
    print(f"{int(figures['chars']):9d}-char text: {figures['seconds']:7.2f} s ({figures['cpu']:.1f} CPU s), "
          f"{1e5 * figures['seconds'] / figures['chars']:6.2f} s per 100k chars, "
          f"peak memory {figures['peak_mb']:.0f} MB, load average {load:.1f}")  # fmt: skip


def main() -> None:
    """Parse the arguments and run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=48, help="PTC dev articles")
    parser.add_argument("--big-chars", type=int, default=1_000_000)
    parser.add_argument("--big-limit", type=float, default=300.0, help="seconds before a long text is given up")
    parser.add_argument("--skip", action="append", default=[], help="analyzers to skip (repeatable)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    skip = tuple(args.skip)
    if args.child is not None:
        print(json.dumps(one_text(args.data, args.child or None, skip)))
        return
    if skip:
        print(f"skipping {list(skip)}")
    articles(args.data, args.articles, skip)
    real_pages(args.data, skip)
    alone(args.data, None, skip, args.big_limit)
    alone(args.data, args.big_chars, skip, args.big_limit)


if __name__ == "__main__":
    main()
