"""A linear text classifier run in numpy: TF-IDF over word and character n-grams, then logistic regression.

Trained with scikit-learn (one `TfidfVectorizer` per analyzer of `ANALYZERS`, joined by a `FeatureUnion`, then
`LogisticRegression`) and shipped as plain JSON (terms, idf, coefficients), so inference needs no pickle and
no scikit-learn. Each part is L2-normalized on its own, as the union does. The analyzers are the one
tokenizer, used at training time by the vectorizers, so training and runtime cannot drift apart.
Optionally the regression also reads a dense vector per text (e.g. an encoder's pooled states), standardized
as `(x - center) / scale` and appended to the TF-IDF columns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

_WORD = re.compile(r"(?u)\b\w\w+\b")
CHAR_NGRAMS = range(2, 6)
MAX_CACHED_WORDS = 100_000  # words whose character-part columns are kept (the cache is emptied when full)


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


class DensePart(NamedTuple):
    """The dense columns of the regression: standardization (d,) and coefficients (outputs, d)."""

    center: np.ndarray
    scale: np.ndarray
    coef: np.ndarray


@dataclass(frozen=True)
class LinearTextModel:
    """TF-IDF parts (sublinear tf, each l2-normalized) + logistic regression; `coef` has one row per output."""

    vocabularies: dict[str, dict[str, int]]  # part -> term -> column (columns of all parts are consecutive)
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]
    params: dict[str, Any]
    dense: DensePart | None = None
    _word_columns: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        """Read the JSON written by `export`."""
        return cls.load_data(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def load_data(cls, data: dict[str, Any]) -> LinearTextModel:
        """The model from the data `export` returns."""
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
            dense=DensePart(*(np.asarray(data["dense"][k], dtype=np.float64) for k in DensePart._fields))
            if "dense" in data
            else None,
        )

    def decision(self, texts: Sequence[str], dense: np.ndarray | None = None) -> np.ndarray:
        """The logits (n, rows of `coef`) of each text, as scikit-learn's `decision_function` (2-D).

        `dense` (n, d): the texts' dense vectors, required exactly when the model has a dense part.
        Vectorized over the texts: each word's feature columns are looked up once and kept, so the Python
        work per text is a few list joins.
        """
        if (dense is None) != (self.dense is None):
            raise TypeError("give dense vectors exactly when the model has a dense part")
        out = np.tile(self.intercept, (len(texts), 1))
        if self.dense is not None and dense is not None:
            out += ((dense - self.dense.center) / self.dense.scale) @ self.dense.coef.T
        for part in ANALYZERS:
            rows, columns = [], []
            for row, text in enumerate(texts):
                found = self._columns(part, text)
                rows += [row] * len(found)
                columns += found
            if not columns:
                continue
            keys, tf = np.unique(np.asarray(rows, dtype=np.int64) * len(self.idf) + columns, return_counts=True)
            row_of, column = np.divmod(keys, len(self.idf))
            weights = (1.0 + np.log(tf)) * self.idf[column]
            norms = np.sqrt(np.bincount(row_of, weights**2, minlength=len(texts)))
            weights /= norms[row_of]
            for k in range(self.coef.shape[0]):
                out[:, k] += np.bincount(row_of, weights * self.coef[k, column], minlength=len(texts))
        return out

    def _columns(self, part: str, text: str) -> list[int]:
        """The feature columns of `text` in `part` (repeated as often as the term occurs)."""
        vocabulary = self.vocabularies[part]
        if part != "chars":
            return [column for term in ANALYZERS[part](text) if (column := vocabulary.get(term)) is not None]
        cache = self._word_columns
        if len(cache) > MAX_CACHED_WORDS:
            cache.clear()
        columns: list[int] = []
        for word in text.lower().split():
            if (known := cache.get(word)) is None:
                known = cache[word] = [c for term in char_terms(word) if (c := vocabulary.get(term)) is not None]
            columns += known
        return columns


def vectorizer(min_df: int) -> Any:
    """The scikit-learn feature union that `LinearTextModel` reproduces (training only)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [(part, TfidfVectorizer(analyzer=a, sublinear_tf=True, min_df=min_df)) for part, a in ANALYZERS.items()]
    )


def export(
    union: Any, classifier: Any, params: dict[str, Any], dense: tuple[np.ndarray, np.ndarray] | None = None
) -> dict[str, Any]:
    """A fitted `vectorizer()` and `LogisticRegression` as JSON-able data; `dense`: the (center, scale) of
    the dense columns the regression read after the TF-IDF ones."""
    parts = dict(union.transformer_list)
    idf = np.concatenate([parts[part].idf_ for part in ANALYZERS])
    exported = {
        "terms": {part: parts[part].get_feature_names_out().tolist() for part in ANALYZERS},
        "idf": np.round(idf, 6).tolist(),
        "coef": np.round(classifier.coef_[:, : len(idf)], 6).tolist(),
        "intercept": classifier.intercept_.tolist(),
        "classes": [str(c) for c in classifier.classes_],
        "params": params,
    }
    if dense is not None:
        center, scale = dense
        coef = classifier.coef_[:, len(idf) :]
        exported["dense"] = {"center": center.tolist(), "scale": scale.tolist(), "coef": coef.tolist()}
    return exported
