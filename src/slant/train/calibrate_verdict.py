"""Calibrate the verdict's technique-density scale: `python -m slant.train.calibrate_verdict`.

Runs the shipped techniques analyzer over the PTC 2020 train articles of the `calibration` part
(`slant.ptc.split_of`: articles the technique model was not trained on, so its densities are not
inflated by memorised spans) and writes each article's confidence-weighted technique spans per 100
words of title and body (`slant.summarize.weighted_density`, as the verdict computes it) to
`src/slant/models/verdict_calibration.json`. Only train articles are read: dev and test never.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from slant.ingest import document_from_text
from slant.model import Report, TechniqueFinding
from slant.pipeline import Analyzer
from slant.ptc import Article, read_articles, split_of
from slant.summarize import CALIBRATION_PATH, article_findings, article_words, weighted_density

PTC_TRAIN = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ptc-semeval2020" / "train"


def article_density(report: Report) -> float:
    """The verdict's technique density of one analyzed report (title and body only)."""
    techniques = [f for f in article_findings(report) if isinstance(f, TechniqueFinding)]
    return weighted_density(techniques, article_words(report))


def densities(articles: list[Article]) -> list[float]:
    """The density of each article, analyzed by the shipped techniques analyzer alone."""
    analyzer = Analyzer(only=["techniques"])
    return [article_density(r) for r in analyzer.analyze_many(document_from_text(a.text) for a in articles)]


def main() -> None:
    """Compute the densities of the calibration part and write the calibration JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ptc-train", type=Path, default=PTC_TRAIN, help="the PTC 2020 train folder")
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    args = parser.parse_args()
    articles = [a for a in read_articles(args.ptc_train / "train-articles") if split_of(a.id) == "calibration"]
    found = densities(articles)
    source = f"PTC 2020 train, calibration part, {len(articles)} articles, techniques model, confidence-weighted"
    args.out.write_text(
        json.dumps({"source": source, "densities": sorted(round(d, 4) for d in found)}, indent=1) + "\n"
    )
    quantiles = dict(zip((10, 25, 50, 75, 90), np.percentile(found, [10, 25, 50, 75, 90]), strict=True))
    print(f"{source}: per 100 words by percentile", {p: round(float(q), 2) for p, q in quantiles.items()})


if __name__ == "__main__":
    main()
