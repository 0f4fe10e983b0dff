"""Check-worthiness: CLEF CheckThat! 2024 Task 1 English and CheckThat! 2019 Task 1 data, and the model trained on it.

    python -m slant.train.claims --data ../shared/data --out src/slant/models/claims/claims.json

The readers need only the standard library (`bench/claims.py` uses them). CheckThat! 2019 debates are split
by whole debate: those in `HELD_OUT_DEBATES` are only ever evaluated on. The CT24 training set derives from
ClaimBuster, which holds the 2016 presidential debates that CT19 also holds; `normalize` is the key by which
CT24 training sentences that occur in the held-out debates (or in CT24 dev and dev-test) are dropped.
The model is a TF-IDF + logistic regression (`slant.text_classifier`) fitted on CT24 train; its threshold is
the one with the best F1 on CT24 dev.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NamedTuple

CT24_DIR = Path("checkworthiness") / "checkthat2024-task1-english"
CT19_DIR = Path("checkworthiness") / "checkthat2019-task1" / "training"
#: CT19 debates held out for the MAP figure (116 of the 440 positives); none is one of the 2016 debates in CT24.
HELD_OUT_DEBATES = (
    "20160209_msnbc_dem",
    "20161005_vice_pres",
    "20170228_trump_address",
    "20180916_trump_miami",
    "20181112_trump_pelosi",
)
_NON_WORD = re.compile(r"\W+")


class Sentence(NamedTuple):
    """One labelled sentence: CT24 `id` is its Sentence_id, CT19's is `debate:line`."""

    id: str
    text: str
    checkworthy: bool


def normalize(text: str) -> str:
    """Lower-case words joined by single spaces: the key for finding one sentence in both sets."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def read_ct24(data: Path, split: str) -> list[Sentence]:
    """CT24 English `train`, `dev` or `dev-test` sentences (the glued train line 16,877 is split in two)."""
    path = data / CT24_DIR / f"CT24_checkworthy_english_{split}.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    sentences = []
    for row in rows:
        if len(row) == 5:  # two rows glued together upstream: id, text, "No<id>", text, label
            first_label = "Yes" if row[2].startswith("Yes") else "No"
            second_id = row[2][len(first_label) :]
            sentences += [Sentence(row[0], row[1], first_label == "Yes"), Sentence(second_id, row[3], row[4] == "Yes")]
        else:
            sentences.append(Sentence(row[0], row[1], row[2] == "Yes"))
    return sentences


def read_ct19(data: Path) -> dict[str, list[Sentence]]:
    """Each CT19 training debate's lines in order (audience reactions, speaker SYSTEM, left out)."""
    debates = {}
    for path in sorted((data / CT19_DIR).glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [line.rstrip("\r\n").split("\t") for line in handle if line.strip()]
        debates[path.stem] = [Sentence(f"{path.stem}:{r[0]}", r[2], r[3] == "1") for r in rows if r[1] != "SYSTEM"]
    return debates


def training_sentences(data: Path) -> list[Sentence]:
    """CT24 train, less the sentences that also occur in the CT19 held-out debates or in CT24 dev and dev-test."""
    debates = read_ct19(data)
    evaluated = {normalize(s.text) for name in HELD_OUT_DEBATES for s in debates[name]}
    evaluated |= {normalize(s.text) for split in ("dev", "dev-test") for s in read_ct24(data, split)}
    return [s for s in read_ct24(data, "train") if normalize(s.text) not in evaluated]


def main(argv: list[str] | None = None) -> None:
    """Fit TF-IDF + logistic regression on CT24 train, choose the threshold on CT24 dev, write the JSON model."""
    import argparse
    import json
    import time

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from slant.text_classifier import LinearTextModel, export, vectorizer

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/claims/claims.json"))
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--c", type=float, default=1.0)
    args = parser.parse_args(argv)
    train = training_sentences(args.data)
    union = vectorizer(args.min_df)
    features = union.fit_transform([s.text for s in train])
    classifier = LogisticRegression(C=args.c, class_weight="balanced", max_iter=3000)
    classifier.fit(features, [s.checkworthy for s in train])
    params = {"version": f"tfidf-logreg-ct24-{time.strftime('%Y%m%d')}", "threshold": 0.5}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(export(union, classifier, params), separators=(",", ":")), encoding="utf-8")
    dev = read_ct24(args.data, "dev")
    logits = LinearTextModel.load(args.out).decision([s.text for s in dev])[:, 0]
    gold = np.array([s.checkworthy for s in dev])
    f1s = {
        float(t): 2 * float(((logits >= t) & gold).sum()) / float((logits >= t).sum() + gold.sum())
        for t in np.round(np.arange(-2.0, 2.01, 0.1), 1)
    }
    threshold = max(f1s, key=lambda t: f1s[t])
    params["threshold"] = threshold
    args.out.write_text(json.dumps(export(union, classifier, params), separators=(",", ":")), encoding="utf-8")
    print(
        f"trained on {len(train)} sentences, {features.shape[1]} terms; CT24 dev F1 "
        f"{f1s[threshold]:.3f} at logit >= {threshold} -> {args.out}"
    )


if __name__ == "__main__":
    main()
