"""Segmentation accuracy on real pages and on the fixture pages, against an "everything is body" baseline.

Run: python bench/segmentation.py [--part train|dev] [--fixtures | --held-out] [--show NAME] [--errors N]

Real pages (default; needs ../shared/data/real-pages): the annotated development set of
`tests/ingest/real_pages.py`, read four ways: as HTML (slant's HTML ingest) and as the three scraped-text
variants of its rendering (`lines`, `wrapped`, `flat`). Figures:

- body character F1: on scraped text, over the non-whitespace characters of the gold body segments; on HTML,
  whose text slant rebuilds, over words (a word counts its characters; bag-of-words overlap);
- comment precision and recall: a found comment counts when it matches one gold comment (one-to-one) that
  it covers by at least half and that covers at least half of it (on HTML: word overlap F1 >= 0.5);
- pages wrongly refused: pages refused as not English or not an article (all of them are English articles).

`--part` scores one fixed part of the real set (tests/ingest/real_pages.py: rules are tuned on train and
reported on dev). `--errors N` lists, per text reading, the N pages with the most wrong body characters and
their wrong character ranges (false body, missed body), for looking at errors. The baseline makes the whole
text one body segment (no comments, nothing refused).
Fixture pages (`--fixtures`, or `--held-out` for tests/fixtures/pages/held-out): character accuracy against
tests/fixtures/pages/NAME.json and the share of pages with exactly the right number of comments.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ingest.pages import PAGES, Page, char_accuracy, page_paths, predicted_kinds, read_page  # noqa: E402
from tests.ingest.real_pages import PARTS, REAL_PAGES, VARIANTS, RealPage, real_pages, words  # noqa: E402

from slant.errors import InputError  # noqa: E402
from slant.ingest import document_from_bytes, document_from_text  # noqa: E402
from slant.ingest.language import check_article  # noqa: E402
from slant.model import Document, Segment, SegmentKind  # noqa: E402

MIN_MATCH = 0.5
Spans = list[tuple[int, int]]


def everything_is_body(document: Document) -> Document:
    """The baseline: the whole text is one body segment."""
    return document.model_copy(update={"segments": (Segment(kind=SegmentKind.BODY, start=0, end=len(document.text)),)})


class Tally:
    """Running sums for body F1 and comment precision/recall over pages."""

    def __init__(self) -> None:
        self.overlap = self.found = self.gold = 0.0
        self.comments_found = self.comments_gold = self.comments_right = 0
        self.refused = self.pages = 0

    def add_body(self, overlap: float, found: float, gold: float) -> None:
        self.overlap, self.found, self.gold = self.overlap + overlap, self.found + found, self.gold + gold

    def add_comments(self, found: int, gold: int, right: int) -> None:
        self.comments_found += found
        self.comments_gold += gold
        self.comments_right += right

    def line(self, name: str) -> str:
        precision = self.overlap / self.found if self.found else 0.0
        recall = self.overlap / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        cp = f"{self.comments_right / self.comments_found:.3f}" if self.comments_found else "  -  "
        cr = self.comments_right / self.comments_gold if self.comments_gold else 0.0
        return (
            f"{name:8s} body F1 {f1:.3f} (P {precision:.3f} R {recall:.3f})  comments P {cp} R {cr:.3f}"
            f" ({self.comments_right}/{self.comments_found} found, {self.comments_gold} gold)"
            f"  refused {self.refused}/{self.pages}"
        )


def _chars(text: str, spans: Spans) -> set[int]:
    return {i for start, end in spans for i in range(start, end) if not text[i].isspace()}


def _matched(found: list[set[int]], gold: list[set[int]]) -> int:
    """How many found comments match a gold comment one-to-one (each covers half of the other)."""
    used: set[int] = set()
    right = 0
    for piece in found:
        for index, target in enumerate(gold):
            shared = len(piece & target)
            if index not in used and shared >= MIN_MATCH * len(target) and shared >= MIN_MATCH * len(piece):
                used.add(index)
                right += 1
                break
    return right


def _bag(text: str) -> Counter[str]:
    return Counter(words(text))


def _bag_overlap(a: Counter[str], b: Counter[str]) -> int:
    return sum(min(n, b[w]) * len(w) for w, n in a.items() if w in b)


def _bag_size(bag: Counter[str]) -> int:
    return sum(n * len(w) for w, n in bag.items())


def _word_matched(found: list[Counter[str]], gold: list[Counter[str]]) -> int:
    used: set[int] = set()
    right = 0
    for piece in found:
        for index, target in enumerate(gold):
            shared = _bag_overlap(piece, target)
            size = _bag_size(piece) + _bag_size(target)
            if index not in used and size and 2 * shared / size >= MIN_MATCH:
                used.add(index)
                right += 1
                break
    return right


def _gold(page: RealPage, kind: str) -> Spans:
    return [(start, end) for k, start, end, _ in page.segments if k == kind]


def _spans(document: Document, kind: SegmentKind) -> Spans:
    return [(s.start, s.end) for s in document.segments_of(kind)]


def _ingest(build: Callable[[], Document]) -> Document | None:
    """The document, or None when slant refuses it."""
    try:
        document = build()
        check_article(document)
    except InputError:
        return None
    return document


class PageErrors(NamedTuple):
    """One page's wrong body characters in one reading: page F1 and the wrongly labelled ranges."""

    file: str
    f1: float
    false_body: Spans
    missed_body: Spans

    @property
    def wrong(self) -> int:
        return sum(end - start for start, end in (*self.false_body, *self.missed_body))


