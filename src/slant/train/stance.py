"""Comment stance: RumourEval 2017 + 2019 replies and the written comments, and the model trained on them.

    python -m slant.train.stance --data ../shared/data --out src/slant/models/stance/stance.json

The model is a logistic regression (`slant.text_classifier`, C=1, balanced class weights) over TF-IDF and the
comment's mean state in the shared encoder pass (`slant.encoder`, the technique model, which reads each comment
segment on its own; what the comment answers added nothing on RumourEval dev), so it is retrained whenever the
technique model changes. Six classes: RumourEval's support, deny, query and comment (its train replies;
source posts, which answer nothing, are left out) and the written comments' adds_information and off_topic
(`bench/data/stance`, train split; their supports and disputes count as support and deny).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from slant.model import Metadata, Report, Segment, SegmentKind

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


def as_report(comment: Comment) -> Report:
    """A page with the comment's context as title (first line) and, for a reply to a reply, the parent before it."""
    title, _, parent = (comment.context or "").partition("\n")
    parts = [p for p in (title, parent, comment.text) if p]
    text, start = "", 0
    segments: list[Segment] = []
    kinds = [SegmentKind.TITLE] * bool(title) + [SegmentKind.COMMENT] * (len(parts) - bool(title))
    for kind, part in zip(kinds, parts, strict=True):
        parent_index = (
            len(segments) - 1 if kind == SegmentKind.COMMENT and segments and segments[-1].kind == kind else None
        )
        segments.append(Segment(kind=kind, start=start, end=start + len(part), parent=parent_index))
        text += part + "\n\n"
        start = len(text)
    return Report(text=text, metadata=Metadata(title=title or None), segments=tuple(segments))


def comment_states(comments: Sequence[Comment], threads: int = 1, batch: int = 128) -> np.ndarray:
    """Each comment's mean state in the shared encoder pass over its page (`as_report`), shape (n, 384)."""
    from slant.encoder import encode_documents, technique_model
    from slant.lexicons import actor_aliases
    from slant.parse import parse_documents

    rows = []
    for first in range(0, len(comments), batch):
        pages = [as_report(c) for c in comments[first : first + batch]]
        encoded = encode_documents(pages, parse_documents(pages, actor_aliases()), technique_model(threads))
        for page, segments in zip(pages, encoded, strict=True):
            last = page.segments[-1]
            rows.append(segments[last.start].pooled([(0, last.end - last.start)])[0])
    return np.stack(rows)


def training_class(comment: Comment) -> str:
    """The class a comment is trained as."""
    return WRITTEN_CLASSES.get(comment.label, comment.label) if comment.origin == "written" else comment.label


def main(argv: list[str] | None = None) -> None:
    """Fit on RumourEval train replies and the written train comments; write the JSON model."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from slant.encoder import fingerprint, technique_model
    from slant.text_classifier import export, vectorizer

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/stance/stance.json"))
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--dense-weight", type=float, default=0.1, help="scale of the standardized encoder states")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    train = [c for c in read_rumoureval(args.data) + read_written() if c.split == "train"]
    states = comment_states(train, args.threads)
    center, scale = states.mean(0), states.std(0) / args.dense_weight + 1e-6
    union = vectorizer(2)
    features = sparse.hstack([union.fit_transform([c.text for c in train]), (states - center) / scale]).tocsr()
    classifier = LogisticRegression(C=args.c, class_weight="balanced", max_iter=3000)
    classifier.fit(features, [training_class(c) for c in train])
    params = {
        "version": f"tfidf-encoder-logreg-rumoureval-written-{time.strftime('%Y%m%d')}",
        "encoder_sha256": fingerprint(),
        "encoder_version": technique_model(args.threads).params.version,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    exported = export(union, classifier, params, (center, scale))
    args.out.write_text(json.dumps(exported, separators=(",", ":")), encoding="utf-8")
    print(f"trained on {len(train)} comments, {features.shape[1]} features -> {args.out}")


if __name__ == "__main__":
    main()
