"""Calibrate the verdict's technique-density scale: `python -m slant.train.calibrate_verdict`.

Runs the shipped techniques analyzer over the PTC 2020 train articles of the `calibration` part
(`slant.train.ptc.split_of`: articles the technique model was not trained on, so its densities are
not inflated by memorised spans) and writes each article's technique spans per 100 words to
`src/slant/models/verdict_calibration.json`. With `--gold`, it uses the corpus' gold spans over all
train articles instead (the interim scale used before the techniques model ships). Only train
articles are read: dev and test articles are never used.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from slant.ingest import document_from_text
from slant.model import Report
from slant.summarize import ARTICLE_KINDS, CALIBRATION_PATH, article_words
from slant.train.ptc import Article, read_articles, read_labels, split_of

PTC_TRAIN = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ptc-semeval2020" / "train"


def model_densities(articles: list[Article]) -> list[float]:
    """Technique spans per 100 words the techniques analyzer finds in each article's title and body."""
    from slant.pipeline import Analyzer

    analyzer = Analyzer(only=["techniques"])
    reports = analyzer.analyze_many(document_from_text(a.text) for a in articles)
    return [float(r.summary["techniques"]["per_100_words"]) for r in reports]


def gold_densities(articles: list[Article], labels_folder: Path) -> list[float]:
    """Gold technique spans per 100 words in each article's title and body."""
    starts = [(span.article_id, span.start) for span in read_labels(sorted(labels_folder.glob("*.labels")))]
    densities = []
    for article in articles:
        report = Report(**dict(document_from_text(article.text)))
        article_spans = [(s.start, s.end) for s in report.segments_of(*ARTICLE_KINDS)] or [(0, len(report.text))]
        inside = Counter(
            article_id for article_id, start in starts if any(a <= start < b for a, b in article_spans)
        )
        densities.append(100 * inside[article.id] / max(article_words(report), 1))
    return densities


def main() -> None:
    """Compute the densities and write the calibration JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ptc-train", type=Path, default=PTC_TRAIN, help="the PTC 2020 train folder")
    parser.add_argument("--gold", action="store_true", help="use gold spans of all train articles, not the model")
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    args = parser.parse_args()
    articles = read_articles(args.ptc_train / "train-articles")
    if args.gold:
        source = f"PTC 2020 train, gold spans, {len(articles)} articles"
        densities = gold_densities(articles, args.ptc_train / "train-labels-task2-technique-classification")
    else:
        articles = [a for a in articles if split_of(a.id) == "calibration"]
        source = f"PTC 2020 train, calibration part, techniques model, {len(articles)} articles"
        densities = model_densities(articles)
    data = {"source": source, "densities": sorted(round(d, 4) for d in densities)}
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    quantiles = dict(zip((10, 25, 50, 75, 90), np.percentile(densities, [10, 25, 50, 75, 90]), strict=True))
    print(f"{source}: spans per 100 words by percentile", {p: round(float(q), 2) for p, q in quantiles.items()})


if __name__ == "__main__":
    main()
