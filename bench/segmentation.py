"""Segmentation accuracy over the fixture pages, against an "everything is body" baseline.

Run: python bench/segmentation.py [--held-out] [--show NAME]

Character accuracy: the share of non-whitespace characters whose predicted segment kind equals the
expected one (tests/fixtures/pages/NAME.json; text a comment's "X says:" or "Reply" lines should leave
out counts as right when it is in no segment or in boilerplate). Comment-count accuracy: the share of
pages whose number of comment segments is exactly right. The default set is the pages the rules were
written against; `--held-out` scores tests/fixtures/pages/held-out/, pages written afterwards in other
styles and never tuned on.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ingest.pages import PAGES, Page, char_accuracy, page_paths, predicted_kinds, read_page  # noqa: E402

from slant.model import Document, Segment, SegmentKind  # noqa: E402


def everything_is_body(document: Document) -> Document:
    """The baseline: the whole text is one body segment."""
    return document.model_copy(update={"segments": (Segment(kind=SegmentKind.BODY, start=0, end=len(document.text)),)})


def score(page: Page, document: Document) -> tuple[float, bool]:
    """(character accuracy, whether the number of comments is exactly right) of one segmentation."""
    accuracy = char_accuracy(document.text, page.expected, predicted_kinds(document))
    return accuracy, len(document.segments_of(SegmentKind.COMMENT)) == len(page.comments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="score the held-out pages instead")
    parser.add_argument("--show", metavar="NAME", help="print one page's predicted segments")
    args = parser.parse_args()
    folder = PAGES / "held-out" if args.held_out else PAGES
    started = time.perf_counter()
    pages = [read_page(path) for path in page_paths(folder)]
    elapsed = time.perf_counter() - started
    print(f"{'page':24s} {'slant':>6s} {'base':>6s}  comments (found/expected)")
    # per system: right characters, scored characters, pages with the right number of comments
    totals: dict[str, list[float]] = {"slant": [0.0, 0.0, 0.0], "base": [0.0, 0.0, 0.0]}
    for page in pages:
        row = {}
        for name, document in (("slant", page.document), ("base", everything_is_body(page.document))):
            accuracy, comments_right = score(page, document)
            scored = sum(not ch.isspace() for ch in document.text)
            totals[name][0] += accuracy * scored
            totals[name][1] += scored
            totals[name][2] += comments_right
            row[name] = accuracy
        found = len(page.document.segments_of(SegmentKind.COMMENT))
        print(f"{page.name:24s} {row['slant']:6.3f} {row['base']:6.3f}  {found}/{len(page.comments)}")
        if args.show == page.name:
            for seg in page.document.segments:
                print(f"    {seg.kind.value:15s} {page.document.segment_text(seg)[:70]!r}")
    slant, base = totals["slant"], totals["base"]
    print(f"\ncharacter accuracy  slant {slant[0] / slant[1]:.3f}  baseline {base[0] / base[1]:.3f}", end="")
    print(f"  (ratio {slant[0] / base[0]:.2f}x) over {len(pages)} pages, {slant[1]:.0f} characters")
    print(f"comment counts right  slant {slant[2]:.0f}/{len(pages)}  baseline {base[2]:.0f}/{len(pages)}")
    print(f"ingest + segmentation time {elapsed * 1000 / len(pages):.1f} ms per page (HTML pages include extraction)")


if __name__ == "__main__":
    main()
