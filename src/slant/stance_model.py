"""Runtime of the comment stance model: one MiniLM-L6 pass per comment (or sentence), read with what it answers.

The network (trained by `python -m slant.train.stance`) mean-pools the encoder's last layer and returns,
per (comment, context) pair, one logit per stance of `STANCES`: RumourEval's support, deny and query, and
its "comment" split into adding information or off topic. Only onnxruntime, tokenizers and numpy are needed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from slant.techniques_model import onnx_runner

MODEL_DIR = Path(__file__).parent / "models" / "stance"
#: The model's outputs, in order.
STANCES = ("support", "deny", "query", "adds_information", "off_topic")


class HeadParams(BaseModel):
    """What `params.json` holds besides the network."""

    model_config = ConfigDict(frozen=True)

    version: str
    outputs: list[str]
    max_tokens: int


class StanceModel:
    """The shipped ONNX model, tokenizer and parameters, loaded once."""

    def __init__(self, directory: Path = MODEL_DIR, *, threads: int = 2) -> None:
        from tokenizers import Tokenizer

        self.params = HeadParams.model_validate_json((directory / "params.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._run = onnx_runner(directory / "model.onnx", threads)

    def logits(self, texts: Sequence[str], contexts: Sequence[str | None] | None = None) -> np.ndarray:
        """Logits (n, len(STANCES)) of texts, each read with its context (as a sentence pair) when given.

        Each input runs alone, unpadded: int8 activations are quantized with one scale per run, so a batch
        would make an input's scores depend on its batch mates (and on CPU one unpadded run is as fast).
        """
        pairs = [(t, c) if c else t for t, c in zip(texts, contexts or [None] * len(texts), strict=True)]
        out = np.zeros((len(texts), len(STANCES)), dtype=np.float32)
        for row, encoding in enumerate(self.tokenizer.encode_batch(pairs)):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            out[row] = self._run(ids, np.ones_like(ids))[0]
        return out

    def stances(self, comments: Sequence[str], contexts: Sequence[str | None]) -> np.ndarray:
        """Stance probabilities (n, len(STANCES)) of comments, each read with what it answers."""
        return softmax(self.logits(comments, contexts))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def write_params(directory: Path, params: HeadParams) -> None:
    """Write `params.json` (read back by `StanceModel`)."""
    (directory / "params.json").write_text(json.dumps(params.model_dump(), indent=1) + "\n", encoding="utf-8")
