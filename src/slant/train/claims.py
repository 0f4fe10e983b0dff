"""Check-worthiness: CLEF CheckThat! 2024 Task 1 English and CheckThat! 2019 Task 1 data, and the model trained on it.

    python -m slant.train.claims --data ../shared/data --out src/slant/models/claims/claims.json

The readers need only the standard library (`bench/claims.py` uses them). CheckThat! 2019 debates are split
by whole debate: those in `HELD_OUT_DEBATES` are only ever evaluated on. The CT24 training set derives from
ClaimBuster, which holds the 2016 presidential debates that CT19 also holds; `normalize` is the key by which
CT24 training sentences that occur in the held-out debates (or in CT24 dev and dev-test) are dropped.
The model is a logistic regression (`slant.text_classifier`, balanced class weights) fitted on CT24 train over
TF-IDF, the sentence cues of `slant.analyzers.claims.dense_features` and each sentence's mean state in the shared
encoder pass (`slant.encoder`, the technique model), so it
is retrained whenever the technique model changes. It decides at the balanced model's own boundary (logit 0)
unless told otherwise; CT24 dev's F1-best threshold is recorded beside it (dev shares train's prior, 23 % yes).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

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


def encoder_states(texts: Sequence[str], threads: int = 1, batch: int = 256) -> np.ndarray:
    """The shared encoder's mean state over each text, run as a one-sentence body as the pipeline would
    (shared parse, actor-blind text, one pass), shape (n, 384)."""
    from slant.encoder import encode_documents, technique_model
    from slant.lexicons import actor_aliases
    from slant.model import Document, Segment, SegmentKind
    from slant.parse import parse_documents

    rows = []
    for first in range(0, len(texts), batch):
        documents = [
            Document(text=t, segments=(Segment(kind=SegmentKind.BODY, start=0, end=len(t)),))
            for t in texts[first : first + batch]
        ]
        encoded = encode_documents(documents, parse_documents(documents, actor_aliases()), technique_model(threads))
        rows += [segments[0].pooled([(0, len(d.text))])[0] for d, segments in zip(documents, encoded, strict=True)]
    return np.stack(rows)


def main(argv: list[str] | None = None) -> None:
    """Fit logistic regression over TF-IDF and the shared encoder's states on CT24 train; report CT24 dev."""
    import argparse
    import json
    import time

    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from slant.analyzers.claims import dense_features
    from slant.encoder import fingerprint, technique_model
    from slant.text_classifier import LinearTextModel, export, vectorizer

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/claims/claims.json"))
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--dense-weight", type=float, default=0.1, help="scale of the standardized dense columns")
    parser.add_argument(
        "--threshold", type=float, default=None, help="claim from this logit (default: CT24 dev's best)"
    )
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.time()
    train, dev = training_sentences(args.data), read_ct24(args.data, "dev")
    texts = [s.text for s in train]
    states = dense_features(texts, encoder_states(texts, args.threads))
    center, scale = states.mean(0), states.std(0) / args.dense_weight + 1e-6
    union = vectorizer(args.min_df)
    features = sparse.hstack([union.fit_transform(texts), (states - center) / scale]).tocsr()
    classifier = LogisticRegression(C=args.c, class_weight="balanced", max_iter=3000)
    classifier.fit(features, [s.checkworthy for s in train])
    model = LinearTextModel.load_data(export(union, classifier, {}, (center, scale)))
    dev_texts = [s.text for s in dev]
    logits = model.decision(dev_texts, dense_features(dev_texts, encoder_states(dev_texts, args.threads)))[:, 0]
    gold = np.array([s.checkworthy for s in dev])
    f1s = {float(t): _f1(logits >= t, gold) for t in np.round(np.arange(-2.0, 2.01, 0.1), 1)}
    dev_best = max(f1s, key=lambda t: f1s[t])
    threshold = dev_best if args.threshold is None else args.threshold
    params = {
        "version": f"tfidf-encoder-logreg-ct24-{time.strftime('%Y%m%d')}",
        "threshold": threshold,
        "dev_best_threshold": dev_best,
        "encoder_sha256": fingerprint(),
        "encoder_version": technique_model(args.threads).params.version,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    exported = export(union, classifier, params, (center, scale))
    args.out.write_text(json.dumps(exported, separators=(",", ":")), encoding="utf-8")
    print(
        f"trained on {len(train)} sentences, {len(union.get_feature_names_out())} terms + {states.shape[1]} dense "
        f"in {time.time() - started:.0f} s; CT24 dev F1 {_f1(logits >= threshold, gold):.3f} at logit >= "
        f"{threshold} (dev's best: {f1s[dev_best]:.3f} at {dev_best}) -> {args.out}"
    )


def _f1(predicted: np.ndarray, gold: np.ndarray) -> float:
    return 2 * float((predicted & gold).sum()) / max(1.0, float(predicted.sum() + gold.sum()))


if __name__ == "__main__":
    main()
