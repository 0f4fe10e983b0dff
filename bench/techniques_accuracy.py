"""Accuracy of the technique detector on the fixed held-out part of the PTC 2020 train split.

    python bench/techniques_accuracy.py [--data ../shared/data] [--onnx build/techniques/model.fp32.onnx]

Prints SI F1, TC micro-F1, span+technique F1 and per-technique TC F1 for the shipped int8 model (and any
other ONNX file given, e.g. the fp32 export, which shares the shipped labels.json), against two
baselines scored the same way in the same run: every non-empty line as one span (SI) and the most
frequent training technique for every span (TC). The held-out articles are never used in training.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from slant import ptc
from slant.techniques_model import MODEL_DIR, TechniqueModel


def line_spans(article: ptc.Article) -> list[ptc.LabeledSpan]:
    """The all-lines SI baseline: every non-empty line of the article is one span."""
    spans, offset = [], 0
    for line in article.text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            spans.append(ptc.LabeledSpan(article.id, None, start, start + len(stripped)))
        offset += len(line)
    return spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--onnx", type=Path, action="append", default=[], help="another ONNX file to compare")
    args = parser.parse_args()
    train_dir = args.data / "ptc-semeval2020" / "train"
    articles = [a for a in ptc.read_articles(train_dir / "train-articles") if ptc.split_of(a.id) == "heldout"]
    labels = ptc.read_labels(train_dir / "train-task2-TC.labels")
    gold = [s for s in labels if ptc.split_of(s.article_id) == "heldout"]
    majority = Counter(s.technique for s in labels if ptc.split_of(s.article_id) == "train").most_common(1)[0][0]
    print(f"held-out: {len(articles)} articles, {len(gold)} gold spans")

    baseline_si = ptc.score_si([s for a in articles for s in line_spans(a)], gold)
    baseline_tc, _ = ptc.score_tc([s._replace(technique=majority) for s in gold], gold)
    print(f"baseline (all lines; all {majority}): SI F1 {baseline_si.f1:.4f}  TC F1 {baseline_tc.f1:.4f}")

    for model_file in [MODEL_DIR / "model.onnx", *args.onnx]:
        model = TechniqueModel(MODEL_DIR, model_file=str(model_file.resolve()))
        found = model.detect([a.text for a in articles])
        predicted = [
            ptc.LabeledSpan(a.id, s.technique, s.start, s.end)
            for a, spans in zip(articles, found, strict=True)
            for s in spans
        ]
        classified = []
        for article in articles:
            rows = [s for s in gold if s.article_id == article.id]
            techniques = model.classify(article.text, [(s.start, s.end) for s in rows])
            classified += [s._replace(technique=t) for s, t in zip(rows, techniques, strict=True)]
        si, full = ptc.score_si(predicted, gold), ptc.score_full(predicted, gold)
        tc, per_technique = ptc.score_tc(classified, gold)
        print(f"\n{model_file} ({model_file.stat().st_size / 1e6:.1f} MB)")
        print(f"  SI   P {si.precision:.4f} R {si.recall:.4f} F1 {si.f1:.4f}  ({si.f1 / baseline_si.f1:.2f}x baseline)")
        print(f"  TC   micro-F1 {tc.f1:.4f}  ({tc.f1 / baseline_tc.f1:.2f}x baseline)")
        print(f"  full P {full.precision:.4f} R {full.recall:.4f} F1 {full.f1:.4f}  ({len(predicted)} spans)")
        for technique, result in sorted(per_technique.items(), key=lambda item: -item[1].f1):
            print(f"    {technique:<40} TC F1 {result.f1:.4f}")


if __name__ == "__main__":
    main()
