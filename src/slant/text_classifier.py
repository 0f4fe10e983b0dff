"""A linear text classifier run in numpy: TF-IDF over word and character n-grams, then logistic regression.

Trained with scikit-learn (one `TfidfVectorizer` per analyzer of `ANALYZERS`, joined by a `FeatureUnion`, then
`LogisticRegression`) and shipped as plain JSON (terms, idf, coefficients), so inference needs no pickle and
no scikit-learn. Each part is L2-normalized on its own, as the union does. The analyzers are the one
tokenizer, used at training time by the vectorizers, so training and runtime cannot drift apart.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

_WORD = re.compile(r"(?u)\b\w\w+\b")
CHAR_NGRAMS = range(2, 6)


def word_terms(text: str) -> list[str]:
    """Lower-cased word unigrams and bigrams.

    Example:
        >>> word_terms("No new tax")
        ['no', 'new', 'tax', 'no new', 'new tax']
    """
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def char_terms(text: str) -> list[str]:
    """Lower-cased character 2-5-grams inside space-padded words (scikit-learn's `char_wb`)."""
    out = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            out += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
    return out


#: The feature parts, by name: each is a TF-IDF vector of its own, L2-normalized on its own.
ANALYZERS = {"words": word_terms, "chars": char_terms}


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF parts (sublinear tf, each l2-normalized) + logistic regression; `coef` has one row per output."""

    vocabularies: dict[str, dict[str, int]]  # part -> term -> column (columns of all parts are consecutive)
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]
    params: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """Read the JSON written by `export`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        offsets = np.cumsum([0, *(len(data["terms"][part]) for part in ANALYZERS)])
        return cls(
            vocabularies={
                part: {term: int(offset) + i for i, term in enumerate(data["terms"][part])}
                for part, offset in zip(ANALYZERS, offsets, strict=False)
            },
            idf=np.asarray(data["idf"], dtype=np.float64),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=np.asarray(data["intercept"], dtype=np.float64),
            classes=tuple(data["classes"]),
            params=data.get("params", {}),
        )

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """The logits (n, rows of `coef`) of each text, as scikit-learn's `decision_function` (2-D)."""
        out = np.tile(self.intercept, (len(texts), 1))
        for row, text in enumerate(texts):
            for part, analyzer in ANALYZERS.items():
                vocabulary = self.vocabularies[part]
                counts = Counter(vocabulary[t] for t in analyzer(text) if t in vocabulary)
                indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                weights = (1.0 + np.log(tf)) * self.idf[indices]
                norm = np.linalg.norm(weights)
                out[row] += self.coef[:, indices] @ (weights / norm if norm else weights)
        return out


def vectorizer(min_df: int) -> Any:
    """The scikit-learn feature union that `LinearTextModel` reproduces (training only)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [(part, TfidfVectorizer(analyzer=a, sublinear_tf=True, min_df=min_df)) for part, a in ANALYZERS.items()]
    )


def export(union: Any, classifier: Any, params: dict[str, Any]) -> dict[str, Any]:
    """A fitted `vectorizer()` and `LogisticRegression` as JSON-able data."""
    parts = dict(union.transformer_list)
    return {
        "terms": {part: parts[part].get_feature_names_out().tolist() for part in ANALYZERS},
        "idf": np.round(np.concatenate([parts[part].idf_ for part in ANALYZERS]), 6).tolist(),
        "coef": np.round(classifier.coef_, 6).tolist(),
        "intercept": classifier.intercept_.tolist(),
        "classes": [str(c) for c in classifier.classes_],
        "params": params,
    }
