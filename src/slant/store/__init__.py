"""The results store: every analyzed document of a corpus, queryable, in SQLite or PostgreSQL.

Writes are idempotent upserts keyed by content and model versions, committed a batch at a time, so a run
killed at any moment can be rerun to completion without duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Select, create_engine, delete, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from slant.ingest.corpus import CorpusFailure
from slant.store.rows import StoredDocument
from slant.store.schema import doc_techniques, documents, failures, metadata

__all__ = ["DEFAULT_DB", "Store", "StoredDocument"]

DEFAULT_DB = "sqlite:///slant.db"
#: The dialects with an upsert (`INSERT ... ON CONFLICT`), and their insert constructs.
_INSERTS: dict[str, Callable[..., Any]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
#: Keys looked up per query when checking what is done (well under SQLite's bound-parameter limit).
_LOOKUP_CHUNK = 500


class Store:
    """A connection to the results database; creates its tables on first use.

    Raises:
        ValueError: the URL is not a SQLite or PostgreSQL database.
    """

    def __init__(self, url: str = DEFAULT_DB) -> None:
        self.url = url
        self.engine: Engine = create_engine(url)
        dialect = self.engine.dialect.name
        if dialect not in _INSERTS:
            raise ValueError(f"{url!r}: slant stores results in SQLite or PostgreSQL, not {dialect}")
        self._insert = _INSERTS[dialect]
        if dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def done(self, keys: Collection[str]) -> set[str]:
        """The keys among `keys` that are already stored."""
        found: set[str] = set()
        keys = list(keys)
        with self.engine.connect() as connection:
            for start in range(0, len(keys), _LOOKUP_CHUNK):
                chunk = keys[start : start + _LOOKUP_CHUNK]
                found.update(connection.scalars(select(documents.c.key).where(documents.c.key.in_(chunk))))
        return found

    def write(self, stored: Sequence[StoredDocument], failed: Sequence[CorpusFailure] = ()) -> None:
        """Insert documents (skipping keys already there) and record failures, in one transaction.

        A stored document clears an earlier failure of the same item; a failure again counts one more attempt.
        """
        unique_docs = list({doc.key: doc for doc in stored}.values())
        unique_failures = list({failure.ref: failure for failure in failed}.values())
        with self.engine.begin() as connection:
            if unique_docs:
                self._insert_documents(connection, unique_docs)
                refs = [doc.ref for doc in unique_docs]
                connection.execute(delete(failures).where(failures.c.ref.in_(refs)))
            if unique_failures:
                self._record_failures(connection, unique_failures)

    def counts(self) -> tuple[int, int]:
        """How many documents and failures are stored."""
        with self.engine.connect() as connection:
            n_documents = connection.scalar(select(func.count()).select_from(documents)) or 0
            n_failures = connection.scalar(select(func.count()).select_from(failures)) or 0
        return n_documents, n_failures

    def rows(self, *, with_report: bool = False, latest: bool = False, batch: int = 500) -> Iterator[RowMapping]:
        """Stream the documents' columns (and the full report JSON, if asked), in key order; with `latest`,
        only the newest analysis of each content (rows of older model versions stay stored)."""
        columns = [c for c in documents.c if with_report or c.name != "report"]
        query = select(*columns).order_by(documents.c.key)
        if latest:
            query = query.where(documents.c.key.in_(_latest_keys()))
        with self.engine.connect() as connection:
            result = connection.execution_options(yield_per=batch).execute(query)
            yield from result.mappings()

    def failure_rows(self) -> list[RowMapping]:
        """The recorded failures, most recent first."""
        with self.engine.connect() as connection:
            return list(connection.execute(select(failures).order_by(failures.c.failed_at.desc())).mappings())

    def technique_counts(self) -> Iterator[RowMapping]:
        """Technique counts summed per outlet over the newest analysis of each content: outlet, technique, count."""
        query = (
            select(documents.c.outlet, doc_techniques.c.technique, func.sum(doc_techniques.c.count).label("count"))
            .join(documents, documents.c.key == doc_techniques.c.key)
            .where(documents.c.key.in_(_latest_keys()))
            .group_by(documents.c.outlet, doc_techniques.c.technique)
        )
        with self.engine.connect() as connection:
            yield from connection.execute(query).mappings()

    def _insert_documents(self, connection: Connection, stored: Sequence[StoredDocument]) -> None:
        connection.execute(
            self._insert(documents).on_conflict_do_nothing(index_elements=["key"]), [doc.values for doc in stored]
        )
        technique_rows = [
            {"key": doc.key, "technique": technique, "count": count}
            for doc in stored
            for technique, count in doc.techniques.items()
        ]
        if technique_rows:
            statement = self._insert(doc_techniques).on_conflict_do_nothing(index_elements=["key", "technique"])
            connection.execute(statement, technique_rows)

    def _record_failures(self, connection: Connection, failed: Sequence[CorpusFailure]) -> None:
        now = datetime.now(UTC)
        statement = self._insert(failures)
        statement = statement.on_conflict_do_update(
            index_elements=["ref"],
            set_={
                "reason": statement.excluded.reason,
                "failed_at": statement.excluded.failed_at,
                "attempts": failures.c.attempts + 1,
            },
        )
        connection.execute(
            statement, [{"ref": f.ref, "reason": f.reason, "attempts": 1, "failed_at": now} for f in failed]
        )


def _latest_keys() -> Select[tuple[str]]:
    """The key of the newest analysis of each content."""
    newest = (
        select(documents.c.content_hash, func.max(documents.c.analyzed_at).label("analyzed_at"))
        .group_by(documents.c.content_hash)
        .subquery()
    )
    on = (documents.c.content_hash == newest.c.content_hash) & (documents.c.analyzed_at == newest.c.analyzed_at)
    return select(documents.c.key).join(newest, on)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers (a report, a progress check) read while a batch writes; wait for locks, don't fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
