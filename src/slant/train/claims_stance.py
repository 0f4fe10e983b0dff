"""Train the shared claims + stance sentence model and write the shipped files, end to end.

    python -m slant.train.claims_stance --data ../shared/data --out src/slant/models/claims_stance

One MiniLM-L6 encoder (all-MiniLM-L6-v2 weights), mean-pooled, with one linear layer giving every output of
`slant.claims_stance_model.OUTPUTS`, fine-tuned multi-task: check-worthiness on CheckThat! 2024 train
(ClaimBuster-derived), the CT19 scheme on the CT19 debates outside `HELD_OUT_DEBATES` (a sentence in both
sets is one example with both labels), and stance on RumourEval train replies plus the written train
comments, each read as a pair (comment, what it answers). A RumourEval "comment" is trained as "adds
information or off topic" (the log of their summed probabilities). The check-worthiness threshold is chosen
on CT24 dev with the int8 model that ships.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from slant.claims_stance_model import (
    CHECKWORTHY,
    CHECKWORTHY_CT19,
    OUTPUTS,
    STANCES,
    ClaimsStanceModel,
    HeadParams,
    write_params,
)
from slant.train import claims, stance
from slant.train.techniques import HIDDEN, Embeddings, Encoder, base_model_path, build_tokenizer

N_CHECK = len(OUTPUTS) - len(STANCES)


class SentenceHeads(nn.Module):
    """MiniLM encoder, mean pooling over the attention mask, and one linear layer for all outputs."""

    def __init__(self) -> None:
        super().__init__()
        self.embeddings = Embeddings()
        self.encoder = Encoder()
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(HIDDEN, len(OUTPUTS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.dropout(self.embeddings(input_ids))
        mask = attention_mask.to(x.dtype)
        x = self.encoder(x, (1.0 - mask[:, None, None, :]) * -1e4)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
        return self.head(self.dropout(pooled))


class Example(NamedTuple):
    """Word pieces of one input and its targets: NaN where a check-worthiness label is unknown, and the
    allowed stance outputs (all False when it is not a comment)."""

    ids: list[int]
    checkworthy: tuple[float, float]
    stances: tuple[bool, ...]


def training_examples(data: Path, tokenizer: object) -> list[Example]:
    """CT24 train + CT19 training debates (held-out ones excluded) + RumourEval train + written train."""
    held_out = {claims.normalize(s.text) for d in claims.HELD_OUT_DEBATES for s in claims.read_ct19(data)[d]}
    evaluated = held_out | {claims.normalize(s.text) for split in ("dev", "dev-test") for s in claims.read_ct24(data, split)}
    sentences: dict[str, tuple[str, list[float]]] = {}
    for s in claims.read_ct24(data, "train"):
        key = claims.normalize(s.text)
        if key and key not in evaluated:
            sentences.setdefault(key, (s.text, [float(s.checkworthy), float("nan")]))
    for debate, lines in claims.read_ct19(data).items():
        if debate in claims.HELD_OUT_DEBATES:
            continue
        for s in lines:
            key = claims.normalize(s.text)
            if key and key not in evaluated:
                sentences.setdefault(key, (s.text, [float("nan"), float("nan")]))[1][1] = float(s.checkworthy)
    no_stance = (False,) * len(STANCES)
    texts = [text for text, _ in sentences.values()]
    examples = [
        Example(e.ids, (labels[0], labels[1]), no_stance)
        for e, (_, labels) in zip(tokenizer.encode_batch(texts), sentences.values(), strict=True)  # type: ignore[attr-defined]
    ]
    comments = [c for c in stance.read_rumoureval(data) + stance.read_written() if c.split == "train"]
    allowed = {**stance.RUMOUREVAL_OUTPUTS, **stance.WRITTEN_OUTPUTS}
    pairs = [(c.text, c.context) if c.context else c.text for c in comments]
    examples += [
        Example(e.ids, (float("nan"), float("nan")), tuple(s in allowed[c.label] for s in STANCES))
        for e, c in zip(tokenizer.encode_batch(pairs), comments, strict=True)  # type: ignore[attr-defined]
    ]
    return examples


def batches(examples: Sequence[Example], batch_size: int, rng: random.Random) -> list[list[Example]]:
    """One epoch of batches of similar length (sorted within chunks of 64 batches), in random order."""
    shuffled = rng.sample(list(examples), len(examples))
    chunk = 64 * batch_size
    out = []
    for first in range(0, len(shuffled), chunk):
        part = sorted(shuffled[first : first + chunk], key=lambda e: len(e.ids))
        out += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    return rng.sample(out, len(out))


def loss_of(logits: torch.Tensor, batch: Sequence[Example], stance_weights: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy on known check-worthiness labels plus weighted stance log-likelihood, where
    a comment allowing several outputs is scored by their summed probability."""
    check = torch.tensor([e.checkworthy for e in batch])
    known = ~torch.isnan(check)
    total = nn.functional.binary_cross_entropy_with_logits(
        logits[:, :N_CHECK][known], check[known], reduction="sum"
    )
    allowed = torch.tensor([e.stances for e in batch])
    is_comment = allowed.any(1)
    if is_comment.any():
        log_p = torch.log_softmax(logits[is_comment, N_CHECK:], dim=1)
        picked = torch.logsumexp(log_p.masked_fill(~allowed[is_comment], -1e4), dim=1)
        weight = (allowed[is_comment].float() * stance_weights).max(1).values
        total = total - (picked * weight).sum()
    return total / len(batch)


