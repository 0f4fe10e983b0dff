"""Runtime of the propaganda technique detector: blind, tokenize, run windows, decode spans, classify them.

Windows never cross a line break, so a change in one line (a name the NER missed) moves no other line's
windows and scores. One encoder pass per window gives, for each word piece, 15 tagger logits ("any
technique" plus one per technique) and its 384 hidden states. Spans are runs of pieces whose calibrated
"any" probability passes a threshold, cut at line breaks (and sentence ends, if chosen on the calibration
part), at least `min_pieces` long (one-piece runs are mostly wrong), mapped back to exact character offsets;
a small technique head over each span's pooled states, its context, its tagger logits, its word pieces and its
repetition in the text, mixed with a linear model of the span's words (`slant.text_classifier`), names its
techniques (several when they overlap). Only onnxruntime, tokenizers and numpy are needed here; training
(`slant.train.techniques`) mirrors the head in torch.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict

from slant.techniques.actor_blind import blind, name_lexicons
from slant.techniques.spans import (
    breaks,
    char_span,
    gelu,
    head_inputs,
    line_windows,
    piece_range,
    sigmoid,
    span_extras,
    split_runs,
    token_runs,
    windows,
)
from slant.text_classifier import LinearTextModel

if TYPE_CHECKING:
    import onnxruntime

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "techniques"
CLS_ID, SEP_ID, PAD_ID = 101, 102, 0
N_TAGS = 15

#: (input_ids, attention_mask) of a padded batch of windows -> outputs of shape (batch, tokens, k).
WindowRunner = Callable[[np.ndarray, np.ndarray], np.ndarray]


class Encoded(NamedTuple):
    """A text's word pieces (no special tokens) and their character offsets, shape (n, 2)."""

    ids: np.ndarray
    offsets: np.ndarray


class Tagged(NamedTuple):
    """A text, its pieces, and per piece the tagger logits (n, 15) and hidden states (n, 384)."""

    text: str
    encoded: Encoded
    logits: np.ndarray
    states: np.ndarray


class DetectedSpan(NamedTuple):
    """A technique span in a text: offsets, technique, and the calibrated probability that it is right."""

    start: int
    end: int
    technique: str
    score: float


class ModelParams(BaseModel):
    """What `labels.json` holds besides the network and the head: labels, windowing, calibration, thresholds."""

    model_config = ConfigDict(frozen=True)

    version: str
    labels: list[str]
    window: int
    stride: int
    max_gap: int
    min_pieces: int
    si_threshold: float
    split_sentences: bool
    calibration: list[tuple[float, float]]
    lexical_weight: float
    multi_label_threshold: float
    score_calibration: tuple[list[float], list[float]]
    display_threshold: float

    @property
    def techniques(self) -> list[str]:
        """The technique labels (all outputs but the first, "any")."""
        return self.labels[1:]

    def calibrated(self, logits: np.ndarray) -> np.ndarray:
        """Platt-calibrated probabilities of each output: sigmoid(a * logit + b)."""
        scale, bias = np.asarray(self.calibration, dtype=np.float32).T
        return sigmoid(logits * scale + bias)

    def span_score(self, raw: np.ndarray) -> np.ndarray:
        """The probability that a span and its technique are right, from its raw score (isotonic map)."""
        x, y = self.score_calibration
        result: np.ndarray = np.interp(raw, x, y)
        return result


