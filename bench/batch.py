"""Batch throughput and memory: documents/s for 1 and 2 local workers and for Ray, and peak RSS vs input size.

    python bench/batch.py                      # 200 documents, every registered analyzer
    python bench/batch.py --docs 400 --no-ray  # more documents, skip the Ray run

Throughput runs share one generated corpus and count model loading (a fresh store each). The memory runs
analyze N and 10*N documents (no analyzers, so only the reader, runner and store are measured) in child
processes and report the peak RSS (Linux /proc VmHWM) of the parent and of its largest worker: it should not
grow with the input.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from slant.analyzers import REGISTRY
from slant.batch import BatchResult
from slant.batch.local import run_local
from slant.ingest.corpus import read_corpus
from slant.options import AnalysisOptions
from slant.pipeline import Analyzer
from slant.store import Store

T = TypeVar("T")
PLACES = ("Port Meridian", "Valdoria", "North Essen", "Lakeside", "Karsk", "Old Harbour")
ACTORS = ("the council", "the ministry", "the rebels", "the army", "the union", "the mayor", "the opposition")
SENTENCES = (
    "{actor} said on {day} that the situation in {place} was under control.",
    '"We will not surrender to these criminals," {actor} told reporters in {place}.',
    "According to a source close to {actor}, at least {n} people were moved from {place} overnight.",
    "Critics accuse {actor} of a shameful cover-up that endangers every family in {place}.",
    "Officials in {place} declined to comment on the report, which could not be independently verified.",
    "{actor} denied the claims and called them a dangerous lie spread by foreign agents.",
    "Residents of {place} say prices rose by {n} percent since the spring.",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def invented_article(i: int, sentences: int = 18) -> str:
    """A reproducible invented news story, different for each `i`."""
    rng = random.Random(i)
    place = rng.choice(PLACES)
    body = " ".join(
        _capitalised(
            rng.choice(SENTENCES).format(
                actor=rng.choice(ACTORS), place=place, day=rng.choice(DAYS), n=rng.randint(2, 900)
            )
        )
        for _ in range(sentences)
    )
    title = f"{rng.choice(ACTORS).capitalize()} under fire in {place} (report {i})"
    return f"{title}\n\n{body}\n"


def _capitalised(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]


def write_corpus(folder: Path, n: int) -> Path:
    """`n` invented articles, one file each."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"article{i}.txt").write_text(invented_article(i), encoding="utf-8")
    return folder


def timed(run: Callable[[], T]) -> tuple[float, T]:
    """Wall seconds of `run` and its result."""
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def throughput(corpus: Path, work: Path, config: AnalysisOptions, use_ray: bool) -> None:
    """Documents/s for 1 and 2 local workers and Ray with 2 actors, and their ratios to 1 worker."""
    runs: dict[str, Callable[[Store], BatchResult]] = {
        "local, 1 worker": lambda store: run_local(read_corpus(corpus), store, config, workers=1, show_progress=False),
        "local, 2 workers": lambda store: run_local(read_corpus(corpus), store, config, workers=2, show_progress=False),
    }
    if use_ray:
        runs["ray, 2 actors"] = lambda store: _run_ray(corpus, store, config)
    baseline = None
    for i, (name, run) in enumerate(runs.items()):
        seconds, result = timed(partial(run, Store(f"sqlite:///{work / f'run{i}.db'}")))
        rate = result.analyzed / seconds
        baseline = baseline or rate
        figures = f"{result.analyzed:5d} docs {seconds:7.1f} s {rate:7.2f} docs/s  x{rate / baseline:.2f}"
        print(f"{name:18} {figures}", flush=True)


def _run_ray(corpus: Path, store: Store, config: AnalysisOptions) -> BatchResult:
    """A run on a fresh local Ray (started inside the timing: a cluster would already be up)."""
    import ray

    from slant.batch.ray import run_ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        return run_ray(read_corpus(corpus), store, config, workers=2, show_progress=False)
    finally:
        ray.shutdown()


def memory_child(n: int, workers: int) -> None:
    """Child mode: analyze `n` documents with no analyzers; print peak RSS (MB) of self and of the largest worker."""
    worker_peak = 0.0
    done = threading.Event()

    def watch_workers() -> None:
        nonlocal worker_peak
        while not done.wait(0.2):
            worker_peak = max([worker_peak, *(_peak_rss_mb(pid) for pid in _children(os.getpid()))])

    watcher = threading.Thread(target=watch_workers, daemon=True)
    watcher.start()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(Path(tmp) / "corpus", n)
        config = AnalysisOptions(skip=tuple(REGISTRY))
        run_local(read_corpus(corpus), Store(f"sqlite:///{tmp}/m.db"), config, workers=workers, show_progress=False)
    done.set()
    watcher.join()
    print(f"{_peak_rss_mb('self'):.1f} {worker_peak:.1f}")


def _peak_rss_mb(pid: int | str) -> float:
    """A process's peak resident memory since it started (Linux /proc VmHWM; 0 once it has exited)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    return next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:"))


def _children(pid: int) -> list[int]:
    """The child processes of every thread of `pid` (a pool may start its workers from its own thread)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def memory(n: int) -> None:
    """Peak RSS for N and 10*N documents, and the ratio."""
    peaks = []
    for size in (n, 10 * n):
        command = [sys.executable, __file__, "--memory-child", str(size)]
        own, worker = map(float, subprocess.run(command, check=True, capture_output=True, text=True).stdout.split())
        peaks.append((own, worker))
        print(f"memory, {size:6d} docs: parent peak {own:7.1f} MB, largest worker peak {worker:7.1f} MB")
    print(f"peak RSS ratio 10x input / 1x input: parent x{peaks[1][0] / peaks[0][0]:.2f}, "
          f"worker x{peaks[1][1] / peaks[0][1]:.2f}")  # fmt: skip


def main() -> None:
    """Parse the arguments and run the benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="documents in the throughput corpus")
    parser.add_argument("--memory-docs", type=int, default=500, help="documents in the smaller memory run")
    parser.add_argument("--skip", action="append", default=[], help="analyzers to skip (repeatable)")
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray run")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, workers=2)
        return
    config = AnalysisOptions(skip=tuple(args.skip))
    load_seconds, _ = timed(lambda: Analyzer(config))
    print(f"analyzers: {[n for n in REGISTRY if n not in args.skip]}; one Analyzer loads in {load_seconds:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(Path(tmp) / "corpus", args.docs)
        throughput(corpus, Path(tmp), config, use_ray=not args.no_ray)
    memory(args.memory_docs)


if __name__ == "__main__":
    main()
