"""Runtime of the shared sentence model: one MiniLM-L6 pass per sentence (or comment pair), two heads.

The network (trained by `python -m slant.train.claims_stance`) mean-pools the encoder's last layer and
returns, per input, one logit per output of `OUTPUTS`: check-worthiness (CheckThat! 2024 scheme), the
CheckThat! 2019 scheme (a sentence a fact-checker actually chose), and a 5-way stance of a comment read
with what it answers (RumourEval's support, deny, query, and its "comment" split into adding information
or off topic). Only onnxruntime, tokenizers and numpy are needed here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from slant.techniques import sigmoid
from slant.techniques_model import onnx_runner

MODEL_DIR = Path(__file__).parent / "models" / "claims_stance"
CHECKWORTHY, CHECKWORTHY_CT19 = 0, 1
#: The stance outputs, in order after the two check-worthiness logits.
STANCES = ("support", "deny", "query", "adds_information", "off_topic")
OUTPUTS = ("checkworthy", "checkworthy_ct19", *STANCES)
BATCH_SIZE = 32


class HeadParams(BaseModel):
    """What `params.json` holds besides the network."""

    model_config = ConfigDict(frozen=True)

    version: str
    outputs: list[str]
    max_tokens: int
    checkworthy_threshold: float


class ClaimsStanceModel:
    """The shipped ONNX model, tokenizer and parameters, loaded once."""

    def __init__(self, directory: Path = MODEL_DIR, *, threads: int = 2) -> None:
        from tokenizers import Tokenizer

        self.params = HeadParams.model_validate_json((directory / "params.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._run = onnx_runner(directory / "model.onnx", threads)

    def logits(self, texts: Sequence[str], contexts: Sequence[str | None] | None = None) -> np.ndarray:
        """Logits (n, len(OUTPUTS)) of texts, each read with its context (as a sentence pair) when given.

        Inputs are run in batches of similar length, so padding stays small.
        """
        pairs = [(t, c) if c else t for t, c in zip(texts, contexts or [None] * len(texts), strict=True)]
        encodings = self.tokenizer.encode_batch(pairs)
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        out = np.zeros((len(texts), len(OUTPUTS)), dtype=np.float32)
        for first in range(0, len(order), BATCH_SIZE):
            rows = order[first : first + BATCH_SIZE]
            width = max(len(encodings[r].ids) for r in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for i, r in enumerate(rows):
                ids[i, : len(encodings[r].ids)] = encodings[r].ids
                mask[i, : len(encodings[r].ids)] = 1
            out[rows] = self._run(ids, mask)
        return out

    def checkworthiness(self, sentences: Sequence[str]) -> np.ndarray:
        """The probability that each sentence is check-worthy (CheckThat! 2024 scheme)."""
        return sigmoid(self.logits(sentences)[:, CHECKWORTHY])

    def stances(self, comments: Sequence[str], contexts: Sequence[str | None]) -> np.ndarray:
        """Stance probabilities (n, len(STANCES)) of comments, each read with what it answers."""
        return softmax(self.logits(comments, contexts)[:, len(OUTPUTS) - len(STANCES) :])


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def write_params(directory: Path, params: HeadParams) -> None:
    """Write `params.json` (read back by `ClaimsStanceModel`)."""
    (directory / "params.json").write_text(json.dumps(params.model_dump(), indent=1) + "\n", encoding="utf-8")
