"""Comment stance: RumourEval 2017 + 2019 replies and the written comments, and the model trained on them.

    python -m slant.train.stance --data ../shared/data --out src/slant/models/stance

Each example is a comment and the context it answers, read as a sentence pair: for RumourEval the source
post (the rumour), followed by the parent post when the reply answers another reply; for the written
comments (`bench/data/stance/comments.jsonl`) the article title. Labels are the model's outputs
(`slant.stance_model.STANCES`); a RumourEval "comment" either adds information or is off topic, so it is
trained as "one of the two" (the log of their summed probabilities). The model is MiniLM-L6
(all-MiniLM-L6-v2 weights), mean-pooled, with one linear layer, fine-tuned on RumourEval train replies plus
the written train comments; support, deny and query weigh sqrt(comments / their count). The readers need
only the standard library (`bench/stance.py` uses them); training needs the `train` extra.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from torch import nn

from slant.stance_model import STANCES, HeadParams, StanceModel, write_params
from slant.train.techniques import HIDDEN, Embeddings, Encoder, base_model_path, build_tokenizer

RUMOUREVAL = Path("rumoureval") / "rumoureval_train_dev.jsonl"
WRITTEN = Path(__file__).resolve().parents[3] / "bench" / "data" / "stance" / "comments.jsonl"
#: RumourEval label -> the stance outputs it allows.
RUMOUREVAL_OUTPUTS = {
    "support": ("support",),
    "deny": ("deny",),
    "query": ("query",),
    "comment": ("adds_information", "off_topic"),
}
#: slant's written label -> the stance output it is.
WRITTEN_OUTPUTS = {
    "supports": ("support",),
    "disputes": ("deny",),
    "adds_information": ("adds_information",),
    "off_topic": ("off_topic",),
}


class Comment(NamedTuple):
    """A comment, what it answers, its gold label (as in its data set), split and origin."""

    text: str
    context: str | None
    label: str
    split: str
    origin: str


def read_rumoureval(data: Path) -> list[Comment]:
    """RumourEval train and dev replies (source posts, which are not replies, are left out)."""
    comments = []
    for line in (data / RUMOUREVAL).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["is_source"]:
            continue
        context = row["source_text"]
        if row["parent_id"] != row["thread_id"] and row["parent_text"]:
            context += "\n" + row["parent_text"]
        comments.append(Comment(row["reply_text"], context, row["label"], row["split"], row["platform"]))
    return comments


def read_written(path: Path = WRITTEN) -> list[Comment]:
    """The written comments (`split` train or test), with the article title as context when known."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Comment(r["text"], r.get("title"), r["label"], r["split"], "written") for r in rows]


class StanceNet(nn.Module):
    """MiniLM encoder, mean pooling over the attention mask, and one linear layer giving the stance logits."""

    def __init__(self) -> None:
        super().__init__()
        self.embeddings = Embeddings()
        self.encoder = Encoder()
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(HIDDEN, len(STANCES))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.dropout(self.embeddings(input_ids))
        mask = attention_mask.to(x.dtype)
        x = self.encoder(x, (1.0 - mask[:, None, None, :]) * -1e4)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1.0)
        return self.head(self.dropout(pooled))


class Example(NamedTuple):
    """Word pieces of one (comment, context) pair and the stance outputs its label allows."""

    ids: list[int]
    allowed: tuple[bool, ...]


def examples_of(comments: Sequence[Comment], tokenizer: Tokenizer) -> list[Example]:
    """Encode (comment, context) pairs and their allowed outputs."""
    allowed = {**RUMOUREVAL_OUTPUTS, **WRITTEN_OUTPUTS}
    pairs = [(c.text, c.context) if c.context else c.text for c in comments]
    return [
        Example(e.ids, tuple(s in allowed[c.label] for s in STANCES))
        for e, c in zip(tokenizer.encode_batch(pairs), comments, strict=True)
    ]


def batches(examples: Sequence[Example], batch_size: int, rng: random.Random) -> list[list[Example]]:
    """One epoch of batches of similar length (sorted within chunks of 64 batches), in random order."""
    shuffled = rng.sample(list(examples), len(examples))
    chunk = 64 * batch_size
    out = []
    for first in range(0, len(shuffled), chunk):
        part = sorted(shuffled[first : first + chunk], key=lambda e: len(e.ids))
        out += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    return rng.sample(out, len(out))


