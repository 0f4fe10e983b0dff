"""Corpus readers: stream the articles of a folder, a CSV file or a JSONL file as `CorpusItem`s.

Readers only read: each item carries its raw bytes and the metadata its row gives, so that it can be
hashed cheaply (to skip work already stored) and turned into a `Document` later, in a worker. A bad row
becomes a `CorpusFailure` in the stream instead of stopping the run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from slant.errors import InputError
from slant.ingest import check_article, document_from_bytes
from slant.ingest.text import MAX_INPUT_BYTES
from slant.model import Document, Metadata

#: File suffixes read from a folder.
ARTICLE_SUFFIXES = frozenset({".txt", ".html", ".htm"})
_PTC_NAME = re.compile(r"^article(\d+)\.txt$")


@dataclass(frozen=True)
class CorpusItem:
    """One article of a corpus: where it came from, its raw bytes, and the metadata its row gives."""

    ref: str
    data: bytes
    metadata: Metadata = field(default_factory=Metadata)
    doc_id: str | None = None
    row: int | None = None

    @property
    def content_hash(self) -> str:
        """SHA-256 of the bytes and the metadata: equal for equal articles wherever they are read from."""
        digest = hashlib.sha256(self.data)
        digest.update(self.metadata.model_dump_json(exclude={"source"}).encode())
        return digest.hexdigest()

    def key(self, versions: dict[str, str]) -> str:
        """The store key: this content analyzed by these model versions."""
        return hashlib.sha256(f"{self.content_hash}\n{json.dumps(versions, sort_keys=True)}".encode()).hexdigest()

    def document(self, max_bytes: int = MAX_INPUT_BYTES) -> Document:
        """Decode, extract and segment the article, and check it is an English article; metadata from the row
        wins over what extraction found.

        Raises:
            InputError: the bytes are empty, binary, too large, hold no article, or are not English.
        """
        document = document_from_bytes(self.data, name=self.ref, url=self.metadata.url, max_bytes=max_bytes)
        known = {k: v for k, v in self.metadata.model_dump(exclude={"format"}).items() if v is not None}
        return check_article(document.model_copy(update={"metadata": document.metadata.model_copy(update=known)}))


@dataclass(frozen=True)
class CorpusFailure:
    """An item that could not be read or analyzed, and why."""

    ref: str
    reason: str


CorpusEntry = CorpusItem | CorpusFailure


class CorpusFormat(StrEnum):
    """How to read a corpus path."""

    AUTO = "auto"
    FOLDER = "folder"
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True)
class Columns:
    """Which column holds each field: the first name present (case-insensitive) wins."""

    text: Sequence[str] = ("text", "content", "body", "article")
    title: Sequence[str] = ("title", "headline")
    author: Sequence[str] = ("author", "authors", "byline")
    published: Sequence[str] = ("published", "date", "publish_date", "published_at", "pub_date")
    url: Sequence[str] = ("url", "site_url", "link")
    site: Sequence[str] = ("site", "source", "outlet", "publication", "domain")
    doc_id: Sequence[str] = ("id", "doc_id", "uuid")

    def resolve(self, header: Sequence[str], where: str) -> dict[str, str]:
        """Map each field to the header name that holds it.

        Raises:
            InputError: no column holds the article text.
        """
        by_lower = {name.strip().lower(): name for name in header}
        fields = ("text", "title", "author", "published", "url", "site", "doc_id")
        mapping = {}
        for name in fields:
            found = next((by_lower[c.lower()] for c in getattr(self, name) if c.lower() in by_lower), None)
            if found is not None:
                mapping[name] = found
        if "text" not in mapping:
            raise InputError(
                f"{where} has no text column (looked for {list(self.text)}; it has {list(header)}); "
                "name it with --text-column"
            )
        return mapping


def read_corpus(
    path: Path, fmt: CorpusFormat = CorpusFormat.AUTO, columns: Columns | None = None
) -> Iterator[CorpusEntry]:
    """Stream the articles of a folder (recursive .txt/.html; PTC `article<ID>.txt` names give the id), CSV or JSONL.

    Raises:
        InputError: the path does not exist, its format is unknown, or a table has no text column.
    """
    fmt = detect_format(path) if fmt is CorpusFormat.AUTO else fmt
    columns = columns or Columns()
    if fmt is CorpusFormat.FOLDER:
        return read_folder(path)
    if fmt is CorpusFormat.CSV:
        return read_csv(path, columns)
    return read_jsonl(path, columns)


def detect_format(path: Path) -> CorpusFormat:
    """The format of a corpus path, from its type and suffix.

    Raises:
        InputError: the path is missing or has a suffix slant does not read.
    """
    if path.is_dir():
        return CorpusFormat.FOLDER
    if not path.is_file():
        raise InputError(f"{path} does not exist")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv"}:
        return CorpusFormat.CSV
    if suffix in {".jsonl", ".ndjson"}:
        return CorpusFormat.JSONL
    raise InputError(f"{path} is neither a folder, a .csv nor a .jsonl file; pass --format to say which it is")


def folder_files(path: Path) -> Iterator[Path]:
    """The article files under `path`, recursively, in a stable order (holding one folder's listing at a time)."""
    for root, folders, names in os.walk(path):
        folders.sort()
        for name in sorted(names):
            file = Path(root) / name
            if file.suffix.lower() in ARTICLE_SUFFIXES and file.is_file():
                yield file


def read_folder(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> Iterator[CorpusEntry]:
    """Stream the article files of a folder; files over `max_bytes` fail without being read."""
    for file in folder_files(path):
        ref = str(file)
        size = file.stat().st_size
        if size > max_bytes:
            yield CorpusFailure(ref, f"{size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit per document")
            continue
        ptc = _PTC_NAME.match(file.name)
        doc_id = ptc.group(1) if ptc else str(file.relative_to(path))
        yield CorpusItem(ref=ref, data=file.read_bytes(), metadata=Metadata(source=ref), doc_id=doc_id)


def read_csv(path: Path, columns: Columns) -> Iterator[CorpusEntry]:
    """Stream the rows of a CSV (or TSV) file; undecodable rows fail alone."""
    _raise_csv_field_limit()
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
        reader = csv.DictReader(handle, dialect=dialect)
        mapping = columns.resolve(reader.fieldnames or [], str(path))
        for number, row in enumerate(reader, start=1):
            yield _row_item(path, number, row, mapping)


def read_jsonl(path: Path, columns: Columns) -> Iterator[CorpusEntry]:
    """Stream the objects of a JSONL file line by line; a broken line fails alone.

    Objects may differ in keys, so each is mapped on its own; the first one must have a text field.
    """
    first = True
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            ref = f"{path}#{number}"
            try:
                row = json.loads(line)
            except ValueError as error:
                yield CorpusFailure(ref, f"line {number} is not valid JSON: {error}")
                continue
            if not isinstance(row, dict):
                yield CorpusFailure(ref, f"line {number} is not a JSON object")
                continue
            try:
                mapping = columns.resolve(list(row), f"{path} line {number}")
            except InputError as error:
                if first:
                    raise
                yield CorpusFailure(ref, str(error))
                continue
            first = False
            yield _row_item(path, number, row, mapping)


def _row_item(path: Path, number: int, row: dict[str, object], mapping: dict[str, str]) -> CorpusEntry:
    ref = f"{path}#{number}"
    values = {name: _cell(row.get(column)) for name, column in mapping.items()}
    text, title = values.pop("text"), values.get("title")
    if text is None:
        return CorpusFailure(ref, f"row {number} has no text")
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return CorpusFailure(ref, f"row {number} is not valid UTF-8")
    doc_id = values.pop("doc_id", None)
    metadata = Metadata.model_validate({"source": ref, **values})
    return CorpusItem(ref=ref, data=data, metadata=metadata, doc_id=doc_id, row=number)


def _cell(value: object) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, list | dict) else str(value)
    return text.strip() or None


def _raise_csv_field_limit() -> None:
    """News articles are longer than csv's default 128 KB field limit."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2
