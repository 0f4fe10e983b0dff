"""The real-page development set: third-party HTML pages, their scraped-text renderings and our annotations.

The pages live in `../shared/data/real-pages/html/` (never copied into the repository). For each page,
`bench/data/real_pages/annotations.jsonl` holds the file name, the SHA-1 of its bytes and the segments as
`[kind, start, end, {author}]` offsets into the page's rendering (`render`): the page's text blocks
(paragraphs, headings, list items, ...) one per line, separated by blank lines, as a scraper writes
them. The variants a scraped corpus shows are derived from it without moving any offset:

- ``lines``: the rendering itself, one paragraph per line;
- ``wrapped``: hard-wrapped at 76 columns (spaces become line breaks);
- ``flat``: no line breaks at all (each paragraph break becomes two spaces), as in CSV corpora.

`bench/data/real_pages/build.py` wrote the annotations (see its docstring for how they were made).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml.etree import _Comment, _Element, _ProcessingInstruction

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
REAL_PAGES = SHARED_DATA / "real-pages"
ANNOTATIONS = Path(__file__).resolve().parents[2] / "bench" / "data" / "real_pages" / "annotations.jsonl"
VARIANTS = ("lines", "wrapped", "flat")
WRAP_WIDTH = 76

_SKIPPED = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "head",
        "select",
        "option",
        "button",
        "input",
        "textarea",
    ]
)
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "article",
        "section",
        "header",
        "footer",
        "nav",
        "aside",
        "blockquote",
        "pre",
        "tr",
        "td",
        "th",
        "br",
        "figure",
        "figcaption",
        "form",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "main",
        "label",
        "hr",
        "address",
        "details",
        "summary",
    ]
)


@dataclass(frozen=True)
class Block:
    """One text block of a page: its collapsed text and the element that holds it."""

    text: str
    element: _Element


@dataclass(frozen=True)
class RealPage:
    """One annotated real page: its file, its rendering and the gold segments over the rendering."""

    file: str
    html: bytes
    rendering: str
    segments: list[tuple[str, int, int, dict[str, str]]]

    def variant(self, name: str) -> str:
        """The rendering as scraped-text variant `name` (offsets unchanged)."""
        if name == "lines":
            return self.rendering
        if name == "flat":
            return self.rendering.replace("\n\n", "  ")
        if name == "wrapped":
            return wrap(self.rendering)
        raise ValueError(f"unknown variant {name!r}; use one of {VARIANTS}")


def blocks(html: bytes) -> list[Block]:
    """The visible text blocks of an HTML page in document order, whitespace collapsed."""
    tree = lxml.html.fromstring(html)
    found: list[Block] = []
    pending: list[str] = []

    def flush(owner: _Element) -> None:
        text = " ".join("".join(pending).split())
        pending.clear()
        if text:
            found.append(Block(text, owner))

    def walk(element: _Element, owner: _Element) -> None:
        if isinstance(element, _Comment | _ProcessingInstruction) or element.tag in _SKIPPED:
            pending.append(" ")
            return
        if (element.get("style") or "").replace(" ", "").lower().find("display:none") >= 0:
            return
        block = element.tag in BLOCK_TAGS
        if block:
            flush(owner)
            owner = element
        pending.append(element.text or "")
        for child in element:
            walk(child, owner)
            if child.tail:
                if block and child.tag in BLOCK_TAGS:
                    flush(owner)
                pending.append(child.tail)
        if block:
            flush(owner)

    body = tree.find("body")
    walk(body if body is not None else tree, tree)
    flush(tree)
    return found


def wrap(text: str, width: int = WRAP_WIDTH) -> str:
    """Hard-wrap every line of `text` at `width` columns by turning spaces into line breaks."""
    chars = list(text)
    column, last_space = 0, -1
    for i, ch in enumerate(chars):
        if ch == "\n":
            column, last_space = 0, -1
            continue
        column += 1
        if ch == " ":
            last_space = i
        if column > width and last_space >= 0:
            chars[last_space] = "\n"
            column, last_space = i - last_space, -1
    return "".join(chars)


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def read_annotations(path: Path = ANNOTATIONS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def render(selected: list[Block]) -> str:
    return "\n\n".join(block.text for block in selected)


def real_pages(folder: Path = REAL_PAGES) -> list[RealPage]:
    """The annotated real pages, read from `folder` and checked against their recorded hashes."""
    pages = []
    for row in read_annotations():
        html = (folder / "html" / row["file"]).read_bytes()
        if sha1(html) != row["sha1"]:
            raise ValueError(f"{row['file']} differs from the annotated version (SHA-1 {row['sha1']})")
        all_blocks = blocks(html)
        first, last = row["blocks"]
        rendering = render(all_blocks[first:last])
        if sha1(rendering.encode()) != row["rendering_sha1"]:
            raise ValueError(f"{row['file']}: the rendering changed since it was annotated")
        segments = [(kind, start, end, extra[0] if extra else {}) for kind, start, end, *extra in row["segments"]]
        pages.append(RealPage(row["file"], html, rendering, segments))
    return pages


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())
