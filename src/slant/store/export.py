"""Export the store's documents as CSV, JSONL or Parquet, streaming, one row per document."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.engine import RowMapping

from slant.store import Store
from slant.store.schema import documents

#: Rows written per Parquet row group.
_PARQUET_ROWS = 1000


class ExportFormat(StrEnum):
    """File formats `slant export` writes."""

    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


def export(store: Store, path: Path, fmt: ExportFormat, *, with_report: bool = False) -> int:
    """Write every stored document's columns (and its full report, if asked) to `path`; return the row count.

    JSON columns (versions, loaded terms, the report) are objects in JSONL and JSON strings in CSV and Parquet.

    Raises:
        ImportError: Parquet was asked for but pyarrow is not installed (`pip install 'slant[parquet]'`).
    """
    names = [c.name for c in documents.c if with_report or c.name != "report"]
    rows = store.rows(with_report=with_report)
    if fmt is ExportFormat.JSONL:
        return _write_jsonl(path, rows)
    flat = (_flat(row) for row in rows)
    if fmt is ExportFormat.CSV:
        return _write_csv(path, names, flat)
    return _write_parquet(path, names, flat)


def _write_jsonl(path: Path, rows: Iterator[RowMapping]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(dict(row), default=_iso, ensure_ascii=False) + "\n")
            count += 1
    return count


def _write_csv(path: Path, names: list[str], rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_parquet(path: Path, names: list[str], rows: Iterator[dict[str, Any]]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ImportError("Parquet export needs pyarrow: pip install 'slant[parquet]'") from error
    integers = {"row_number", "words", "techniques_total", "n_sources", "claims_total", "claims_unattributed"}
    reals = {"verdict_score", "techniques_per_100_words", "dominant_share", "anonymous_share"}
    special = {"one_sided": pa.bool_(), "published_date": pa.date32(), "analyzed_at": pa.timestamp("us", tz="UTC")}
    types = {**{n: pa.int64() for n in integers}, **{n: pa.float64() for n in reals}, **special}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in names])
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        while chunk := [row for _, row in zip(range(_PARQUET_ROWS), rows, strict=False)]:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def _flat(row: RowMapping) -> dict[str, Any]:
    """JSON columns as JSON strings, for the flat formats."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()}


def _iso(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
