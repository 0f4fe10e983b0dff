"""The local runner: analyze a corpus in a pool of worker processes, writing as it goes.

Each worker loads one `Analyzer` once and analyzes whole batches; the parent reads the corpus, skips what is
stored, keeps a bounded number of batches in flight (so memory stays flat however large the corpus), and
commits each batch's results as it arrives. A batch that overruns its time budget (the options' budget per
document, times its documents) is stopped and its documents are retried one by one, so only the slow ones
fail. Workers end with the run, and with the parent if it is killed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from functools import partial

from slant.batch.progress import BatchProgress
from slant.batch.work import BatchResult, KeyedItem, Outcome, analyze_items, chunked, pending, record
from slant.ingest.corpus import CorpusEntry, CorpusFailure
from slant.options import AnalysisOptions
from slant.pipeline import Analyzer
from slant.store import Store
from slant.workers import AnalysisTimeoutError, WorkerCrashedError, WorkerPool

#: Batches queued per worker: enough to keep every worker busy while the parent writes.
_IN_FLIGHT_PER_WORKER = 2


def run_local(
    entries: Iterable[CorpusEntry],
    store: Store,
    options: AnalysisOptions | None = None,
    *,
    workers: int = 1,
    total: int | None = None,
    show_progress: bool = True,
) -> BatchResult:
    """Analyze every entry not yet in `store` with `workers` worker processes.

    Args:
        entries: the corpus, as `slant.ingest.corpus.read_corpus` streams it.
        store: where results and failures go.
        options: which analyzers to run, with which options (batch size and time budget included).
        workers: worker processes; each loads the models once.
        total: the number of entries, when known cheaply (for the ETA).
        show_progress: draw a progress bar on stderr.
    """
    options = (options or AnalysisOptions()).model_copy(update={"threads": _threads_each(workers)})
    budget = options.limits.time_budget_s
    result = BatchResult()
    with (
        BatchProgress(result, total=total, enabled=show_progress) as progress,
        WorkerPool(partial(Analyzer, options), workers) as pool,
    ):
        versions = pool.submit(_versions, None).result()
        in_flight: dict[Future[list[Outcome]], list[KeyedItem]] = {}

        def submit(batch: list[KeyedItem]) -> None:
            in_flight[pool.submit(analyze_items, batch, timeout=budget * len(batch))] = batch

        def collect(bound: int) -> None:
            while len(in_flight) > bound:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = in_flight.pop(future)
                    try:
                        outcomes = future.result()
                    except (AnalysisTimeoutError, WorkerCrashedError) as error:
                        if len(batch) > 1:  # find the item(s) to blame: retry each alone
                            for item in batch:
                                submit([item])
                            continue
                        outcomes = [CorpusFailure(batch[0][1].ref, str(error))]
                    record(store, outcomes, result)
                    progress.refresh()

        for batch in chunked(pending(entries, store, versions, result, tick=progress.refresh), options.batch_size):
            collect(workers * _IN_FLIGHT_PER_WORKER - 1)
            submit(batch)
        collect(0)
    return result


def _threads_each(workers: int) -> int:
    """Model threads per worker: the machine's cores shared out, so that workers don't fight over them."""
    return max(1, (os.cpu_count() or 1) // workers)


def _versions(analyzer: Analyzer, _: None) -> dict[str, str]:
    return analyzer.versions
