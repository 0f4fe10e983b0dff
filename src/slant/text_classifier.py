"""A linear text classifier run in numpy: TF-IDF over word and character n-grams, then logistic regression.

Trained with scikit-learn (`TfidfVectorizer(analyzer=terms)` + `LogisticRegression`) and shipped as plain JSON
(terms, idf, coefficients), so inference needs no pickle and no scikit-learn. `terms` is the one tokenizer,
used at training time as the vectorizer's analyzer, so training and runtime cannot drift apart.
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


def terms(text: str) -> list[str]:
    """Word unigrams and bigrams (`w:`) and character 2-5-grams inside space-padded words (`c:`), lower-cased.

    Example:
        >>> terms("No tax")[:3]
        ['w:no', 'w:tax', 'w:no tax']
    """
    lowered = text.lower()
    words = _WORD.findall(lowered)
    out = [f"w:{w}" for w in words] + [f"w:{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    for word in lowered.split():
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            out += [f"c:{padded[i : i + n]}" for i in range(max(1, len(padded) - n + 1))]
    return out


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF (sublinear tf, l2-normalized) + logistic regression; `coef` has one row per output."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]
    params: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """Read the JSON written by `export`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            vocabulary={term: i for i, term in enumerate(data["terms"])},
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
            counts = Counter(t for t in terms(text) if t in self.vocabulary)
            indices = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[
                indices
            ]
            norm = np.linalg.norm(weights)
            out[row] += self.coef[:, indices] @ (weights / norm if norm else weights)
        return out


def export(vectorizer: Any, classifier: Any, params: dict[str, Any]) -> dict[str, Any]:
    """A fitted `TfidfVectorizer(analyzer=terms, sublinear_tf=True)` and `LogisticRegression` as JSON-able data."""
    return {
        "terms": vectorizer.get_feature_names_out().tolist(),
        "idf": np.round(vectorizer.idf_, 6).tolist(),
        "coef": np.round(classifier.coef_, 6).tolist(),
        "intercept": classifier.intercept_.tolist(),
        "classes": [str(c) for c in classifier.classes_],
        "params": params,
    }