def _ranges(text: str, chars: set[int]) -> Spans:
    """`chars` as maximal ranges, bridging whitespace between them."""
    ranges: Spans = []
    for i in sorted(chars):
        if ranges and not text[ranges[-1][1] : i].strip():
            ranges[-1] = (ranges[-1][0], i + 1)
        else:
            ranges.append((i, i + 1))
    return ranges


def score_text(
    page: RealPage, variant: str, tallies: dict[str, Tally], show: bool, errors: list[PageErrors] | None = None
) -> None:
    """Add one scraped-text variant of `page` to the slant and baseline tallies (and its errors to `errors`)."""
    text = page.variant(variant)
    document = _ingest(lambda: document_from_text(text))
    gold_body = _chars(text, _gold(page, "body"))
    gold_comments = [_chars(text, [span]) for span in _gold(page, "comment")]
    for name, doc in (("slant", document), ("baseline", everything_is_body(document_from_text(text)))):
        tally = tallies[name]
        tally.pages += 1
        if doc is None:
            tally.refused += 1
            tally.add_body(0, 0, len(gold_body))
            tally.add_comments(0, len(gold_comments), 0)
            continue
        body = _chars(text, _spans(doc, SegmentKind.BODY))
        tally.add_body(len(body & gold_body), len(body), len(gold_body))
        if name == "slant" and errors is not None:
            f1 = 2 * len(body & gold_body) / (len(body) + len(gold_body)) if body or gold_body else 1.0
            errors.append(PageErrors(page.file, f1, _ranges(text, body - gold_body), _ranges(text, gold_body - body)))
        found = [_chars(text, [span]) for span in _spans(doc, SegmentKind.COMMENT)]
        tally.add_comments(len(found), len(gold_comments), _matched(found, gold_comments))
    if show and document is not None:
        for seg in document.segments:
            print(f"    {seg.kind.value:15s} {document.segment_text(seg)[:90]!r}")


def score_html(page: RealPage, tallies: dict[str, Tally], show: bool) -> None:
    """Add the HTML reading of `page` to the slant and baseline tallies (word-bag comparisons)."""
    document = _ingest(lambda: document_from_bytes(page.html, name=page.file))
    gold_body = _bag(" ".join(page.rendering[s:e] for s, e in _gold(page, "body")))
    gold_comments = [_bag(page.rendering[s:e]) for s, e in _gold(page, "comment")]
    for name in ("slant", "baseline"):
        tally = tallies[name]
        tally.pages += 1
        if document is None:
            tally.refused += 1
            tally.add_body(0, 0, _bag_size(gold_body))
            tally.add_comments(0, len(gold_comments), 0)
            continue
        doc = document if name == "slant" else everything_is_body(document)
        body = _bag(" ".join(doc.segment_text(s) for s in doc.segments_of(SegmentKind.BODY)))
        tally.add_body(_bag_overlap(body, gold_body), _bag_size(body), _bag_size(gold_body))
        found = [_bag(doc.segment_text(s)) for s in doc.segments_of(SegmentKind.COMMENT)]
        tally.add_comments(len(found), len(gold_comments), _word_matched(found, gold_comments))
    if show and document is not None:
        for seg in document.segments:
            print(f"    {seg.kind.value:15s} {document.segment_text(seg)[:90]!r}")


