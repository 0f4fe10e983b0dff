"""Runtime of the propaganda technique detector: tokenize, run windows, decode spans, classify them.

The model tags each word piece with 15 logits: "any technique" (for span identification) and one per
technique. Spans are runs of pieces whose calibrated "any" probability passes a threshold, mapped back to
exact character offsets; a span's technique comes from a small linear classifier over the mean technique
logits inside it plus two cheap features (length, repetition in the text). Only onnxruntime, tokenizers
and numpy are needed here; training (`slant.train.techniques`) reuses these functions with a torch model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict

from slant.techniques import average_windows, char_span, sigmoid, span_features, token_runs, windows

MODEL_DIR = Path(__file__).parent / "models" / "techniques"
CLS_ID, SEP_ID, PAD_ID = 101, 102, 0

#: (input_ids, attention_mask) of a padded batch of windows -> logits of shape (batch, tokens, 15).
WindowRunner = Callable[[np.ndarray, np.ndarray], np.ndarray]


class Encoded(NamedTuple):
    """A text's word pieces (no special tokens) and their character offsets, shape (n, 2)."""

    ids: np.ndarray
    offsets: np.ndarray


class DetectedSpan(NamedTuple):
    """A technique span in a text: offsets, technique, and the probability it is that technique."""

    start: int
    end: int
    technique: str
    score: float


class ModelParams(BaseModel):
    """What `labels.json` holds besides the network: labels, windowing, calibration, thresholds, classifier."""

    model_config = ConfigDict(frozen=True)

    version: str
    labels: list[str]
    window: int
    stride: int
    max_gap: int
    si_threshold: float
    calibration: list[tuple[float, float]]
    classifier_coef: list[list[float]]
    classifier_intercept: list[float]
    piece_weights: dict[int, list[float]] = {}

    @cached_property
    def _piece_weights(self) -> dict[int, np.ndarray]:
        return {piece: np.asarray(weights, dtype=np.float32) for piece, weights in self.piece_weights.items()}

    @property
    def techniques(self) -> list[str]:
        """The technique labels (all outputs but the first, "any")."""
        return self.labels[1:]

    def calibrated(self, logits: np.ndarray) -> np.ndarray:
        """Platt-calibrated probabilities of each output: sigmoid(a * logit + b)."""
        scale, bias = np.asarray(self.calibration, dtype=np.float32).T
        return sigmoid(logits * scale + bias)

    def technique_probabilities(self, features: SpanFeatures) -> np.ndarray:
        """The classifier's softmax over techniques for span features, shape (n, 14).

        A linear model over the dense features plus one weight vector per word piece the span touches.
        """
        scores = features.dense @ np.asarray(self.classifier_coef, dtype=np.float32).T + np.asarray(
            self.classifier_intercept, dtype=np.float32
        )
        for row, pieces in enumerate(features.pieces):
            for piece in pieces.tolist():
                if (weights := self._piece_weights.get(piece)) is not None:
                    scores[row] += weights
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)


def encode(tokenizer: object, texts: Sequence[str]) -> list[Encoded]:
    """Word pieces and offsets of each text, without special tokens (a `tokenizers.Tokenizer`)."""
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)  # type: ignore[attr-defined]
    return [
        Encoded(np.asarray(e.ids, dtype=np.int64), np.asarray(e.offsets, dtype=np.int64).reshape(-1, 2))
        for e in encodings
    ]


