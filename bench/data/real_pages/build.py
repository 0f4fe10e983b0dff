"""Build `annotations.jsonl`: gold segments for the real pages in ../shared/data/real-pages (semi-automatic).

Run: python bench/data/real_pages/build.py [--show FILE]

Each page is turned into text blocks (`tests/ingest/real_pages.blocks`) and every block gets a label:

- body: blocks found, in order, in trafilatura's main text (precision mode, no comments), then corrected by
  the page's hand-made strings (expected.json): a block holding a "with" string is body, one holding a
  "without" string is not; body blocks far from the article's main run (a teaser repeated in a sidebar)
  are dropped;
- title: the page's h1 (or the block equal to the page title) before the body; byline/dateline: short blocks
  between title and body naming the author or a date; bio: blocks after the body inside an author box;
- comment: the blocks inside one comment's content element (one comment per comment element, the
  elements named per page in `COMMENTS` after reading each page's markup); the comment's author and time
  blocks belong to no segment; comments_header: a heading just before the first comment that names them;
- everything else in the rendered region is boilerplate.

The rendered region runs from 3 blocks before the title to 5 blocks after the last body, comment or
comment-form block, as a scraper that grabs the main column would. Pages are kept when every "with"
string lies in the body, no "without" string does, and (where annotated) the comment strings lie in
comments; the others are listed as skipped. Then every kept page was read through `--show`; where a label
is demonstrably wrong against the page itself (an article paragraph left out of trafilatura's text, a
caption taken in), `CORRECTIONS` relabels those blocks, each one logged in CORRECTIONS.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.ingest.real_pages import ANNOTATIONS, REAL_PAGES, Block, blocks, render, sha1  # noqa: E402

KINDS = ("news", "blog", "magazine", "opinion", "forum")
BEFORE, AFTER = 3, 5
LONG = 50
_BYLINE = re.compile(r"^(?:[Bb]y|BY|[Ww]ritten by|[Pp]osted by|[Ww]ords by|[Aa]uthor:)(?:\s|(?=[A-Z]))")
_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|\bupdated\b|\bpublished\b",
    re.I,
)
_COMMENT_HEADING = re.compile(r"comment|response|thought|repl(?:y|ies)|discussion|conversation", re.I)
_FORM = re.compile(r"^(?:leave a (?:reply|comment)|post a comment|add a comment)", re.I)
_WIDGET = re.compile(r"like|reply|share|meta|action|vote|author|vcard|\bfn\b|date|time", re.I)
_BIO_BOX = re.compile(r"author[-_ ]?(?:bio|box|info|description|details)|about[-_ ]the[-_ ]author|bio\b", re.I)


def _cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_WP = (f"//li[{_cls('comment')}]", f".//div[{_cls('comment-content')}]")
#: file -> (comment element XPath, comment text XPath inside it), read off each page's comment markup.
COMMENTS: dict[str, tuple[str, str]] = {
    "blog.wordpress.com.diverse.html": (f"//li[{_cls('comment')}]", f".//div[{_cls('contenttext')}]"),
    "lemire.me.json.html": _WP,
    "luxuryhaven.co.hyatt.html": (f"//li[{_cls('comment')}]", f".//*[{_cls('comment-content')}]"),
    "stackoverflow.com.rust.html": (f"//li[{_cls('comment')}]", ".//div[contains(@class, 'comment-text')]"),
    "threatpost.com.android.html": (f"//div[{_cls('c-comment')}]", f".//div[{_cls('c-comment__content')}]"),
    "californiaglobe.com.amazon.html": _WP,
    "elavegan.com-Peanut.html": _WP,
    "fifplay.com.settings.html": _WP,
    "flawlessfood.co.uk.olive.html": _WP,
    "foxyfolksy.com.buttercream.html": _WP,
    "geeks3d.com.hacklab.html": (f"//article[{_cls('comment')}]", f".//section[{_cls('comment-content')}]"),
    "hearya.com.metal.html": (f"//dt[{_cls('comment')}] | //dd[{_cls('comment')}]", f".//div[{_cls('format_text')}]"),
    "statisticsglobe.com.ggplot2.html": (f"//li[{_cls('comment')}]", f".//div[{_cls('w-comments-item-text')}]"),
    "thenervousbreakdown.com.loneliest.html": (f"//li[{_cls('comment')}]", f".//div[{_cls('comment-body')}]"),
    "tomshardware.com.rtx.html": (f"//li[{_cls('xenforo-comment')}]", f".//div[{_cls('js-read-more')}]"),
    "toptal.com.python.html": (f"//div[{_cls('comment')}]", f".//div[{_cls('comment-body')}]"),
    "youhadmeatgardening.com.lemon.html": _WP,
}
#: pages left out: a question-and-answer thread whose answers are neither article nor comments; a page that
#: became annotatable after the train/dev split was fixed (adding it would move every later page's part)
EXCLUDED = frozenset({"german.stackexchange.com.ausgeraubt.html", "reddit.com.init.html", "nytimes.com.blackouts.html"})


#: file -> (first, last, kind): blocks first..last (numbered in the rendered region, as `--show` prints them)
#: relabelled by eye; every entry is explained in CORRECTIONS.md.
CORRECTIONS: dict[str, list[tuple[int, int, str]]] = {
    "popsugar.co.uk.halloween.html": [(7, 262, "body")],
    "villagevoice.com-Party.html": [(17, 19, "body"), (21, 22, "body"), (24, 25, "body")],
    "d44c5ef50718437984dca47627dee96b.html": [
        *((i, i, "boilerplate") for i in (3, 7, 21, 58, 135, 187)),
        (143, 143, "title"),
        (147, 154, "body"),
        (156, 159, "body"),
        (162, 165, "body"),
    ],
    "axios.com.future.html": [
        (22, 23, "body"),
        (34, 34, "body"),
        (36, 47, "body"),
        (49, 53, "body"),
        (61, 61, "body"),
        (63, 65, "body"),
        (67, 68, "body"),
    ],
    "harpers.org.justice.html": [(3, 3, "title"), (6, 6, "dateline")],
    "wired.com.burn.html": [(19, 21, "body")],
    "newrepublic.com.neoliberalism.html": [(38, 38, "boilerplate"), (39, 39, "body")],
    "salon.com.emissions.html": [(10, 11, "body"), (13, 14, "body")],
    "laweekly.com-Cultivation.html": [(19, 19, "body"), (26, 26, "body")],
    "healthline.com.fat.html": [
        (4, 8, "body"),
        *((i, i, "body") for i in (10, 25, 37, 49, 61, 73, 86, 99, 112, 125, 138)),
    ],
    "timesofisrael.com.washington.html": [(54, 54, "body")],
    "kaieteurnewsonline.com-essequibo.html": [
        *((i, i, "boilerplate") for i in (0, 11, 88, 103, 105, 107)),
        (111, 114, "boilerplate"),
    ],
    "caymancompass.com-prison.html": [
        (3, 3, "boilerplate"),
        (5, 5, "boilerplate"),
        (6, 6, "title"),
        (7, 7, "boilerplate"),
        (8, 9, "byline"),
        (11, 11, "dateline"),
        (12, 17, "boilerplate"),
        (19, 54, "boilerplate"),
    ],
}


def normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", readable(text).lower()))


def readable(text: str) -> str:
    """`text` with UTF-8 read as Latin-1 (mojibake such as "letâ\x80\x99s") repaired, for matching against
    trafilatura's text, which decodes such pages right; "Ã " was "à" before its no-break space was collapsed."""
    try:
        return text.replace("Ã ", "Ã\xa0").encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def classes_of(element) -> str:  # type: ignore[no-untyped-def]
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def label(file: str, expected: dict) -> tuple[int, list[Block], list[str], list[dict]] | str:
    """Blocks, one label per block and per-block extras (comment number, author), or why the page is skipped."""
    html = (REAL_PAGES / "html" / file).read_bytes()
    page = blocks(html)
    extracted = trafilatura.bare_extraction(html.decode("utf-8", "replace"), include_comments=False, with_metadata=True)
    if extracted is None or not extracted.text:
        return "trafilatura finds no text"
    main = normal(extracted.text)
    labels = ["boilerplate"] * len(page)
    norms = [normal(block.text) for block in page]
    anchors: list[tuple[int, int, int]] = []  # (block, start, end) in the main text, increasing
    for i, norm in enumerate(norms):
        found = main.find(norm) if len(norm) >= LONG else -1
        if found >= 0 and (not anchors or found >= anchors[-1][2]):
            anchors.append((i, found, found + len(norm)))
    bounds = [(-1, 0, 0), *anchors, (len(page), len(main), len(main))]
    for (i, _, low), (j, high, _) in zip(bounds, bounds[1:], strict=False):
        labels[j if j < len(page) else i] = "body" if j < len(page) else labels[i]
        position = low
        for k in range(i + 1, j):
            found = main.find(norms[k], position, high) if norms[k] else -1
            if found >= 0:
                labels[k] = "body"
                position = found + len(norms[k])
    for i, block in enumerate(page):
        norm = normal(block.text)
        if any(normal(w) in norm for w in expected.get("without", []) if normal(w)):
            labels[i] = "boilerplate"
        elif any(normal(w) in norm for w in expected.get("with", []) if normal(w)):
            labels[i] = "body"
    body = [i for i, lab in enumerate(labels) if lab == "body"]
    if not body:
        return "no body block"
    # the main run: the densest window of body blocks; body blocks far outside it are sidebar repeats
    chars = {i: len(page[i].text) for i in body}
    best = max(body, key=lambda s: sum(c for j, c in chars.items() if s <= j < s + 400))
    for i in body:
        if not best - 40 <= i < best + 400:
            labels[i] = "boilerplate"
    body = [i for i, lab in enumerate(labels) if lab == "body"]
    first_body, last_body = body[0], body[-1]
    extras: list[dict] = [{} for _ in page]
    title = normal(extracted.title or "")
    window = range(first_body, max(-1, first_body - 40), -1)
    title_at = next((i for i in window if title and normal(page[i].text) == title), None)
    if title_at is None:
        title_at = next((i for i in window if i < first_body and page[i].element.tag == "h1"), None)
    if title_at is not None:
        labels[title_at] = "title"
        author = normal(extracted.author or "")
        for i in range(title_at + 1, min(len(page), title_at + 10)):
            text = page[i].text
            if len(text.split()) > 14 or labels[i] == "body" and len(text) > 40:
                continue
            if _BYLINE.match(text) or (len(author) > 3 and author in normal(text)):
                labels[i] = "byline"
                extras[i] = {"author": extracted.author or ""}
            elif _DATE.search(text):
                labels[i] = "dateline"
        body = [i for i, lab in enumerate(labels) if lab == "body"]
        first_body = body[0]
    for i in range(last_body + 1, min(len(page), last_body + 30)):
        if any(_BIO_BOX.search(classes_of(a)) for a in [page[i].element, *page[i].element.iterancestors()]):
            labels[i] = "bio"
    end = last_body
    if file in COMMENTS:
        item_path, content_path = COMMENTS[file]
        tree_root = page[0].element.getroottree().getroot()
        items = tree_root.xpath(item_path)
        assigned: set[int] = set()
        for number, item in reversed(list(enumerate(items))):  # replies (nested) first, so each block is theirs
            members = set(item.xpath(content_path))
            for i, b in enumerate(page):
                ancestry = [b.element, *b.element.iterancestors()]
                if i in assigned or item not in ancestry:
                    continue
                assigned.add(i)
                in_content = any(c in members for c in ancestry) and not any(
                    _WIDGET.search(a.get("class") or "") for a in ancestry[: ancestry.index(item)]
                )
                labels[i] = "comment" if in_content else "none"
                extras[i] = {"comment": number} if in_content else {}
        comment_blocks = [i for i, lab in enumerate(labels) if lab == "comment"]
        if comment_blocks:
            end = max(end, comment_blocks[-1])
            for i in range(comment_blocks[0] - 1, max(last_body, comment_blocks[0] - 8), -1):
                if page[i].element.tag in ("h2", "h3", "h4", "h5") and _COMMENT_HEADING.search(page[i].text):
                    labels[i] = "comments_header"
                    break
    for i in range(last_body + 1, min(len(page), last_body + 60)):
        if _FORM.match(page[i].text):
            end = max(end, i)
    start = max(0, (title_at if title_at is not None else first_body) - BEFORE)
    end = min(len(page), end + 1 + AFTER)
    selected = labels[start:end]
    for first, last, kind in CORRECTIONS.get(file, []):
        if last >= len(selected):
            raise ValueError(f"{file}: correction {first}-{last} lies outside the {len(selected)} rendered blocks")
        selected[first : last + 1] = [kind] * (last + 1 - first)
    return start, page[start:end], selected, extras[start:end]