def train(examples: Sequence[Example], *, minutes: float, epochs: float, batch_size: int, lr: float, seed: int) -> SentenceHeads:
    """Fine-tune encoder and head; the learning rate warms up, then decays with the larger of step and
    time progress, so a run on busy shared cores still ends, fully decayed, within `minutes`."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SentenceHeads()
    missing, _ = model.load_state_dict(load_file(str(base_model_path())), strict=False)
    assert set(missing) == {"head.weight", "head.bias"}, missing
    model.embeddings.word_embeddings.weight.requires_grad_(False)
    # support, deny and query weigh sqrt(RumourEval comments / their count); adding information and off topic 1
    comments = sum(sum(e.stances) > 1 for e in examples)
    counts = np.array([sum(e.stances[k] and sum(e.stances) == 1 for e in examples) for k in range(len(STANCES))])
    rare = np.array([s in ("support", "deny", "query") for s in STANCES])
    stance_weights = torch.tensor(np.where(rare, np.sqrt(comments / np.maximum(counts, 1)), 1.0), dtype=torch.float32)
    print(f"stance examples {counts.tolist()} + {comments} comments, weights {stance_weights.tolist()}", flush=True)
    head = list(model.head.parameters())
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    optimizer = torch.optim.AdamW([{"params": body, "lr": lr}, {"params": head, "lr": lr * 10}], weight_decay=0.01)
    rates = [g["lr"] for g in optimizer.param_groups]
    steps = int(epochs * len(examples) / batch_size)
    warmup = max(1, steps // 20)
    model.train()
    started, queue, step = time.time(), list[list[Example]](), 0
    for step in range(steps):
        progress = max(step / steps, (time.time() - started) / (60 * minutes))
        if progress >= 1:
            break
        for group, rate in zip(optimizer.param_groups, rates, strict=True):
            group["lr"] = rate * min((step + 1) / warmup, 1 - progress)
        if not queue:
            queue = batches(examples, batch_size, rng)
        batch = queue.pop()
        width = max(len(e.ids) for e in batch)
        ids = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, e in enumerate(batch):
            ids[row, : len(e.ids)] = torch.tensor(e.ids)
            mask[row, : len(e.ids)] = 1
        loss = loss_of(model(ids, mask), batch, stance_weights)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        if step % 25 == 0:
            print(f"step {step + 1}/{steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
    print(f"trained {step + 1} steps ({(step + 1) * batch_size / len(examples):.2f} epochs) in {time.time() - started:.0f}s")
    model.eval()
    return model


def best_threshold(probabilities: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """The threshold with the best F1 of the positive class, and that F1."""
    best = (0.5, 0.0)
    for threshold in np.round(np.arange(0.05, 0.96, 0.01), 2):
        predicted = probabilities >= threshold
        tp = float((predicted & gold).sum())
        f1 = 2 * tp / max(1.0, float(predicted.sum() + gold.sum()))
        best = max(best, (float(threshold), f1), key=lambda pair: pair[1])
    return best


def main(argv: Sequence[str] | None = None) -> None:
    """Train, export int8 ONNX, choose the threshold on CT24 dev, and write the model folder."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/claims_stance"))
    parser.add_argument("--work", type=Path, default=Path("build/claims_stance"), help="checkpoint and fp32 ONNX")
    parser.add_argument("--minutes", type=float, default=40.0, help="training time budget (wall clock)")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--max-tokens", type=int, default=96, help="word pieces per input, [CLS] and [SEP]s included")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--checkpoint", type=Path, help="skip training: export this checkpoint")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    from slant.train.export import export

    tokenizer = build_tokenizer()
    tokenizer.enable_truncation(args.max_tokens)
    if args.checkpoint:
        model = SentenceHeads()
        model.load_state_dict(load_file(str(args.checkpoint)))
        model.eval()
    else:
        examples = training_examples(args.data, tokenizer)
        print(f"{len(examples)} training examples", flush=True)
        model = train(
            examples, minutes=args.minutes, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed
        )
        args.work.mkdir(parents=True, exist_ok=True)
        save_file(model.state_dict(), str(args.work / "model.safetensors"))
    args.out.mkdir(parents=True, exist_ok=True)
    export(model, args.work / "model.fp32.onnx", args.out / "model.onnx")
    tokenizer.save(str(args.out / "tokenizer.json"))
    version = f"minilm-l6-claims-stance-{time.strftime('%Y%m%d')}"
    write_params(args.out, HeadParams(version=version, outputs=list(OUTPUTS), max_tokens=args.max_tokens,
                                      checkworthy_threshold=0.5))
    dev = claims.read_ct24(args.data, "dev")
    runtime = ClaimsStanceModel(args.out, threads=args.threads)
    probabilities = runtime.checkworthiness([s.text for s in dev])
    threshold, f1 = best_threshold(probabilities, np.array([s.checkworthy for s in dev]))
    print(f"CT24 dev: threshold {threshold:.2f}, F1 {f1:.4f} (int8)")
    write_params(args.out, HeadParams(version=version, outputs=list(OUTPUTS), max_tokens=args.max_tokens,
                                      checkworthy_threshold=threshold))
    print(f"wrote {args.out} (outputs {OUTPUTS}, CT19 output index {CHECKWORTHY_CT19}, CT24 {CHECKWORTHY})")


if __name__ == "__main__":
    main()
