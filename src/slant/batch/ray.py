"""The Ray runner: the same pipeline on Ray Data, one `Analyzer` per actor, results written by the driver.

The driver reads the corpus and drops what is stored exactly as the local runner does, then submits the rest
in chunks (`ray.data.from_items`), mapped by a pool of `concurrency` actors that each load the models once;
it iterates the results and commits them batch by batch, so a run can be killed and rerun like a local one.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from typing import Any

from slant.batch.progress import BatchProgress
from slant.batch.work import BatchResult, analyze_items, chunked, pending, record
from slant.ingest.corpus import CorpusEntry
from slant.options import AnalysisOptions
from slant.pipeline import Analyzer
from slant.store import Store

#: Items submitted per Ray dataset: bounds the driver's memory; each chunk starts a fresh actor pool.
DEFAULT_CHUNK = 20_000


class RayAnalyzer:
    """A Ray Data callable class: holds one `Analyzer` and maps batches of pickled items to pickled outcomes."""

    def __init__(self, options: AnalysisOptions) -> None:
        self.analyzer = Analyzer(options)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        items = [pickle.loads(payload) for payload in batch["item"]]
        return {"outcome": [pickle.dumps(outcome) for outcome in analyze_items(self.analyzer, items)]}


def run_ray(
    entries: Iterable[CorpusEntry],
    store: Store,
    options: AnalysisOptions | None = None,
    *,
    workers: int = 2,
    address: str | None = None,
    chunk: int = DEFAULT_CHUNK,
    total: int | None = None,
    show_progress: bool = True,
) -> BatchResult:
    """Analyze every entry not yet in `store` on Ray with `workers` actors.

    Connects to `address` (e.g. `ray://head:10001`) or starts a local Ray unless Ray is already initialised.

    Raises:
        ImportError: Ray is not installed (`pip install 'slant[ray]'`).
    """
    try:
        import ray
    except ImportError as error:
        raise ImportError("the Ray engine needs Ray: pip install 'slant[ray]'") from error
    options = options or AnalysisOptions()
    # One core per actor: scale with more actors (--workers), not more threads per actor.
    options = options.model_copy(update={"threads": 1})
    started = not ray.is_initialized()
    if started:
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    try:
        return _run(
            ray, entries, store, options, workers=workers, chunk=chunk, total=total, show_progress=show_progress
        )
    finally:
        if started:  # end the actors and the local Ray this run started; a caller's own Ray stays up
            ray.shutdown()


def _run(
    ray: Any,
    entries: Iterable[CorpusEntry],
    store: Store,
    options: AnalysisOptions,
    *,
    workers: int,
    chunk: int,
    total: int | None,
    show_progress: bool,
) -> BatchResult:
    ray.data.DataContext.get_current().enable_progress_bars = False  # slant draws its own
    versions = ray.get(ray.remote(_versions).remote(options))
    result = BatchResult()
    size = options.batch_size
    with BatchProgress(result, total=total, enabled=show_progress) as progress:
        for items in chunked(pending(entries, store, versions, result, tick=progress.refresh), chunk):
            dataset = ray.data.from_items([{"item": pickle.dumps(item)} for item in items]).map_batches(
                RayAnalyzer,
                fn_constructor_kwargs={"options": options},
                batch_size=size,
                concurrency=min(workers, -(-len(items) // size)),
                num_cpus=1,
                batch_format="numpy",
            )
            for batch in dataset.iter_batches(batch_size=size, batch_format="numpy"):
                record(store, [pickle.loads(payload) for payload in batch["outcome"]], result)
                progress.refresh()
    return result


def _versions(options: AnalysisOptions) -> dict[str, str]:
    """The versions the actors will report (computed in a Ray worker so the driver loads no models)."""
    return Analyzer(options).versions