class TechniqueHead(NamedTuple):
    """The technique head: a two-layer network over `head_inputs` plus a mean of per-piece weight vectors."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    piece_ids: np.ndarray
    piece_weights: np.ndarray

    @classmethod
    def load(cls, path: Path) -> TechniqueHead:
        """Read `head.npz` (plain arrays, no pickle)."""
        with np.load(path, allow_pickle=False) as arrays:
            return cls(*(arrays[name] for name in cls._fields))

    def logits(self, dense: np.ndarray, pieces: Sequence[np.ndarray]) -> np.ndarray:
        """Independent logits of the 14 techniques for n spans, shape (n, 14)."""
        scores: np.ndarray = gelu(dense @ self.w1 + self.b1) @ self.w2 + self.b2
        for row, ids in enumerate(pieces):
            where = np.minimum(np.searchsorted(self.piece_ids, ids), len(self.piece_ids) - 1)
            scores[row] += self.piece_weights[where[self.piece_ids[where] == ids]].sum(0) / len(ids)
        return scores

    def probabilities(self, dense: np.ndarray, pieces: Sequence[np.ndarray]) -> np.ndarray:
        """Independent probabilities of the 14 techniques for n spans, shape (n, 14)."""
        return sigmoid(self.logits(dense, pieces))


class SpanClassifier(NamedTuple):
    """What names a span's techniques: the technique head over the encoder pass, and a linear model of the span's
    own words (TF-IDF of words and character n-grams, one logistic regression per technique), their logits mixed
    as `weight * head + (1 - weight) * lexical`. The words model sees what the frozen encoder states blur (the
    exact wording), and it was fitted on text the encoder never learned from, so the mix generalizes better."""

    head: TechniqueHead
    lexical: LinearTextModel
    weight: float


def encode(tokenizer: object, texts: Sequence[str]) -> list[Encoded]:
    """Word pieces and offsets of each text, without special tokens (a `tokenizers.Tokenizer`)."""
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)  # type: ignore[attr-defined]
    return [
        Encoded(np.asarray(e.ids, dtype=np.int64), np.asarray(e.offsets, dtype=np.int64).reshape(-1, 2))
        for e in encodings
    ]


def token_outputs(
    encoded: Sequence[Encoded],
    run: WindowRunner,
    *,
    window: int,
    stride: int,
    batch_size: int = 32,
    texts: Sequence[str] | None = None,
    streams: int = 1,
) -> list[np.ndarray]:
    """Per-piece outputs of each text: windows of all texts batched together (sorted by length), averaged back.

    Given the `texts`, no window crosses a line break (`line_windows`). `streams` batches run at once (each run
    releases the GIL), so a single-threaded runner still uses that many cores; results do not depend on it.
    """
    spans_of = [
        line_windows(texts[t], e.offsets, window, stride) if texts is not None else windows(len(e.ids), window, stride)
        for t, e in enumerate(encoded)
    ]
    jobs = [(t, r) for t, e in enumerate(encoded) for r in spans_of[t]]
    jobs.sort(key=lambda job: job[1][1] - job[1][0])
    batches = [jobs[first : first + batch_size] for first in range(0, len(jobs), batch_size)]

    def run_batch(batch: list[tuple[int, tuple[int, int]]]) -> np.ndarray:
        width = max(end - start for _, (start, end) in batch) + 2
        ids = np.full((len(batch), width), PAD_ID, dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, (t, (start, end)) in enumerate(batch):
            n = end - start
            ids[row, : n + 2] = [CLS_ID, *encoded[t].ids[start:end], SEP_ID]
            mask[row, : n + 2] = 1
        return run(ids, mask)

    # Each window is added into its text's total as it comes back, so a long text never holds its windows'
    # outputs beside the average (at most two windows overlap, so the order of the sums does not matter).
    totals: dict[int, np.ndarray] = {}
    counts = [np.zeros((len(e.ids), 1), dtype=np.float32) for e in encoded]
    with ThreadPoolExecutor(streams) as pool:
        for batch, result in zip(batches, pool.map(run_batch, batches), strict=True):
            for row, (t, (start, end)) in enumerate(batch):
                if t not in totals:
                    totals[t] = np.zeros((len(encoded[t].ids), result.shape[-1]), dtype=np.float32)
                totals[t][start:end] += result[row, 1 : end - start + 1]
                counts[t][start:end] += 1
    width = next((total.shape[-1] for total in totals.values()), 0)
    averaged = [totals.pop(t, np.zeros((0, width), dtype=np.float32)) for t in range(len(encoded))]
    for total, count in zip(averaged, counts, strict=True):
        total /= np.maximum(count, 1)
    return averaged


def cpu_session(path: Path, threads: int = 1) -> onnxruntime.InferenceSession:
    """An onnxruntime session over an ONNX model file on the CPU with `threads` threads per run, whose worker
    threads sleep rather than spin between runs (which on a shared machine wastes a core for nothing)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def onnx_runner(path: Path, threads: int = 1, outputs: Sequence[str] = ("logits", "states")) -> WindowRunner:
    """A `WindowRunner` over an ONNX model file (`cpu_session`): its `outputs` side by side on the last axis (for
    the technique model, tagger logits and hidden states)."""
    session = cpu_session(path, threads)

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        results = session.run(list(outputs), {"input_ids": ids, "attention_mask": mask})
        return np.concatenate(results, axis=-1)

    return run


