"""Accuracy and calibration of the technique detector on the fixed held-out part of the PTC 2020 train split.

    python bench/techniques_accuracy.py [--data ../shared/data] [--model-dir DIR] [--onnx other.onnx]

Prints SI F1, TC micro-F1, span+technique F1 and per-technique TC F1 for the model (texts actor-blinded as
in `slant analyze`), against two baselines scored the same way in the same run: every non-empty line as
one span (SI) and the most frequent training technique for every span (TC). Then the reliability of the
span scores: per score bin, the mean score against the share of the spans that gold spans of their
technique cover, and the precision of the spans shown at the model's display threshold. The held-out
articles (`slant.ptc.HELDOUT`) are never used in training or tuning.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from slant import ptc
from slant.techniques.model import MODEL_DIR, DetectedSpan, TechniqueModel


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


def covered(span: DetectedSpan, gold: list[tuple[int, int]]) -> float:
    """The share of a predicted span that gold spans of its technique cover."""
    return sum(max(0, min(span.end, e) - max(span.start, s)) for s, e in ptc._merged(gold)) / (span.end - span.start)


def reliability(found: list[tuple[str, DetectedSpan]], gold: list[ptc.LabeledSpan], display: float) -> None:
    """Print the reliability diagram of span scores and the precision at the display threshold."""
    by_key: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for s in gold:
        by_key.setdefault((s.article_id, str(s.technique)), []).append((s.start, s.end))
    scores = np.array([s.score for _, s in found])
    right = np.array([covered(s, by_key.get((a, s.technique), [])) for a, s in found])
    print("  reliability (score bin: spans, mean score, share right)")
    for low in np.arange(0, 1, 0.1):
        inside = (scores >= low) & (scores < low + 0.1 if low < 0.9 else scores <= 1)
        if inside.any():
            mean_score, share = scores[inside].mean(), right[inside].mean()
            print(f"    {low:.1f}-{low + 0.1:.1f}: {inside.sum():4d}  {mean_score:.3f}  {share:.3f}")
    shown = scores >= display
    print(
        f"  shown at display threshold {display:.3f}: {shown.sum()} of {len(scores)} spans, "
        f"share right {right[shown].mean() if shown.any() else 0:.3f} (all spans: {right.mean():.3f})"
    )


def shape(spans: list[ptc.LabeledSpan], texts: dict[str, str]) -> str:
    """How spans look: the share that crosses a line break, and their mean length in words."""
    pieces = [texts[s.article_id][s.start : s.end] for s in spans]
    crossing = sum("\n" in p for p in pieces) / max(len(pieces), 1)
    return f"{crossing:.1%} cross a line break, {sum(len(p.split()) for p in pieces) / max(len(pieces), 1):.1f} words"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--model-dir", type=Path, default=MODEL_DIR)
    parser.add_argument("--onnx", type=Path, action="append", default=[], help="another ONNX file to compare")
    args = parser.parse_args()
    train_dir = args.data / "ptc-semeval2020" / "train"
    articles = [a for a in ptc.read_articles(train_dir / "train-articles") if ptc.split_of(a.id) == "heldout"]
    labels = ptc.read_labels(train_dir / "train-task2-TC.labels")
    gold = [s for s in labels if ptc.split_of(s.article_id) == "heldout"]
    majority = Counter(s.technique for s in labels if ptc.split_of(s.article_id) == "train").most_common(1)[0][0]
    texts = {a.id: a.text for a in articles}
    print(f"held-out: {len(articles)} articles, {len(gold)} gold spans ({shape(gold, texts)})")

    baseline_si = ptc.score_si([s for a in articles for s in line_spans(a)], gold)
    baseline_tc, _ = ptc.score_tc([s._replace(technique=majority) for s in gold], gold)
    print(f"baseline (all lines; all {majority}): SI F1 {baseline_si.f1:.4f}  TC F1 {baseline_tc.f1:.4f}")

    for model_file in [args.model_dir / "model.onnx", *args.onnx]:
        model = TechniqueModel(args.model_dir, model_file=str(model_file.resolve()))
        found = [
            (a.id, s) for a, spans in zip(articles, model.find([a.text for a in articles]), strict=True) for s in spans
        ]
        predicted = [ptc.LabeledSpan(a, s.technique, s.start, s.end) for a, s in found]
        tc_rows = []
        for article in articles:
            rows = [s for s in gold if s.article_id == article.id]
            techniques = model.classify(article.text, [(s.start, s.end) for s in rows])
            tc_rows += [s._replace(technique=t) for s, t in zip(rows, techniques, strict=True)]
        si, full = ptc.score_si(predicted, gold), ptc.score_full(predicted, gold)
        tc, per_technique = ptc.score_tc(tc_rows, gold)
        print(f"\n{model_file} ({model_file.stat().st_size / 1e6:.1f} MB)")
        print(f"  SI   P {si.precision:.4f} R {si.recall:.4f} F1 {si.f1:.4f}  ({si.f1 / baseline_si.f1:.2f}x baseline)")
        print(f"  TC   micro-F1 {tc.f1:.4f}  ({tc.f1 / baseline_tc.f1:.2f}x baseline)")
        print(f"  full P {full.precision:.4f} R {full.recall:.4f} F1 {full.f1:.4f}  ({len(predicted)} spans)")
        print(f"  predicted spans: {shape(predicted, texts)}")
        for technique, result in sorted(per_technique.items(), key=lambda item: -item[1].f1):
            print(f"    {technique:<40} TC F1 {result.f1:.4f}")
        reliability(found, gold, model.params.display_threshold)


if __name__ == "__main__":
    main()
