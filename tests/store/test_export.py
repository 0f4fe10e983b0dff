"""Exports: one row per stored document in CSV, JSONL and Parquet, through the CLI."""

import csv
import json

import pytest
from store_fixtures import make_report
from typer.testing import CliRunner

from slant.cli import app
from slant.ingest.corpus import CorpusItem
from slant.store import Store
from slant.store.rows import stored_document


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    reports = [make_report(site="Meridian Ledger"), make_report(site='Quote "and", comma', published="bad date")]
    stored = [stored_document(CorpusItem(ref=f"r{i}", data=bytes([i])), f"k{i}", r) for i, r in enumerate(reports)]
    Store(url).write(stored)
    return url


def _export(db: str, fmt: str, path, *extra: str) -> None:
    result = CliRunner().invoke(app, ["export", "--db", db, "--format", fmt, "-o", str(path), *extra])
    assert result.exit_code == 0, result.output


def test_csv(db: str, tmp_path) -> None:
    _export(db, "csv", tmp_path / "x.csv")
    rows = list(csv.DictReader((tmp_path / "x.csv").open(encoding="utf-8")))
    assert [r["outlet"] for r in rows] == ["Meridian Ledger", 'Quote "and", comma']
    assert rows[0]["published_date"] == "2024-03-05" and rows[1]["published_date"] == ""
    assert json.loads(rows[0]["loaded_terms"]) == {"so-called experts": 1}
    assert "report" not in rows[0]


def test_jsonl_with_reports(db: str, tmp_path) -> None:
    _export(db, "jsonl", tmp_path / "x.jsonl", "--with-report")
    rows = [json.loads(line) for line in (tmp_path / "x.jsonl").read_text().splitlines()]
    assert len(rows) == 2
    assert rows[0]["report"]["summary"]["verdict"]["score"] == 0.72
    assert rows[0]["verdict_level"] == "high"


def test_parquet(db: str, tmp_path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="Parquet export needs pyarrow (the parquet extra)")
    _export(db, "parquet", tmp_path / "x.parquet")
    table = pq.read_table(tmp_path / "x.parquet")
    assert table.num_rows == 2
    assert str(table.schema.field("verdict_score").type) == "double"
    assert table.column("n_sources").to_pylist() == [2, 2]
