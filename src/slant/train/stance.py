"""Comment stance: RumourEval 2017 + 2019 replies and the written comments, and the model trained on them.

    python -m slant.train.stance --data ../shared/data --out src/slant/models/stance/stance.json

The model is a logistic regression (`slant.text_classifier`, balanced class weights) over TF-IDF and the dense
columns of `slant.analyzers.comments.comment_features` (the comment's mean state in the shared encoder pass, how
it relates to what it answers, a few cue counts), so it is retrained whenever the technique model changes. Six
classes: RumourEval's support, deny, query and comment (its train replies, and its train source posts, each read
as answering itself: a post restating the rumour) and the written comments' adds_information and off_topic
(`bench/data/stance`, train split; their supports and disputes count as support and deny). How the classes fold
into slant's stances (`slant.analyzers.comments.fold`: the share of a query that disputes, the supports and
disputes biases) is chosen on RumourEval dev (`choose_fold`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from slant.model import Metadata, Report, Segment, SegmentKind, Stance

if TYPE_CHECKING:
    from slant.text_classifier import LinearTextModel

RUMOUREVAL = Path("rumoureval") / "rumoureval_train_dev.jsonl"
WRITTEN = Path(__file__).resolve().parents[3] / "bench" / "data" / "stance" / "comments.jsonl"
#: Written label -> training class (RumourEval's labels are classes as they are).
WRITTEN_CLASSES = {"supports": "support", "disputes": "deny"}
#: slant's stance -> RumourEval label.
TO_RUMOUREVAL = {"supports": "support", "disputes": "deny", "adds_information": "comment", "off_topic": "comment"}
QUERY_SHARES = (0.0, 0.5, 1.0)  # the shares of a query that disputes, tried on dev
BIASES = np.round(np.arange(-1.5, 2.51, 0.25), 2)  # the grid of per-stance biases tried (supports, disputes)


class Comment(NamedTuple):
    """A comment, what it answers (the page's title, and the comment it replies to), its gold label (as in its
    data set), split and origin ("twitter", "reddit", "written"; "source" for a RumourEval source post)."""

    text: str
    title: str | None
    parent: str | None
    label: str
    split: str
    origin: str


def read_rumoureval(data: Path, sources: bool = False) -> list[Comment]:
    """RumourEval train and dev replies, with the source post as title and, for a reply to a reply, the parent
    (with `sources`, also the source posts, each answering itself)."""
    comments = []
    for line in (data / RUMOUREVAL).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["is_source"]:
            if sources:
                comments.append(
                    Comment(row["reply_text"], row["source_text"], None, row["label"], row["split"], "source")
                )
            continue
        parent = row["parent_text"] if row["parent_id"] != row["thread_id"] else None
        comments.append(
            Comment(row["reply_text"], row["source_text"], parent, row["label"], row["split"], row["platform"])
        )
    return comments


def read_written(path: Path = WRITTEN) -> list[Comment]:
    """The written comments (`split` train or test), with the article title when known."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Comment(r["text"], r.get("title"), None, r["label"], r["split"], "written") for r in rows]


def as_report(comment: Comment) -> Report:
    """A page with the comment's title, the comment it replies to (if any), and the comment replying to it."""
    text, segments = "", list[Segment]()
    parts = (
        (SegmentKind.TITLE, comment.title),
        (SegmentKind.COMMENT, comment.parent),
        (SegmentKind.COMMENT, comment.text),
    )
    for kind, part in parts:
        if not part:
            continue
        parent = len(segments) - 1 if kind == SegmentKind.COMMENT and segments and segments[-1].kind == kind else None
        segments.append(Segment(kind=kind, start=len(text), end=len(text) + len(part), parent=parent))
        text += part + "\n\n"
    return Report(text=text, metadata=Metadata(title=comment.title or None), segments=tuple(segments))


def comment_features(comments: Sequence[Comment], threads: int = 1, batch: int = 128) -> np.ndarray:
    """Each whole comment's `slant.analyzers.comments.comment_features` on its page (`as_report`), computed as the
    analyzer does (shared parse, one encoder pass per page), shape (n, FEATURES)."""
    from slant.analyzers.comments import comment_features as features
    from slant.encoder import encode_documents, technique_model
    from slant.lexicons import actor_aliases
    from slant.model import Span
    from slant.parse import parse_documents

    rows = []
    for first in range(0, len(comments), batch):
        pages = [as_report(c) for c in comments[first : first + batch]]
        encoded = encode_documents(pages, parse_documents(pages, actor_aliases()), technique_model(threads))
        for page, segments in zip(pages, encoded, strict=True):
            last = page.segments[-1]
            rows.append(features(page, segments, last, [Span(start=last.start, end=last.end)])[0])
    return np.stack(rows)


