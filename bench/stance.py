"""Comment stance accuracy on the held-out test split, against two baselines in the same run.

    python bench/stance.py [--data bench/data/stance/comments.jsonl]

Prints accuracy and macro-F1 of: the majority class of the train split, a keyword rule, the shipped
model on whole comments, and the `comments` analyzer (whole comment plus its sentences).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from slant.analyzers import run_alone
from slant.analyzers.comments import CommentsAnalyzer, stance_model
from slant.model import Metadata, Report, Segment, SegmentKind
from slant.options import AnalysisOptions

DATA = Path(__file__).parent / "data" / "stance" / "comments.jsonl"
KEYWORDS = {
    "disputes": re.compile(r"propaganda|biased|bias|one.sided|fake|lies|nonsense|misleading|rubbish|spin", re.I),
    "supports": re.compile(r"agree|thank|great|truth|well said|spot on|bravo|excellent|brilliant", re.I),
    "adds_information": re.compile(r"\d|according to|reported|reports|said|per the", re.I),
}


def keyword_stance(text: str) -> str:
    """The keyword baseline: the first cue list that matches, else off_topic."""
    return next((label for label, pattern in KEYWORDS.items() if pattern.search(text)), "off_topic")


def scores(gold: list[str], predicted: list[str]) -> tuple[float, float]:
    """Accuracy and macro-F1 over the gold labels' classes."""
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    f1s = []
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        precision = tp / max(1, predicted.count(label))
        recall = tp / gold.count(label)
        f1s.append(2 * precision * recall / (precision + recall) if tp else 0.0)
    return accuracy, sum(f1s) / len(f1s)


def as_report(text: str, title: str | None) -> Report:
    """A one-comment report: the title (if any) and the comment as segments of one text."""
    head = f"{title}\n\n" if title else ""
    segments = [Segment(kind=SegmentKind.TITLE, start=0, end=len(title))] if title else []
    segments.append(Segment(kind=SegmentKind.COMMENT, start=len(head), end=len(head) + len(text)))
    return Report(text=head + text, metadata=Metadata(title=title), segments=tuple(segments))


def main() -> None:
    """Print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    gold = [r["label"] for r in test]
    majority = Counter(r["label"] for r in train).most_common(1)[0][0]
    model = stance_model()
    whole = model.probabilities([(r["text"], r.get("title")) for r in test]).argmax(axis=1)
    reports = run_alone(CommentsAnalyzer(AnalysisOptions()), [as_report(r["text"], r.get("title")) for r in test])
    systems = {
        f"majority ({majority})": [majority] * len(test),
        "keywords": [keyword_stance(r["text"]) for r in test],
        "model, whole comment": [model.classes[i].value for i in whole],
        "comments analyzer": [r.segments_of(SegmentKind.COMMENT)[0].stance.value for r in reports],
    }
    print(f"test comments: {len(test)} (train {len(train)}), classes {dict(Counter(gold))}")
    base_accuracy, base_f1 = scores(gold, systems[f"majority ({majority})"])
    print(f"{'system':28} {'accuracy':>8} {'macro-F1':>8} {'acc/majority':>12}")
    for name, predicted in systems.items():
        accuracy, f1 = scores(gold, predicted)
        print(f"{name:28} {accuracy:8.3f} {f1:8.3f} {accuracy / base_accuracy:12.2f}x")


if __name__ == "__main__":
    main()
