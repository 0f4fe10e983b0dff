"""Comment stance: RumourEval 2017 + 2019 replies and the written comments, and the model trained on them.

    python -m slant.train.stance --data ../shared/data --out src/slant/models/stance/stance.json

The model is a TF-IDF + logistic regression (`slant.text_classifier`, C=1, balanced class weights) over six
classes: RumourEval's support, deny, query and comment (its train replies; source posts, which answer
nothing, are left out) and the written comments' adds_information and off_topic (`bench/data/stance`, train
split; their supports and disputes count as support and deny). The readers need only the standard library.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import NamedTuple

RUMOUREVAL = Path("rumoureval") / "rumoureval_train_dev.jsonl"
WRITTEN = Path(__file__).resolve().parents[3] / "bench" / "data" / "stance" / "comments.jsonl"
#: Written label -> training class (RumourEval's labels are classes as they are).
WRITTEN_CLASSES = {"supports": "support", "disputes": "deny"}


class Comment(NamedTuple):
    """A comment, what it answers, its gold label (as in its data set), split and origin."""

    text: str
    context: str | None
    label: str
    split: str
    origin: str


def read_rumoureval(data: Path) -> list[Comment]:
    """RumourEval train and dev replies, with the source post (and the parent, for a reply to a reply) as
    context (source posts, which are not replies, are left out)."""
    comments = []
    for line in (data / RUMOUREVAL).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["is_source"]:
            continue
        context = row["source_text"]
        if row["parent_id"] != row["thread_id"] and row["parent_text"]:
            context += "\n" + row["parent_text"]
        comments.append(Comment(row["reply_text"], context, row["label"], row["split"], row["platform"]))
    return comments


def read_written(path: Path = WRITTEN) -> list[Comment]:
    """The written comments (`split` train or test), with the article title as context when known."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Comment(r["text"], r.get("title"), r["label"], r["split"], "written") for r in rows]


def training_class(comment: Comment) -> str:
    """The class a comment is trained as."""
    return WRITTEN_CLASSES.get(comment.label, comment.label) if comment.origin == "written" else comment.label


def main(argv: list[str] | None = None) -> None:
    """Fit on RumourEval train replies and the written train comments; write the JSON model."""
    from sklearn.linear_model import LogisticRegression

    from slant.text_classifier import export, vectorizer

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/stance/stance.json"))
    parser.add_argument("--c", type=float, default=1.0)
    args = parser.parse_args(argv)
    train = [c for c in read_rumoureval(args.data) + read_written() if c.split == "train"]
    union = vectorizer(2)
    features = union.fit_transform([c.text for c in train])
    classifier = LogisticRegression(C=args.c, class_weight="balanced", max_iter=3000)
    classifier.fit(features, [training_class(c) for c in train])
    params = {"version": f"tfidf-logreg-rumoureval-written-{time.strftime('%Y%m%d')}"}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(export(union, classifier, params), separators=(",", ":")), encoding="utf-8")
    print(f"trained on {len(train)} comments, {features.shape[1]} terms -> {args.out}")


if __name__ == "__main__":
    main()
