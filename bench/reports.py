"""Full JSON reports of fixed inputs, to show that a speed change leaves every analyzer's output byte-identical.

    python bench/reports.py OUT [--big-chars 1000000]   # in each checkout, then: diff -r OUT1 OUT2

Writes `ptc<i>.json` for the first 8 PTC dev articles (analyzed as one batch, as `bench/speed.py` does), and
`aleppo.json`, `long.json` (the longest PTC article) and, given `--big-chars`, `big.json` (PTC train articles
joined), each analyzed alone. Reports hold no timings, and the same
input gives the same bytes whatever the hash seed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from slant.ingest import document_from_bytes
from slant.options import Limits
from slant.pipeline import Analyzer
from speed import long_text, ptc_texts


def main() -> None:
    """Parse the arguments and write the reports."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--big-chars", type=int, help="also PTC train articles joined into one text this long")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    analyzer = Analyzer(limits=Limits(max_text_chars=2_000_000, time_budget_s=3600))
    articles = [document_from_bytes(t.encode(), name=f"ptc{i}") for i, t in enumerate(ptc_texts(args.data, 8))]
    for i, report in enumerate(analyzer.analyze_documents(articles)):
        (args.out / f"ptc{i}.json").write_text(report.model_dump_json(indent=1))
    alone = {"aleppo": (args.data.parent / "examples" / "aleppo-scraped-page.txt").read_text(encoding="utf-8")}
    alone["long"] = long_text(args.data)
    if args.big_chars:
        alone["big"] = long_text(args.data, args.big_chars)
    for name, text in alone.items():
        start = time.perf_counter()
        report = analyzer.analyze_documents([document_from_bytes(text.encode(), name=name)])[0]
        (args.out / f"{name}.json").write_text(report.model_dump_json(indent=1))
        print(f"{name}: {len(text)} chars, {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
