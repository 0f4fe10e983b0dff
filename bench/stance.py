"""Comment stance on real replies (RumourEval dev) and on the written comments, against baselines in the same run.

    python bench/stance.py [--data ../shared/data]

RumourEval 2017 (Twitter) + 2019 (Reddit) dev replies, each analyzed as a one-comment page: the source post
as the title, the parent post as an earlier comment when the reply answers a reply. Macro-F1 over 3 classes
(support, deny, other = query + comment) and over RumourEval's 4. slant's labels map back as supports ->
support, disputes -> deny, adds information and off topic -> comment; slant counts a share of the model's "query"
as disputing, so the analyzer is also scored with gold query counted as deny ("3-way, query=deny").
The model alone (its classes, on the whole reply) gives all four. Second figure: accuracy and macro-F1 on the
written comments' test split (`bench/data/stance/comments.jsonl`), in slant's four labels.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from slant.analyzers import load, run_alone
from slant.analyzers.comments import stance_model
from slant.model import SegmentKind
from slant.options import AnalysisOptions
from slant.train.stance import (
    TO_RUMOUREVAL,
    Comment,
    as_report,
    comment_features,
    macro_f1,
    read_rumoureval,
    read_written,
    three_way,
)

MODEL_TO_RUMOUREVAL = {"support": "support", "deny": "deny", "query": "query"}
RUMOUREVAL_CUES = {
    "deny": re.compile(
        r"\b(?:fake|false|not true|untrue|lies?|lying|hoax|no way|wrong|bs|bullshit|nonsense|"
        r"debunked|propaganda|doubt)\b",
        re.I,
    ),
    "query": re.compile(r"\?"),
    "support": re.compile(r"\b(?:confirm(?:ed|s)?|true|yes|indeed|breaking|reports?|officially|agree)\b", re.I),
}
WRITTEN_CUES = {
    "disputes": re.compile(r"propaganda|biased|bias|one.sided|fake|lies|nonsense|misleading|rubbish|spin", re.I),
    "supports": re.compile(r"agree|thank|great|truth|well said|spot on|bravo|excellent|brilliant", re.I),
    "adds_information": re.compile(r"\d|according to|reported|reports|said|per the", re.I),
}


def cue_label(text: str, cues: dict[str, re.Pattern[str]], default: str) -> str:
    """The cue-word baseline: the first cue list that matches, else `default`."""
    return next((label for label, pattern in cues.items() if pattern.search(text)), default)


def analyzer_labels(comments: Sequence[Comment]) -> list[str]:
    """The comments analyzer's stance of each comment (the last comment of its page)."""
    analyzer = load("comments", AnalysisOptions())
    reports = [as_report(c) for c in comments]
    done = [r for i in range(0, len(reports), 64) for r in run_alone(analyzer, reports[i : i + 64])]
    return [str(r.segments_of(SegmentKind.COMMENT)[-1].stance) for r in done]


def class_f1(gold: Sequence[str], predicted: Sequence[str], label: str) -> float:
    """F1 of one class."""
    tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
    return 2 * tp / max(1, list(gold).count(label) + list(predicted).count(label))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    args = parser.parse_args()
    model = stance_model()
    replies = read_rumoureval(args.data)
    train = [c.label for c in replies if c.split == "train"]
    dev = [c for c in replies if c.split == "dev"]
    gold = [c.label for c in dev]
    majority = Counter(train).most_common(1)[0][0]
    outputs = model.decision([c.text for c in dev], comment_features(dev)).argmax(axis=1)
    analyzer = [TO_RUMOUREVAL[s] for s in analyzer_labels(dev)]
    systems = {
        f"baseline: majority ({majority})": [majority] * len(dev),
        "baseline: cue words": [cue_label(c.text, RUMOUREVAL_CUES, "comment") for c in dev],
        "model alone": [MODEL_TO_RUMOUREVAL.get(model.classes[i], "comment") for i in outputs],
        "comments analyzer": analyzer,
    }
    print(f"RumourEval dev replies: {len(dev)} {dict(Counter(gold))}")
    print(f"  {'system':36} {'3-way':>6} {'4-way':>6} {'3-way, query=deny':>18}  3-way F1 support/deny/other")
    for name, predicted in systems.items():
        per_class = "/".join(
            f"{class_f1(three_way(gold), three_way(predicted), c):.3f}" for c in ("support", "deny", "other")
        )
        print(
            f"  {name:36} {macro_f1(three_way(gold), three_way(predicted)):6.3f} {macro_f1(gold, predicted):6.3f} "
            f"{macro_f1(three_way(gold, 'deny'), three_way(predicted, 'deny')):18.3f}  {per_class}"
        )

    written = [c for c in read_written() if c.split == "test"]
    gold = [c.label for c in written]
    majority = Counter(c.label for c in read_written() if c.split == "train").most_common(1)[0][0]
    systems = {
        f"baseline: majority ({majority})": [majority] * len(written),
        "baseline: cue words": [cue_label(c.text, WRITTEN_CUES, "off_topic") for c in written],
        "comments analyzer": analyzer_labels(written),
    }
    print(f"written comments, test split: {len(written)} {dict(Counter(gold))}")
    for name, predicted in systems.items():
        accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
        print(f"  {name:36} accuracy {accuracy:.3f}  macro-F1 {macro_f1(gold, predicted):.3f}")


if __name__ == "__main__":
    main()
