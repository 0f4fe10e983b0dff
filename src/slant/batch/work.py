"""What both engines share: the worker step and the resumable plan.

Workers turn `(key, item)` pairs into stored rows or failures; the parent (or Ray driver) filters out the
keys already stored before submitting and writes what comes back. Keeping these in one place keeps the
resume and skip logic identical for every engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from slant.errors import SlantError
from slant.ingest.corpus import CorpusEntry, CorpusFailure, CorpusItem
from slant.model import Document
from slant.pipeline import Analyzer
from slant.store import Store
from slant.store.rows import StoredDocument, stored_document

KeyedItem = tuple[str, CorpusItem]
Outcome = StoredDocument | CorpusFailure
T = TypeVar("T")


@dataclass
class BatchResult:
    """What a run did: items analyzed now, skipped as already stored, and failed."""

    analyzed: int = 0
    skipped: int = 0
    failed: int = 0


def analyze_items(analyzer: Analyzer, items: Sequence[KeyedItem]) -> list[Outcome]:
    """Analyze a batch together; an item that cannot be read or analyzed becomes a failure, not an error.

    When the batch fails as a whole (one article not English, an analyzer error), its items are retried one
    by one so that only the bad ones fail.
    """
    outcomes: list[Outcome] = []
    ready = []
    for key, item in items:
        try:
            ready.append((key, item, item.document()))
        except Exception as error:  # one bad article must not stop a corpus run
            outcomes.append(CorpusFailure(item.ref, _reason(error)))
    try:
        reports = analyzer.analyze_documents([document for _, _, document in ready])
    except Exception:  # isolate the failing items
        return outcomes + [_analyze_one(analyzer, *entry) for entry in ready]
    shown = analyzer.options.min_confidence
    return outcomes + [
        stored_document(item, key, r.shown(shown)) for (key, item, _), r in zip(ready, reports, strict=True)
    ]


def pending(
    entries: Iterable[CorpusEntry],
    store: Store,
    versions: dict[str, str],
    result: BatchResult,
    *,
    tick: Callable[[], None] = lambda: None,
    lookup: int = 256,
) -> Iterator[KeyedItem]:
    """The items not yet stored under these model versions; reader failures are recorded on the way.

    `result` counts the skipped and failed items as they pass, and `tick` is called after each lookup, so that
    a progress display can follow.
    """
    for chunk in chunked(entries, lookup):
        read_failures = [entry for entry in chunk if isinstance(entry, CorpusFailure)]
        keyed = [(entry.key(versions), entry) for entry in chunk if isinstance(entry, CorpusItem)]
        done = store.done([key for key, _ in keyed])
        if read_failures:
            store.write((), read_failures)
        result.failed += len(read_failures)
        result.skipped += sum(key in done for key, _ in keyed)
        tick()
        yield from ((key, item) for key, item in keyed if key not in done)


def record(store: Store, outcomes: Sequence[Outcome], result: BatchResult) -> None:
    """Write one batch's outcomes in one transaction and count them.

    When the database refuses the batch, its rows are written one by one and each row it still refuses is
    recorded as that item's failure, so that one bad row neither stops the run nor fails it again on rerun
    before the others are stored.
    """
    stored = [o for o in outcomes if isinstance(o, StoredDocument)]
    failed = [o for o in outcomes if isinstance(o, CorpusFailure)]
    try:
        store.write(stored, failed)
    except SQLAlchemyError:
        kept = []
        for document in stored:
            try:
                store.write([document])
                kept.append(document)
            except SQLAlchemyError as error:
                failed.append(CorpusFailure(document.ref, f"the database refused the result: {_db_reason(error)}"))
        store.write((), failed)
        stored = kept
    result.analyzed += len(stored)
    result.failed += len(failed)


def chunked(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` consecutive elements (the last may be shorter), read lazily."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _analyze_one(analyzer: Analyzer, key: str, item: CorpusItem, document: Document) -> Outcome:
    try:
        report = analyzer.analyze_documents([document])[0]
        return stored_document(item, key, report.shown(analyzer.options.min_confidence))
    except Exception as error:  # recorded as this item's failure
        return CorpusFailure(item.ref, _reason(error))


def _db_reason(error: SQLAlchemyError) -> str:
    """The driver's message, without the statement and parameters SQLAlchemy appends."""
    cause = getattr(error, "orig", None) or error
    return f"{type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''}"


def _reason(error: Exception) -> str:
    if isinstance(error, SlantError):
        return str(error)
    return f"internal error {type(error).__name__}: {error}"
