"""The store: idempotent upserts, failures recorded then cleared, resumable runs, on SQLite and PostgreSQL."""

from sqlalchemy import func, select
from store_fixtures import make_report

from slant.analyzers import REGISTRY
from slant.batch.local import run_local
from slant.ingest.corpus import CorpusFailure, CorpusItem
from slant.model import Metadata
from slant.options import AnalysisOptions
from slant.store import Store
from slant.store.rows import stored_document
from slant.store.schema import doc_techniques, documents

NO_ANALYZERS = AnalysisOptions(skip=tuple(REGISTRY))


def _stored(n: int) -> list:
    return [
        stored_document(CorpusItem(ref=f"a{i}.txt", data=bytes([i])), f"key{i}", make_report(site=f"Outlet {i % 2}"))
        for i in range(n)
    ]


def _snapshot(store: Store) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "analyzed_at"} for row in store.rows(with_report=True)]


def test_writing_the_same_documents_twice_changes_nothing(store: Store) -> None:
    store.write(_stored(3))
    first = _snapshot(store)
    store.write(_stored(3))
    store.write(_stored(3)[:1] * 2)  # duplicates inside one batch, too
    assert _snapshot(store) == first
    assert store.counts() == (3, 0)
    with store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(doc_techniques)) == 6
        assert connection.scalar(select(func.count(documents.c.key.distinct()))) == 3
    assert store.done(["key0", "key2", "nope"]) == {"key0", "key2"}


def test_failures_count_attempts_and_clear_on_success(store: Store) -> None:
    store.write((), [CorpusFailure("a0.txt", "empty"), CorpusFailure("b.txt", "binary")])
    store.write((), [CorpusFailure("a0.txt", "still empty")])
    failures = {row["ref"]: row for row in store.failure_rows()}
    assert failures["a0.txt"]["attempts"] == 2 and failures["a0.txt"]["reason"] == "still empty"
    store.write(_stored(1))
    assert [row["ref"] for row in store.failure_rows()] == ["b.txt"]


def test_queryable_technique_counts_per_outlet(store: Store) -> None:
    store.write(_stored(3))
    counts = {(row["outlet"], row["technique"]): row["count"] for row in store.technique_counts()}
    assert counts[("Outlet 0", "Loaded_Language")] == 4
    assert counts[("Outlet 1", "Doubt")] == 1


def test_running_the_same_input_twice_gives_the_same_rows(store: Store) -> None:
    items = [
        CorpusItem(
            ref=f"corpus.jsonl#{i}",
            data=f"Council story {i}\n\nThe council of Port Meridian said the port opens in {i} weeks.".encode(),
            metadata=Metadata(site="Meridian Ledger", published=f"2024-0{i + 1}-01"),
            row=i,
        )
        for i in range(4)
    ] + [CorpusItem(ref="corpus.jsonl#9", data=b"   ")]
    first = run_local(items, store, NO_ANALYZERS, show_progress=False)
    rows = _snapshot(store)
    second = run_local(items, store, NO_ANALYZERS, show_progress=False)
    assert (first.analyzed, first.failed) == (4, 1)
    assert (second.analyzed, second.skipped, second.failed) == (0, 4, 1)
    assert _snapshot(store) == rows
    assert [row["attempts"] for row in store.failure_rows()] == [2]


def test_reanalysis_with_new_models_counts_once_in_aggregates(store: Store) -> None:
    item = CorpusItem(ref="a.txt", data=b"same content")
    store.write([stored_document(item, "old-models", make_report(site="Ledger"))])
    store.write([stored_document(item, "new-models", make_report(site="Ledger"))])
    assert store.counts() == (2, 0)
    assert [row["key"] for row in store.rows(latest=True)] == ["new-models"]
    counts = {(row["outlet"], row["technique"]): row["count"] for row in store.technique_counts()}
    assert counts[("Ledger", "Loaded_Language")] == 2
