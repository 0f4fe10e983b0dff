"""The fixture pages and their expected segmentation, shared by the tests and `bench/segmentation.py`.

Each page `NAME.txt` or `NAME.html` in `tests/fixtures/pages/` has `NAME.json` beside it listing the
expected spans as `[kind, prefix]` or `[kind, prefix, {author, posted, parent}]`: a span starts at the
first occurrence of `prefix` after the previous span's start and runs to the next span's start. Kind
"none" marks text that belongs to no segment (a comment's "X says:" or "Reply" lines; boilerplate is
accepted there too). A comment's `parent` is the 0-based number of the comment it replies to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from slant.ingest import document_from_bytes
from slant.model import Document, SegmentKind

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
NONE = "none"


@dataclass(frozen=True)
class ExpectedComment:
    """What a fixture says about one reader comment."""

    start: int
    end: int
    author: str | None
    posted: str | None
    parent: int | None


@dataclass(frozen=True)
class Page:
    """A fixture page read through slant's ingest, with the expected kind of every character."""

    name: str
    document: Document
    expected: list[str]
    comments: list[ExpectedComment]


def page_paths(folder: Path = PAGES) -> list[Path]:
    """The fixture pages in `folder`, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html"))


def read_page(path: Path) -> Page:
    """Ingest one fixture page and expand its JSON into per-character expected kinds."""
    document = document_from_bytes(path.read_bytes(), name=path.name)
    text = document.text
    entries = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["segments"]
    starts, position = [], 0
    for entry in entries:
        found = text.find(entry[1], position)
        if found < 0:
            raise ValueError(f"{path.name}: expected prefix {entry[1]!r} not found after offset {position}")
        starts.append(found)
        position = found + 1
    expected = [NONE] * len(text)
    comments = []
    for index, entry in enumerate(entries):
        end = starts[index + 1] if index + 1 < len(entries) else len(text)
        expected[starts[index] : end] = [entry[0]] * (end - starts[index])
        if entry[0] == SegmentKind.COMMENT:
            attributes = entry[2] if len(entry) > 2 else {}
            comments.append(
                ExpectedComment(
                    starts[index], end, attributes.get("author"), attributes.get("posted"), attributes.get("parent")
                )
            )
    return Page(path.stem, document, expected, comments)


def predicted_kinds(document: Document) -> list[str]:
    """The kind of every character according to the document's segments ("none" outside them)."""
    kinds = [NONE] * len(document.text)
    for segment in document.segments:
        kinds[segment.start : segment.end] = [segment.kind.value] * (segment.end - segment.start)
    return kinds


def char_accuracy(text: str, expected: list[str], predicted: list[str]) -> float:
    """Share of non-whitespace characters whose predicted kind is the expected one."""
    scored = [
        e == p or (e == NONE and p == SegmentKind.BOILERPLATE)
        for ch, e, p in zip(text, expected, predicted, strict=True)
        if not ch.isspace()
    ]
    return sum(scored) / len(scored) if scored else 1.0