def real_set(show: str | None, part: str | None, worst: int = 0) -> None:
    """Print the real-page figures per reading and pooled over the three scraped-text variants (and the `worst`
    pages' errors per text reading)."""
    if not REAL_PAGES.is_dir():
        print(f"no real pages: {REAL_PAGES} is absent")
        return
    started = time.perf_counter()
    pages = [p for p in real_pages() if (show is None or p.file == show.split(":")[0]) and part in (None, p.part)]
    readings = ("html", *VARIANTS)
    tallies = {r: {"slant": Tally(), "baseline": Tally()} for r in (*readings, "text")}
    errors: dict[str, list[PageErrors]] = {variant: [] for variant in VARIANTS}
    for page in pages:
        for reading in readings:
            showing = show is not None and show in (page.file, f"{page.file}:{reading}")
            if showing:
                print(f"== {page.file} ({reading})")
            if reading == "html":
                score_html(page, tallies[reading], showing)
            else:
                score_text(page, reading, tallies[reading], showing, errors[reading])
                score_text(page, reading, tallies["text"], False)
    elapsed = time.perf_counter() - started
    print(f"real pages: {len(pages)} annotated pages ({part or 'train and dev'}) from {REAL_PAGES}")
    for reading in (*readings, "text"):
        label = "text (all three variants pooled)" if reading == "text" else reading
        print(f"[{label}]")
        for name in ("slant", "baseline"):
            print("  " + tallies[reading][name].line(name))
    print(f"time {elapsed:.1f} s for {len(pages)} pages x {len(readings) + 3} readings")
    texts = {page.file: page.rendering for page in pages}
    for variant in VARIANTS if worst else ():
        print(f"\n[{variant}: the {worst} pages with the most wrong body characters]")
        for found in sorted(errors[variant], key=lambda e: -e.wrong)[:worst]:
            print(f"  {found.file}  F1 {found.f1:.3f}  wrong {found.wrong} chars")
            for label, spans in (("+body", found.false_body), ("-body", found.missed_body)):
                for start, end in spans:
                    snippet = " ".join(texts[found.file][start:end].split())
                    print(f"    {label} {start}-{end}: {snippet[:70]!r}{'...' if len(snippet) > 70 else ''}")


def fixture_set(folder: Path, show: str | None) -> None:
    """Character accuracy and comment counts on the fixture pages."""
    pages = [read_page(path) for path in page_paths(folder)]
    print(f"{'page':24s} {'slant':>6s} {'base':>6s}  comments (found/expected)")
    totals: dict[str, list[float]] = {"slant": [0.0, 0.0, 0.0], "base": [0.0, 0.0, 0.0]}
    for page in pages:
        row = {}
        for name, document in (("slant", page.document), ("base", everything_is_body(page.document))):
            accuracy, comments_right = _fixture_score(page, document)
            scored = sum(not ch.isspace() for ch in document.text)
            totals[name][0] += accuracy * scored
            totals[name][1] += scored
            totals[name][2] += comments_right
            row[name] = accuracy
        found = len(page.document.segments_of(SegmentKind.COMMENT))
        print(f"{page.name:24s} {row['slant']:6.3f} {row['base']:6.3f}  {found}/{len(page.comments)}")
        if show == page.name:
            for seg in page.document.segments:
                print(f"    {seg.kind.value:15s} {page.document.segment_text(seg)[:70]!r}")
    slant, base = totals["slant"], totals["base"]
    print(f"\ncharacter accuracy  slant {slant[0] / slant[1]:.3f}  baseline {base[0] / base[1]:.3f}", end="")
    print(f"  over {len(pages)} pages, {slant[1]:.0f} characters")
    print(f"comment counts right  slant {slant[2]:.0f}/{len(pages)}  baseline {base[2]:.0f}/{len(pages)}")


def _fixture_score(page: Page, document: Document) -> tuple[float, bool]:
    accuracy = char_accuracy(document.text, page.expected, predicted_kinds(document))
    return accuracy, len(document.segments_of(SegmentKind.COMMENT)) == len(page.comments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fixtures", action="store_true", help="score the fixture pages instead of the real ones")
    group.add_argument("--held-out", action="store_true", help="score the held-out fixture pages")
    parser.add_argument("--part", choices=PARTS, help="score only the train or the dev part of the real pages")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="list the N worst pages per text reading")
    parser.add_argument("--show", metavar="NAME", help="print one page's predicted segments (FILE or FILE:reading)")
    args = parser.parse_args()
    if args.fixtures or args.held_out:
        fixture_set(PAGES / "held-out" if args.held_out else PAGES, args.show)
    else:
        real_set(args.show, args.part, args.errors)


if __name__ == "__main__":
    main()
