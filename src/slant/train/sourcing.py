"""Train the attribution tagger on PolNeAR train, choose epochs and decoding on dev, export the shipped model.

    python -m slant.train.sourcing --data ../shared/data --out src/slant/models/sourcing

The first `--layers` layers of MiniLM-L6 (all-MiniLM-L6-v2 weights, the plain torch encoder of
`slant.train.techniques`) with a 7-way softmax head per word piece: O and B-/I- of Source, Cue, Content.
Windows of `--window` pieces over whole articles. After each epoch the tagger is scored on dev (content F1 at
overlap >= 0.5) and the best epoch is kept; the decoding parameters (O bias, cue distance) are then chosen on
dev with the int8 model that ships.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn

from slant.sourcing_model import LABELS, ROLES, TaggerParams, group, tagged_spans
from slant.techniques.model import CLS_ID, PAD_ID, SEP_ID, Encoded, WindowRunner, encode, onnx_runner, token_outputs
from slant.train import polnear
from slant.train.techniques import HIDDEN, Embeddings, Encoder, base_model_path, build_tokenizer, torch_runner


class SourcingTagger(nn.Module):
    """The first `layers` MiniLM layers and a linear head with one logit per BIO label and word piece."""

    def __init__(self, layers: int) -> None:
        super().__init__()
        self.embeddings = Embeddings()
        self.encoder = Encoder()
        self.encoder.layer = self.encoder.layer[:layers]
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(HIDDEN, len(LABELS))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.dropout(self.embeddings(input_ids))
        mask_bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e4
        logits: torch.Tensor = self.head(self.dropout(self.encoder(x, mask_bias)))
        return logits


class Example(NamedTuple):
    """An article, its word pieces and one BIO label index per piece."""

    article: polnear.Article
    encoded: Encoded
    targets: np.ndarray


def targets(encoded: Encoded, attributions: Sequence[polnear.Spans]) -> np.ndarray:
    """The label of each piece; a piece inside a source or cue keeps that role over an enclosing content."""
    labels = np.zeros(len(encoded.ids), dtype=np.int64)
    starts, ends = encoded.offsets[:, 0], encoded.offsets[:, 1]
    for role in ("Content", "Cue", "Source"):  # later roles overwrite: inner spans win
        index = ROLES.index(role)
        for attribution in attributions:
            for start, end in getattr(attribution, role.lower()):
                inside = np.flatnonzero((starts < end) & (ends > start))
                if inside.size:
                    labels[inside] = 2 + 2 * index  # I-
                    labels[inside[0]] = 1 + 2 * index  # B-
    return labels


def examples(articles: Sequence[polnear.Article], tokenizer: object) -> list[Example]:
    """Encode articles and label their pieces."""
    encoded = encode(tokenizer, [a.text for a in articles])
    return [Example(a, e, targets(e, a.attributions)) for a, e in zip(articles, encoded, strict=True)]


def predict(
    data: Sequence[Example], logits: Sequence[np.ndarray], params: TaggerParams
) -> list[tuple[str, list[polnear.Spans], list[polnear.Spans]]]:
    """(text, predicted, gold) of each article, ready for `polnear.score`."""
    runs = []
    for example, x in zip(data, logits, strict=True):
        text = example.article.text
        found = group(text, tagged_spans(text, example.encoded, x, params.o_bias, params.source_bias), params)
        predicted = [
            polnear.Spans(a.content, (a.cue,) if a.cue else (), (a.source,) if a.source else ()) for a in found
        ]
        runs.append((text, predicted, example.article.attributions))
    return runs


def dev_logits(data: Sequence[Example], run: WindowRunner, params: TaggerParams) -> list[np.ndarray]:
    return token_outputs([e.encoded for e in data], run, window=params.window, stride=params.stride, batch_size=1)


def train(
    data: Sequence[Example],
    dev: Sequence[Example],
    params: TaggerParams,
    *,
    layers: int,
    epochs: int,
    minutes: float,
    batch_size: int,
    lr: float,
    seed: int,
) -> SourcingTagger:
    """Fine-tune with cross-entropy over windows; keep the epoch with the best dev content F1.

    The learning rate warms up, then decays linearly with the larger of steps done / planned and time
    spent / `minutes`, so the run ends in time on busy cores.
    """
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SourcingTagger(layers)
    state = {k: v for k, v in load_file(str(base_model_path())).items() if k in model.state_dict()}
    missing, _ = model.load_state_dict(state, strict=False)
    assert set(missing) == {"head.weight", "head.bias"}, missing
    model.embeddings.word_embeddings.weight.requires_grad_(False)
    from slant.techniques.spans import windows

    jobs = [(e, r) for e in data for r in windows(len(e.encoded.ids), params.window, params.window * 3 // 4)]
    per_epoch = max(1, len(jobs) // batch_size)
    steps = epochs * per_epoch
    head = list(model.head.parameters())
    body = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head.")]
    optimizer = torch.optim.AdamW([{"params": body, "lr": lr}, {"params": head, "lr": lr * 10}], weight_decay=0.01)
    rates = [group["lr"] for group in optimizer.param_groups]
    warmup = max(1, steps // 20)
    started, best, best_state = time.time(), -1.0, model.state_dict()
    step = 0
    for epoch in range(epochs):
        model.train()
        order = rng.sample(jobs, len(jobs))
        for first in range(0, per_epoch * batch_size, batch_size):
            progress = max(step / steps, (time.time() - started) / (60 * minutes))
            if progress >= 1:
                break
            for group_, rate in zip(optimizer.param_groups, rates, strict=True):
                group_["lr"] = rate * min((step + 1) / warmup, 1 - progress)
            batch = order[first : first + batch_size]
            width = max(end - start for _, (start, end) in batch) + 2
            ids = torch.full((len(batch), width), PAD_ID, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            target = torch.full((len(batch), width), -100, dtype=torch.long)
            for row, (example, (start, end)) in enumerate(batch):
                n = end - start
                ids[row, : n + 2] = torch.tensor([CLS_ID, *example.encoded.ids[start:end], SEP_ID])
                mask[row, : n + 2] = 1
                target[row, 1 : n + 1] = torch.from_numpy(example.targets[start:end])
            logits = model(ids, mask)
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(LABELS)), target.reshape(-1), ignore_index=-100)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad()
            step += 1
            if step % 50 == 0:
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f} {time.time() - started:.0f}s",
                    flush=True,
                )
        model.eval()
        figures = polnear.score(predict(dev, dev_logits(dev, torch_runner(model), params), params))
        print(f"epoch {epoch + 1}: dev {figures} {time.time() - started:.0f}s", flush=True)
        if figures.f1 > best:
            best, best_state = figures.f1, {k: v.clone() for k, v in model.state_dict().items()}
        if (time.time() - started) / (60 * minutes) >= 1:
            break
    model.load_state_dict(best_state)
    model.eval()
    return model


def choose(dev: Sequence[Example], logits: Sequence[np.ndarray], params: TaggerParams) -> TaggerParams:
    """The decoding parameters with the best dev content F1 plus source accuracy among those with precision >= 0.80
    (else the best)."""
    results = []
    grid = itertools.product((-1.0, -0.5, 0.0, 0.5, 1.0), (150, 300, 600), (60, 150, 400))
    for o_bias, cue_distance, source_distance in grid:
        update = {"o_bias": o_bias, "max_cue_distance": cue_distance, "max_source_distance": source_distance}
        candidate = params.model_copy(update=update)
        figures = polnear.score(predict(dev, logits, candidate))
        results.append((figures.precision >= 0.80, figures.f1 + figures.source, candidate, figures))
    _, _, chosen, figures = max(results, key=lambda r: (r[0], r[1]))
    print(
        f"chosen o_bias {chosen.o_bias}, max cue distance {chosen.max_cue_distance}, max source distance"
        f" {chosen.max_source_distance}: dev {figures}",
        flush=True,
    )
    return chosen


def main(argv: Sequence[str] | None = None) -> None:
    """Train, choose on dev, and export the model to `--out`."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/sourcing"))
    parser.add_argument("--work", type=Path, default=Path("build/sourcing"), help="checkpoint and fp32 ONNX")
    parser.add_argument("--layers", type=int, default=4, help="MiniLM layers kept (of 6)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=40.0, help="training time budget (wall clock)")
    parser.add_argument("--window", type=int, default=254, help="word pieces per window (plus [CLS] and [SEP])")
    parser.add_argument("--stride", type=int, default=224, help="inference window stride")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=0, help="this many articles per split only (smoke tests)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--checkpoint", type=Path, help="skip training: choose and export this tagger")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    from slant.train.export import export

    tokenizer = build_tokenizer()
    root = args.data / "polnear"
    train_articles, dev_articles = polnear.read_split(root, "train"), polnear.read_split(root, "dev")
    if args.limit:
        train_articles, dev_articles = train_articles[: args.limit], dev_articles[: max(2, args.limit // 4)]
    print(f"{len(train_articles)} training articles, {len(dev_articles)} dev", flush=True)
    train_data, dev_data = examples(train_articles, tokenizer), examples(dev_articles, tokenizer)
    params = TaggerParams(
        version=f"minilm-l{args.layers}-polnear-{time.strftime('%Y%m%d')}",
        labels=list(LABELS),
        window=args.window,
        stride=args.stride,
    )
    if args.checkpoint:
        model = SourcingTagger(args.layers)
        model.load_state_dict(load_file(str(args.checkpoint)))
        model.eval()
    else:
        model = train(
            train_data,
            dev_data,
            params,
            layers=args.layers,
            epochs=args.epochs,
            minutes=args.minutes,
            batch_size=args.batch_size,
            lr=args.lr,
            seed=args.seed,
        )
        args.work.mkdir(parents=True, exist_ok=True)
        save_file(model.state_dict(), str(args.work / "tagger.safetensors"))
    args.out.mkdir(parents=True, exist_ok=True)
    export(model, args.work / "model.fp32.onnx", args.out / "model.onnx")
    # choose on what ships: the int8 model
    runner = onnx_runner(args.out / "model.onnx", args.threads, outputs=("logits",))
    params = choose(dev_data, dev_logits(dev_data, runner, params), params)
    (args.out / "params.json").write_text(json.dumps(params.model_dump(), indent=1) + "\n", encoding="utf-8")
    tokenizer.save(str(args.out / "tokenizer.json"))
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
