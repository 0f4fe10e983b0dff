"""Train the comment stance model and export it as JSON (no pickle): `python -m slant.train.stance`.

Reads the labeled comments (`bench/data/stance/comments.jsonl`: text, title, label, split), fits
TF-IDF (with `slant.analyzers.comments.features` as the analyzer) + multinomial logistic regression
on the `train` split only, and writes vocabulary, idf and coefficients to
`src/slant/models/stance/stance.json`. Needs the `train` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from slant.analyzers.comments import MODEL_PATH, features

DATA_PATH = Path(__file__).resolve().parents[3] / "bench" / "data" / "stance" / "comments.jsonl"


@dataclass(frozen=True)
class Example:
    """One labeled comment."""

    text: str
    title: str | None
    label: str
    split: str


def read_examples(path: Path = DATA_PATH) -> list[Example]:
    """The labeled comments, in file order."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Example(r["text"], r.get("title"), r["label"], r["split"]) for r in rows]


def _analyze(item: tuple[str, str | None]) -> list[str]:
    return features(*item)


def fit(examples: list[Example]) -> Pipeline:
    """Fit the TF-IDF + logistic regression pipeline on `examples` (items are (text, title) pairs)."""
    pipeline = Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer=_analyze, sublinear_tf=True, lowercase=False)),
            ("logreg", LogisticRegression(C=10.0, max_iter=2000)),
        ]
    )
    return pipeline.fit([(e.text, e.title) for e in examples], [e.label for e in examples])


def export(pipeline: Pipeline) -> dict:
    """The fitted pipeline as plain JSON-able data, read back by `StanceModel.load`."""
    tfidf: TfidfVectorizer = pipeline.named_steps["tfidf"]
    logreg: LogisticRegression = pipeline.named_steps["logreg"]
    return {
        "terms": tfidf.get_feature_names_out().tolist(),
        "idf": tfidf.idf_.tolist(),
        "coef": logreg.coef_.tolist(),
        "intercept": logreg.intercept_.tolist(),
        "classes": logreg.classes_.tolist(),
        "sublinear_tf": tfidf.sublinear_tf,
    }


def main() -> None:
    """Train on the train split and write the JSON model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_PATH)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    train = [e for e in read_examples(args.data) if e.split == "train"]
    model = export(fit(train))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
    print(f"trained on {len(train)} comments, {len(model['terms'])} terms -> {args.out}")


if __name__ == "__main__":
    main()