def training_class(comment: Comment) -> str:
    """The class a comment is trained as."""
    return WRITTEN_CLASSES.get(comment.label, comment.label) if comment.origin == "written" else comment.label


def three_way(labels: Sequence[str], query: str = "other") -> list[str]:
    """RumourEval labels as support, deny, other; query goes to `query`."""
    return [query if x == "query" else x if x in ("support", "deny") else "other" for x in labels]


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the gold labels' classes."""
    f1s = []
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        f1s.append(2 * tp / (list(gold).count(label) + list(predicted).count(label)) if tp else 0.0)
    return float(np.mean(f1s))


class Fitted(NamedTuple):
    """A fitted feature union and logistic regression, and the (center, scale) of the dense columns it read."""

    union: Any
    classifier: Any
    dense: tuple[np.ndarray, np.ndarray]

    def export(self, params: dict[str, Any]) -> dict[str, Any]:
        """The model as the JSON data `slant.text_classifier.LinearTextModel` reads."""
        from slant.text_classifier import export

        return export(self.union, self.classifier, params, self.dense)


def fit(comments: Sequence[Comment], features: np.ndarray, c: float, dense_weight: float) -> Fitted:
    """TF-IDF and the standardized dense columns (scaled by `dense_weight`) into a balanced logistic regression."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from slant.text_classifier import vectorizer

    union = vectorizer(2)
    center, scale = features.mean(0), features.std(0) / dense_weight + 1e-6
    matrix = sparse.hstack([union.fit_transform([x.text for x in comments]), (features - center) / scale]).tocsr()
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    classifier.fit(matrix, [training_class(x) for x in comments])
    return Fitted(union, classifier, (center, scale))


def choose_fold(model: LinearTextModel, dev: Sequence[Comment], features: np.ndarray) -> tuple[float, dict[str, float]]:
    """The share of a query that disputes and the supports and disputes biases (`slant.analyzers.comments.fold`)
    with the best 3-way macro-F1 (support, deny, other; gold query counted as other) of the folded stances of the
    whole `dev` replies under the fitted `model`."""
    from slant.analyzers.comments import CLASSES, class_probabilities, fold

    probabilities = class_probabilities(model, [x.text for x in dev], features)
    gold = three_way([x.label for x in dev])
    best: tuple[float, float, dict[str, float]] = (-1.0, 0.0, {})
    for query in QUERY_SHARES:
        for supports in BIASES:
            for disputes in BIASES:
                bias = {Stance.SUPPORTS.value: float(supports), Stance.DISPUTES.value: float(disputes)}
                stances = fold(probabilities, model.classes, query, bias).argmax(1)
                f1 = macro_f1(gold, three_way([TO_RUMOUREVAL[CLASSES[k]] for k in stances]))
                if f1 > best[0]:
                    best = (f1, query, bias)
    print(f"RumourEval dev 3-way macro-F1 {best[0]:.3f} (whole replies) at query share {best[1]}, biases {best[2]}")
    return best[1], best[2]


def main(argv: list[str] | None = None) -> None:
    """Fit on RumourEval train replies and source posts and the written train comments, choose the fold on
    RumourEval dev; write the JSON model."""
    from slant.encoder import fingerprint, technique_model
    from slant.text_classifier import LinearTextModel

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/stance/stance.json"))
    parser.add_argument("--c", type=float, default=0.5)
    parser.add_argument("--dense-weight", type=float, default=0.1, help="scale of the standardized dense columns")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.time()
    replies = read_rumoureval(args.data, sources=True)
    train = [c for c in replies + read_written() if c.split == "train"]
    dev = [c for c in replies if c.split == "dev" and c.origin != "source"]
    features = comment_features(train, args.threads)
    fitted = fit(train, features, args.c, args.dense_weight)
    query, bias = choose_fold(LinearTextModel.load_data(fitted.export({})), dev, comment_features(dev, args.threads))
    params = {
        "version": f"tfidf-encoder-pair-logreg-rumoureval-written-{time.strftime('%Y%m%d')}",
        "query_disputes": query,
        "bias": bias,
        "encoder_sha256": fingerprint(),
        "encoder_version": technique_model(args.threads).params.version,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(fitted.export(params), separators=(",", ":")), encoding="utf-8")
    print(
        f"trained on {len(train)} comments, {len(fitted.union.get_feature_names_out())} terms + "
        f"{features.shape[1]} dense columns in {time.time() - started:.0f} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