def tag(texts: Sequence[str], encoded: Sequence[Encoded], outputs: Sequence[np.ndarray]) -> list[Tagged]:
    """Pair texts with their pieces, tagger logits and hidden states."""
    return [Tagged(t, e, x[:, :N_TAGS], x[:, N_TAGS:]) for t, e, x in zip(texts, encoded, outputs, strict=True)]


def head_features(tagged: Tagged, spans: Sequence[tuple[int, int]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """The technique head's inputs for character spans of a tagged text: dense features (n, d), distinct pieces."""
    dense, pieces = [], []
    lowered = tagged.text.lower()
    for start, end in spans:
        first, last = piece_range(tagged.encoded.offsets, start, end)
        extras = span_extras(tagged.text, lowered, start, end, last - first)
        dense.append(head_inputs(tagged.states, tagged.logits, first, last, extras))
        pieces.append(np.unique(tagged.encoded.ids[first:last]))
    return np.stack(dense).astype(np.float32), pieces


def classify(tagged: Tagged, spans: Sequence[tuple[int, int]], classifier: SpanClassifier) -> np.ndarray:
    """Technique probabilities (n_spans, 14) of character spans of a tagged text."""
    if not spans or len(tagged.encoded.ids) == 0:
        return np.full((len(spans), 14), 1 / 14, dtype=np.float32)
    head = classifier.head.logits(*head_features(tagged, spans))
    lexical = classifier.lexical.decision([tagged.text[start:end] for start, end in spans])
    return sigmoid(classifier.weight * head + (1 - classifier.weight) * lexical)


def candidate_spans(
    tagged: Tagged, params: ModelParams, threshold: float | None = None
) -> dict[tuple[int, int], float]:
    """Character spans whose pieces pass the SI threshold, cut at breaks, of at least `min_pieces` pieces, each with
    its mean "any" probability."""
    if len(tagged.encoded.ids) == 0:
        return {}
    any_probability = params.calibrated(tagged.logits)[:, 0]
    cutoff = params.si_threshold if threshold is None else threshold
    runs = token_runs(any_probability >= cutoff, params.max_gap)
    runs = split_runs(runs, breaks(tagged.text, tagged.encoded.offsets, params.split_sentences))
    spans: dict[tuple[int, int], float] = {}
    for first, last in runs:
        if last - first < params.min_pieces:
            continue
        start, end = char_span(tagged.text, tagged.encoded.offsets, first, last)
        if end > start and any(c.isalnum() for c in tagged.text[start:end]):
            spans.setdefault((start, end), float(any_probability[first:last].mean()))
    return spans


def raw_detections(
    tagged: Tagged, params: ModelParams, head: SpanClassifier, threshold: float | None = None
) -> list[DetectedSpan]:
    """Technique spans of one tagged text, scored raw: mean "any" probability times the technique's probability
    times the tagger's mean probability of that technique over the span (the three agreeing rank right spans
    first: on the calibration part, 54 % of the 40 top spans are right, against 38 % without the last factor).

    Each span gets its likeliest technique, and every other one past the multi-label threshold.
    """
    spans = candidate_spans(tagged, params, threshold)
    tagger = params.calibrated(tagged.logits)[:, 1:]
    found = []
    for ((start, end), span_probability), p in zip(spans.items(), classify(tagged, list(spans), head), strict=True):
        first, last = piece_range(tagged.encoded.offsets, start, end)
        tagged_probability = tagger[first:last].mean(0)
        best = int(p.argmax())
        for k in [best, *(int(k) for k in np.flatnonzero(p >= params.multi_label_threshold) if k != best)]:
            score = span_probability * float(p[k]) * float(tagged_probability[k])
            found.append(DetectedSpan(start, end, params.techniques[k], score))
    return found


def detect(
    tagged: Tagged, params: ModelParams, head: SpanClassifier, threshold: float | None = None
) -> list[DetectedSpan]:
    """Technique spans of one tagged text, scored with the calibrated probability that span and technique are right."""
    return [
        s._replace(score=float(params.span_score(np.asarray(s.score))))
        for s in raw_detections(tagged, params, head, threshold)
    ]


class TechniqueModel:
    """The shipped ONNX model, its head, tokenizer and parameters, loaded once; runs many texts in one batch."""

    def __init__(self, directory: Path = MODEL_DIR, *, model_file: str = "model.onnx", threads: int = 2) -> None:
        from tokenizers import Tokenizer

        self.params = ModelParams.model_validate(json.loads((directory / "labels.json").read_text(encoding="utf-8")))
        self.head = SpanClassifier(
            TechniqueHead.load(directory / "head.npz"),
            LinearTextModel.load(directory / "lexical.json"),
            self.params.lexical_weight,
        )
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._run = onnx_runner(directory / model_file)
        self._streams = threads

    def tag(self, texts: Sequence[str], streams: int | None = None) -> list[Tagged]:
        """Word pieces, tagger logits and hidden states of each (already blinded) text (`streams`: runs at once, the
        model's `threads` when not given).

        Windows of all texts go through one session, but one window per run: the int8 model quantizes its
        activations with one scale per run, so a larger batch would make a text's scores depend on its
        batch mates (static quantization, which would not, measured 1.4x slower and less faithful to fp32),
        and one unpadded 128-piece window per run is as fast on CPU as a batch of them. Each run takes one
        thread and `threads` runs go at once: a window is too small to share out among threads (two threads on
        one window took more CPU than one, and no less time).
        """
        encoded = encode(self.tokenizer, texts)
        window, stride = self.params.window, self.params.stride
        outputs = token_outputs(
            encoded,
            self._run,
            window=window,
            stride=stride,
            batch_size=1,
            texts=texts,
            streams=streams or self._streams,
        )
        return tag(texts, encoded, outputs)

    def detect(self, texts: Sequence[str]) -> list[list[DetectedSpan]]:
        """Technique spans of each already blinded text (offsets into that text)."""
        return [detect(t, self.params, self.head) for t in self.tag(texts)]

    def find(self, texts: Sequence[str]) -> list[list[DetectedSpan]]:
        """Technique spans of each original text: blinded first, offsets mapped back."""
        blinded = [blind(t, names) for t, names in zip(texts, name_lexicons(texts), strict=True)]
        return [
            [s._replace(start=(o := b.span_in_original(s.start, s.end))[0], end=o[1]) for s in spans]
            for b, spans in zip(blinded, self.detect([b.text for b in blinded]), strict=True)
        ]

    def classify(self, text: str, spans: Sequence[tuple[int, int]]) -> list[str]:
        """The likeliest technique of each given character span of an original `text`.

        A span given k times (as a TC template lists a span with k techniques) gets its k likeliest techniques.
        """
        blinded = blind(text)
        distinct = sorted(set(spans))
        probabilities = classify(
            self.tag([blinded.text])[0], [blinded.span_in_blind(s, e) for s, e in distinct], self.head
        )
        ranked = {span: np.argsort(-p).tolist() for span, p in zip(distinct, probabilities, strict=True)}
        used: Counter[tuple[int, int]] = Counter()
        labels = []
        for span in spans:
            labels.append(self.params.techniques[ranked[span][used[span] % len(ranked[span])]])
            used[span] += 1
        return labels