def segments_of(selected: list[Block], labels: list[str], extras: list[dict]) -> list[list]:
    """Offsets of the labelled blocks in the rendering, neighbours of one kind (and one comment) merged."""
    segments: list[list] = []
    offset = 0
    previous: tuple[str, int | None] | None = None
    for block, kind, extra in zip(selected, labels, extras, strict=True):
        start, end = offset, offset + len(block.text)
        offset = end + 2
        key = (kind, extra.get("comment"))
        if kind != "none" and previous == key and kind not in ("title", "byline", "dateline"):
            segments[-1][2] = end
        elif kind != "none":
            segments.append(
                [kind, start, end, {"author": extra["author"]}] if extra.get("author") else [kind, start, end]
            )
        previous = key if kind != "none" else previous
    return segments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", metavar="FILE", help="print one page's labelled blocks instead of writing")
    args = parser.parse_args()
    expected = json.loads((REAL_PAGES / "expected.json").read_text(encoding="utf-8"))
    index = [json.loads(line) for line in (REAL_PAGES / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    rows, skipped = [], []
    for entry in index:
        file = entry["file"]
        if args.show and file != args.show:
            continue
        if entry["kind"] not in KINDS or file not in expected or entry.get("same_text_as") or file in EXCLUDED:
            continue
        result = label(file, expected[file])
        if isinstance(result, str):
            skipped.append((file, result))
            continue
        start, selected, labels, extras = result
        if args.show:
            for number, (block, kind, extra) in enumerate(zip(selected, labels, extras, strict=True)):
                print(f"{number:4d} {kind:16s} {extra.get('comment', '')!s:3s} {block.text[:110]!r}")
            return
        rendering = render(selected)
        segments = segments_of(selected, labels, extras)
        body = " ".join(normal(rendering[s[1] : s[2]]) for s in segments if s[0] == "body")
        missing = [w for w in expected[file]["with"] if normal(w) not in body]
        kept = [w for w in expected[file]["without"] if normal(w) and normal(w) in body]
        if missing or kept:
            skipped.append((file, f"with missing {missing[:2]} / without kept {kept[:2]}"))
            continue
        rows.append(
            {
                "file": file,
                "sha1": sha1((REAL_PAGES / "html" / file).read_bytes()),
                "kind": entry["kind"],
                "blocks": [start, start + len(selected)],
                "rendering_sha1": sha1(rendering.encode()),
                "segments": segments,
            }
        )
    ANNOTATIONS.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} pages annotated, {len(skipped)} skipped")
    for file, why in skipped:
        print(f"  skipped {file}: {why}")


if __name__ == "__main__":
    main()