def class_weights(examples: Sequence[Example]) -> torch.Tensor:
    """support, deny and query weigh sqrt(examples allowing several outputs / their count); the others 1."""
    several = sum(sum(e.allowed) > 1 for e in examples)
    counts = np.array([sum(e.allowed[k] and sum(e.allowed) == 1 for e in examples) for k in range(len(STANCES))])
    rare = np.array([s in ("support", "deny", "query") for s in STANCES])
    return torch.tensor(np.where(rare, np.sqrt(several / np.maximum(counts, 1)), 1.0), dtype=torch.float32)


def loss_of(logits: torch.Tensor, batch: Sequence[Example], weights: torch.Tensor) -> torch.Tensor:
    """Weighted negative log of the summed probability of each example's allowed outputs."""
    allowed = torch.tensor([e.allowed for e in batch])
    log_p = torch.log_softmax(logits, dim=1)
    picked = torch.logsumexp(log_p.masked_fill(~allowed, -1e4), dim=1)
    return -(picked * (allowed.float() * weights).max(1).values).mean()


def train(
    examples: Sequence[Example], *, minutes: float, epochs: float, batch_size: int, lr: float, seed: int
) -> StanceNet:
    """Fine-tune encoder and head; the learning rate warms up, then decays with the larger of step and
    time progress, so a run on busy shared cores still ends, fully decayed, within `minutes`."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = StanceNet()
    missing, _ = model.load_state_dict(load_file(str(base_model_path())), strict=False)
    assert set(missing) == {"head.weight", "head.bias"}, missing
    model.embeddings.word_embeddings.weight.requires_grad_(False)
    weights = class_weights(examples)
    print(f"{len(examples)} examples, class weights {weights.tolist()}", flush=True)
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
        loss = loss_of(model(ids, mask), batch, weights)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        if step % 25 == 0:
            print(f"step {step + 1}/{steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
    epochs_done = (step + 1) * batch_size / len(examples)
    print(f"trained {step + 1} steps ({epochs_done:.2f} epochs) in {time.time() - started:.0f}s", flush=True)
    model.eval()
    return model


def main(argv: Sequence[str] | None = None) -> None:
    """Train on the train splits, export int8 ONNX with its tokenizer and parameters to `--out`."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/stance"))
    parser.add_argument("--work", type=Path, default=Path("build/stance"), help="checkpoint and fp32 ONNX")
    parser.add_argument("--minutes", type=float, default=30.0, help="training time budget (wall clock)")
    parser.add_argument("--epochs", type=float, default=4.0)
    parser.add_argument("--max-tokens", type=int, default=96, help="word pieces per pair, [CLS] and [SEP]s included")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    from slant.train.export import export

    tokenizer = build_tokenizer()
    tokenizer.enable_truncation(args.max_tokens)
    comments = [c for c in read_rumoureval(args.data) + read_written() if c.split == "train"]
    model = train(
        examples_of(comments, tokenizer),
        minutes=args.minutes,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
    )
    args.work.mkdir(parents=True, exist_ok=True)
    save_file(model.state_dict(), str(args.work / "model.safetensors"))
    args.out.mkdir(parents=True, exist_ok=True)
    export(model, args.work / "model.fp32.onnx", args.out / "model.onnx")
    tokenizer.save(str(args.out / "tokenizer.json"))
    version = f"minilm-l6-stance-{time.strftime('%Y%m%d')}"
    write_params(args.out, HeadParams(version=version, outputs=list(STANCES), max_tokens=args.max_tokens))
    dev = [c for c in read_rumoureval(args.data) if c.split == "dev"]
    predicted = StanceModel(args.out, threads=args.threads).stances([c.text for c in dev], [c.context for c in dev])
    hits = [e.allowed[i] for e, i in zip(examples_of(dev, tokenizer), predicted.argmax(1), strict=True)]
    print(f"wrote {args.out}; RumourEval dev accuracy {np.mean(hits):.3f} (comment: either of its two outputs)")


if __name__ == "__main__":
    main()