def token_logits(
    encoded: Sequence[Encoded], run: WindowRunner, *, window: int, stride: int, batch_size: int = 32
) -> list[np.ndarray]:
    """Per-piece logits of each text: windows of all texts batched together (sorted by length), averaged back."""
    jobs = [(t, r) for t, e in enumerate(encoded) for r in windows(len(e.ids), window, stride)]
    jobs.sort(key=lambda job: job[1][1] - job[1][0])
    outputs: dict[tuple[int, tuple[int, int]], np.ndarray] = {}
    for first in range(0, len(jobs), batch_size):
        batch = jobs[first : first + batch_size]
        width = max(end - start for _, (start, end) in batch) + 2
        ids = np.full((len(batch), width), PAD_ID, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, (t, (start, end)) in enumerate(batch):
            n = end - start
            ids[row, : n + 2] = [CLS_ID, *encoded[t].ids[start:end], SEP_ID]
            mask[row, : n + 2] = 1
        logits = run(ids, mask)
        for row, job in enumerate(batch):
            outputs[job] = logits[row, 1 : job[1][1] - job[1][0] + 1]
    result = []
    for t, e in enumerate(encoded):
        ranges = windows(len(e.ids), window, stride)
        n_labels = next(iter(outputs.values())).shape[-1] if outputs else 0
        result.append(
            average_windows(len(e.ids), ranges, [outputs[(t, r)] for r in ranges])
            if ranges
            else np.zeros((0, n_labels), dtype=np.float32)
        )
    return result


def onnx_runner(path: Path, threads: int = 2) -> WindowRunner:
    """A `WindowRunner` over an ONNX model file (CPU, `threads` intra-op threads)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]

    return run


class SpanFeatures(NamedTuple):
    """Classifier inputs of n spans: dense features (n, k) and the distinct word-piece ids each touches."""

    dense: np.ndarray
    pieces: list[np.ndarray]


def span_feature_matrix(
    text: str, encoded: Encoded, logits: np.ndarray, spans: Sequence[tuple[int, int]]
) -> SpanFeatures:
    """Classifier features of character spans of `text`, from the pieces they touch and their logits."""
    dense, pieces = [], []
    for start, end in spans:
        inside = np.flatnonzero((encoded.offsets[:, 0] < end) & (encoded.offsets[:, 1] > start))
        if inside.size == 0:  # a span between pieces (whitespace only): take the nearest piece
            inside = np.array([min(int(np.searchsorted(encoded.offsets[:, 0], start)), len(encoded.ids) - 1)])
        touched = slice(inside[0], inside[-1] + 1)
        dense.append(span_features(text, start, end, logits[touched]))
        pieces.append(np.unique(encoded.ids[touched]))
    return SpanFeatures(np.stack(dense), pieces)


def classify(
    text: str, encoded: Encoded, logits: np.ndarray, spans: Sequence[tuple[int, int]], params: ModelParams
) -> np.ndarray:
    """Technique probabilities (n_spans, 14) of character spans of `text`."""
    if not spans or len(encoded.ids) == 0:
        return np.full((len(spans), len(params.techniques)), 1 / len(params.techniques), dtype=np.float32)
    return params.technique_probabilities(span_feature_matrix(text, encoded, logits, spans))


def detect(
    text: str, encoded: Encoded, logits: np.ndarray, params: ModelParams, threshold: float | None = None
) -> list[DetectedSpan]:
    """Technique spans of one text: runs of pieces above the SI threshold, each with its likeliest technique.

    The score is the span's mean calibrated "any technique" probability times the classifier's
    probability of the chosen technique.
    """
    if len(encoded.ids) == 0:
        return []
    any_probability = params.calibrated(logits)[:, 0]
    cutoff = params.si_threshold if threshold is None else threshold
    runs = token_runs(any_probability >= cutoff, params.max_gap)
    spans: dict[tuple[int, int], float] = {}
    for first, last in runs:
        start, end = char_span(text, encoded.offsets, first, last)
        if end > start:
            spans.setdefault((start, end), float(any_probability[first:last].mean()))
    probabilities = classify(text, encoded, logits, list(spans), params)
    return [
        DetectedSpan(start, end, params.techniques[int(p.argmax())], float(span_probability * p.max()))
        for ((start, end), span_probability), p in zip(spans.items(), probabilities, strict=True)
    ]


class TechniqueModel:
    """The shipped ONNX model, its tokenizer and parameters, loaded once; runs many texts in one batch."""

    def __init__(self, directory: Path = MODEL_DIR, *, model_file: str = "model.onnx", threads: int = 2) -> None:
        from tokenizers import Tokenizer

        self.params = ModelParams.model_validate(json.loads((directory / "labels.json").read_text(encoding="utf-8")))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._run = onnx_runner(directory / model_file, threads)

    def logits(self, texts: Sequence[str], batch_size: int = 1) -> tuple[list[Encoded], list[np.ndarray]]:
        """Word pieces and per-piece logits of each text.

        One window per run by default: int8 activations are quantized with one scale per run, so a
        larger batch would make a text's scores depend on its batch mates (and one window per run,
        unpadded, is as fast on CPU).
        """
        encoded = encode(self.tokenizer, texts)
        window, stride = self.params.window, self.params.stride
        return encoded, token_logits(encoded, self._run, window=window, stride=stride, batch_size=batch_size)

    def detect(self, texts: Sequence[str]) -> list[list[DetectedSpan]]:
        """Technique spans of each text."""
        encoded, logits = self.logits(texts)
        return [detect(t, e, x, self.params) for t, e, x in zip(texts, encoded, logits, strict=True)]

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
        """The likeliest technique of each given character span of `text`."""
        encoded, logits = self.logits([text])
        probabilities = classify(text, encoded[0], logits[0], spans, self.params)
        return [self.params.techniques[int(i)] for i in probabilities.argmax(axis=1)]
