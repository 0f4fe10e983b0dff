"""The local runner: analyze a corpus in this process or in a pool of worker processes, writing as it goes.

Each worker loads one `Analyzer` once (the pool's initializer) and analyzes whole batches; the parent reads
the corpus, skips what is stored, keeps a bounded number of batches in flight (so memory stays flat however
large the corpus), and commits each batch's results as it arrives.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait

from slant.batch.progress import BatchProgress
from slant.batch.work import BatchResult, KeyedItem, Outcome, analyze_items, chunked, pending, record
from slant.ingest.corpus import CorpusEntry
from slant.options import AnalysisOptions
from slant.pipeline import Analyzer
from slant.store import Store

#: Batches queued per worker: enough to keep every worker busy while the parent writes.
_IN_FLIGHT_PER_WORKER = 2
_worker_analyzer: Analyzer | None = None


def run_local(
    entries: Iterable[CorpusEntry],
    store: Store,
    options: AnalysisOptions | None = None,
    *,
    workers: int = 1,
    total: int | None = None,
    show_progress: bool = True,
) -> BatchResult:
    """Analyze every entry not yet in `store` with `workers` processes (1: in this process).

    Args:
        entries: the corpus, as `slant.ingest.corpus.read_corpus` streams it.
        store: where results and failures go.
        options: which analyzers to run, with which options (batch size included).
        workers: worker processes; each loads the models once.
        total: the number of entries, when known cheaply (for the ETA).
        show_progress: draw a progress bar on stderr.
    """
    options = options or AnalysisOptions()
    result = BatchResult()
    with BatchProgress(result, total=total, enabled=show_progress) as progress:
        if workers <= 1:
            analyzer = Analyzer(options)
            todo = pending(entries, store, analyzer.versions, result, tick=progress.refresh)
            for batch in chunked(todo, options.batch_size):
                record(store, analyze_items(analyzer, batch), result)
                progress.refresh()
            return result
        context = multiprocessing.get_context("spawn")
        options = options.model_copy(update={"threads": _threads_each(workers)})
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_load, initargs=(options,)) as pool:
            versions = pool.submit(_versions).result()
            todo = pending(entries, store, versions, result, tick=progress.refresh)
            in_flight: set[Future[list[Outcome]]] = set()
            for batch in chunked(todo, options.batch_size):
                if len(in_flight) >= workers * _IN_FLIGHT_PER_WORKER:
                    finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                    _record_all(store, finished, result, progress)
                in_flight.add(pool.submit(_analyze, batch))
            _record_all(store, as_completed(in_flight), result, progress)
    return result


def _threads_each(workers: int) -> int:
    """Model threads per worker: the machine's cores shared out, so that workers don't fight over them."""
    return max(1, (os.cpu_count() or 1) // workers)


def _record_all(
    store: Store, finished: Iterable[Future[list[Outcome]]], result: BatchResult, progress: BatchProgress
) -> None:
    for future in finished:
        record(store, future.result(), result)
        progress.refresh()


def _load(options: AnalysisOptions) -> None:
    """Pool initializer: load this worker's models once."""
    global _worker_analyzer
    _worker_analyzer = Analyzer(options)


def _versions() -> dict[str, str]:
    assert _worker_analyzer is not None, "worker started without its initializer"
    return _worker_analyzer.versions


def _analyze(batch: list[KeyedItem]) -> list[Outcome]:
    assert _worker_analyzer is not None, "worker started without its initializer"
    return analyze_items(_worker_analyzer, batch)
