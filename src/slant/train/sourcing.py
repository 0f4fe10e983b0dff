"""Train the attribution head over the shared encoder pass on PolNeAR train, choose it on dev, export it.

    python -m slant.train.sourcing --data ../shared/data --out src/slant/models/sourcing --epochs 12 --minutes 14 \
        --o-bias 0.0 --threads 1

Each PolNeAR article goes through the pipeline's own shared layers (`slant.train.polnear.as_report`: the first
line the title, the rest the body; the shared parse, actor-blinding, the technique model's encoder pass,
`slant.encoder`), and the hidden states of its word pieces are cached under `--work` (keyed by the encoder's
fingerprint). The head reads those frozen states: a small bidirectional LSTM and a linear layer giving each
word piece 7 logits, O and B-/I- of Source, Cue and Content; it is trained on whole segments and on runs of
their lines (`chunks`). The epoch and the decoding parameters (O bias, cue and source distances) are chosen
on dev with distance grouping (the analyzer adds the parse's grammar; `--o-bias` fixes an O bias chosen with
it); the head is exported to ONNX (`head.onnx`, fp32: it is small) with `params.json`, which names the
encoder it was trained over.
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
from torch import nn

from slant.encoder import HIDDEN, fingerprint
from slant.sourcing_model import LABELS, ROLES, TaggerParams, group, tagged_spans
from slant.train import polnear


class Features(NamedTuple):
    """The encoder states of every word piece of a split's title and body segments, in text order.

    `segments` has one row per segment: article index, segment start, first and last piece (rows of `states`).
    `offsets` are the pieces' characters in the article (a stand-in's pieces cover the name it replaces).
    """

    states: np.ndarray  # (pieces, HIDDEN) float16
    offsets: np.ndarray  # (pieces, 2) int32
    segments: np.ndarray  # (segments, 4) int32


def extract(articles: Sequence[polnear.Article], threads: int = 1, batch: int = 8) -> Features:
    """Run the articles through the shared parse and encoder pass as the pipeline does, keeping each piece's state."""
    from slant.encoder import encode_documents, technique_model
    from slant.lexicons import actor_aliases
    from slant.parse import parse_documents

    model, names = technique_model(threads), actor_aliases()
    states, offsets, segments, at = [], [], [], 0
    for first in range(0, len(articles), batch):
        reports = [polnear.as_report(a) for a in articles[first : first + batch]]
        for i, encoded in enumerate(encode_documents(reports, parse_documents(reports, names), model), first):
            for start, segment in sorted(encoded.items()):
                n = len(segment.tagged.states)
                states.append(segment.tagged.states.astype(np.float16))
                offsets.append(segment.piece_offsets() + start)
                segments.append((i, start, at, at + n))
                at += n
        print(f"encoded {min(first + batch, len(articles))}/{len(articles)} articles", flush=True)
    return Features(
        np.concatenate(states),
        np.concatenate(offsets).astype(np.int32),
        np.asarray(segments, dtype=np.int32).reshape(-1, 4),
    )


def cached_features(articles: Sequence[polnear.Article], path: Path, threads: int) -> Features:
    """`extract`, cached in `path` (an .npz of plain arrays) for the shipped encoder and these articles."""
    key = np.array([fingerprint(), *(a.id for a in articles)])
    if path.exists():
        with np.load(path, allow_pickle=False) as cached:
            if np.array_equal(cached["key"], key):
                return Features(*(cached[name] for name in Features._fields))
    features = extract(articles, threads)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, key=key, **features._asdict())
    return features


def targets(offsets: np.ndarray, attributions: Sequence[polnear.Spans]) -> np.ndarray:
    """The BIO label of each piece (character `offsets`); a piece inside a source or cue keeps that role over an
    enclosing content."""
    labels = np.zeros(len(offsets), dtype=np.int64)
    starts, ends = offsets[:, 0], offsets[:, 1]
    for role in ("Content", "Cue", "Source"):  # later roles overwrite: inner spans win
        index = ROLES.index(role)
        for attribution in attributions:
            for start, end in getattr(attribution, role.lower()):
                inside = np.flatnonzero((starts < end) & (ends > start))
                if inside.size:
                    labels[inside] = 2 + 2 * index  # I-
                    labels[inside[0]] = 1 + 2 * index  # B-
    return labels


class Sequences(NamedTuple):
    """A split's segments as head inputs: states, piece offsets in the segment, labels, and where each came from."""

    states: list[np.ndarray]
    offsets: list[np.ndarray]
    labels: list[np.ndarray]
    origin: list[tuple[int, int]]  # (article index, segment start)
    lines: list[np.ndarray]  # the pieces that open a line


def sequences(articles: Sequence[polnear.Article], features: Features) -> Sequences:
    """One sequence per title or body segment that has word pieces."""
    out = Sequences([], [], [], [], [])
    for article, start, first, last in features.segments.tolist():
        if last > first:
            offsets = features.offsets[first:last].astype(np.int64)
            newlines = np.flatnonzero(np.frombuffer(articles[article].text.encode("utf-32-le"), "<u4") == ord("\n"))
            before = np.searchsorted(newlines, offsets[:, 0])
            out.states.append(features.states[first:last])
            out.offsets.append(offsets - start)
            out.labels.append(targets(offsets, articles[article].attributions))
            out.origin.append((article, start))
            out.lines.append(np.flatnonzero(before[1:] > np.searchsorted(newlines, offsets[:-1, 1])) + 1)
    return out


def chunks(data: Sequences, rng: random.Random, cut: float = 0.5) -> list[tuple[int, int, int]]:
    """(sequence, first, last) pieces to train on: each segment whole, or (one time in two) cut before each of its
    lines with probability `cut`, so the head also learns texts as short as a line."""
    found = []
    for i, (states, lines) in enumerate(zip(data.states, data.lines, strict=True)):
        cuts = [int(c) for c in lines if rng.random() < cut] if rng.random() < 0.5 else []
        bounds = [0, *cuts, len(states)]
        found += [(i, a, b) for a, b in itertools.pairwise(bounds)]
    return found


def predict(
    articles: Sequence[polnear.Article], data: Sequences, logits: Sequence[np.ndarray], params: TaggerParams
) -> list[tuple[str, list[polnear.Spans], list[polnear.Spans]]]:
    """(text, predicted, gold) of each article, ready for `polnear.score`; attributions grouped by distance alone."""
    found: list[list[polnear.Spans]] = [[] for _ in articles]
    for (i, start), offsets, x in zip(data.origin, data.offsets, logits, strict=True):
        report = polnear.as_report(articles[i])
        segment = next(s for s in report.segments if s.start == start)
        text = report.segment_text(segment)
        spans = tagged_spans(text, offsets, x, params.o_bias, params.source_bias)
        for a in group(text, spans, params):
            found[i].append(
                polnear.Spans(
                    tuple((s + start, e + start) for s, e in a.content),
                    ((a.cue[0] + start, a.cue[1] + start),) if a.cue else (),
                    ((a.source[0] + start, a.source[1] + start),) if a.source else (),
                )
            )
    return [(a.text, p, a.attributions) for a, p in zip(articles, found, strict=True)]


def build_head(hidden: int, recurrent: int) -> torch.nn.Module:
    """The head: a projection of the encoder states, a bidirectional LSTM over it (none when `recurrent` is 0),
    and a linear layer over both giving the 7 logits of each piece."""

    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.dropout = nn.Dropout(0.1)
            self.project = nn.Linear(HIDDEN, hidden)
            self.lstm = nn.LSTM(hidden, recurrent, batch_first=True, bidirectional=True) if recurrent else None
            self.out = nn.Linear(hidden + 2 * recurrent, len(LABELS))

        def forward(self, states: torch.Tensor) -> torch.Tensor:
            x = nn.functional.gelu(self.project(self.dropout(states)))
            if self.lstm is not None:
                x = torch.cat([x, self.lstm(x)[0]], dim=-1)
            logits: torch.Tensor = self.out(self.dropout(x))
            return logits

    return Head()


def run_head(model: torch.nn.Module, states: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The head's logits for each sequence, one at a time (as at runtime)."""
    model.eval()
    with torch.no_grad():
        return [model(torch.from_numpy(s.astype(np.float32))[None])[0].numpy() for s in states]


def train(
    train_data: Sequences,
    dev_articles: Sequence[polnear.Article],
    dev_data: Sequences,
    params: TaggerParams,
    *,
    hidden: int,
    recurrent: int,
    epochs: int,
    minutes: float,
    batch_size: int,
    lr: float,
    seed: int,
) -> torch.nn.Module:
    """Fit the head with cross-entropy over segments and runs of their lines (`chunks`, in batches of similar
    length); keep the epoch with the best dev content F1."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = build_head(hidden, recurrent)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * -(-len(chunks(train_data, random.Random(seed))) // batch_size)  # about: chunks vary
    started, best, best_state, step = time.time(), -1.0, model.state_dict(), 0
    for epoch in range(epochs):
        model.train()
        by_length = sorted(chunks(train_data, rng), key=lambda c: c[2] - c[1])
        batches = [by_length[i : i + batch_size] for i in range(0, len(by_length), batch_size)]
        for batch in rng.sample(batches, len(batches)):
            progress = max(step / steps, (time.time() - started) / (60 * minutes))
            if progress >= 1:
                break
            for group_ in optimizer.param_groups:
                group_["lr"] = lr * min((step + 1) / 50, 1 - progress)
            width = max(last - first for _, first, last in batch)
            states = torch.zeros((len(batch), width, HIDDEN))
            target = torch.full((len(batch), width), -100, dtype=torch.long)
            for row, (i, first, last) in enumerate(batch):
                n = last - first
                states[row, :n] = torch.from_numpy(train_data.states[i][first:last].astype(np.float32))
                target[row, :n] = torch.from_numpy(train_data.labels[i][first:last])
            logits = model(states)
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(LABELS)), target.reshape(-1), ignore_index=-100)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad()
            step += 1
        figures = polnear.score(predict(dev_articles, dev_data, run_head(model, dev_data.states), params))
        print(f"epoch {epoch + 1} loss {loss.item():.4f}: dev {figures} {time.time() - started:.0f}s", flush=True)
        if figures.f1 > best:
            best, best_state = figures.f1, {k: v.clone() for k, v in model.state_dict().items()}
        if max(step / steps, (time.time() - started) / (60 * minutes)) >= 1:
            break
    model.load_state_dict(best_state)
    model.eval()
    return model


def choose(
    articles: Sequence[polnear.Article],
    data: Sequences,
    logits: Sequence[np.ndarray],
    params: TaggerParams,
    o_biases: Sequence[float] = (-1.0, -0.5, 0.0, 0.5, 1.0),
) -> TaggerParams:
    """The decoding parameters with the best dev content F1 plus source accuracy among those with precision >= 0.80
    (else the best)."""
    results = []
    grid = itertools.product(o_biases, (150, 300, 600), (60, 150, 400))
    for o_bias, cue_distance, source_distance in grid:
        update = {"o_bias": o_bias, "max_cue_distance": cue_distance, "max_source_distance": source_distance}
        candidate = params.model_copy(update=update)
        figures = polnear.score(predict(articles, data, logits, candidate))
        results.append((figures.precision >= 0.80, figures.f1 + figures.source, candidate, figures))
    _, _, chosen, figures = max(results, key=lambda r: (r[0], r[1]))
    print(
        f"chosen o_bias {chosen.o_bias}, max cue distance {chosen.max_cue_distance}, max source distance"
        f" {chosen.max_source_distance}: dev {figures}",
        flush=True,
    )
    return chosen


def export(model: torch.nn.Module, path: Path) -> None:
    """Write the head as ONNX: input `states` (1, pieces, HIDDEN) float32, output `logits` (1, pieces, 7)."""
    model.eval()
    torch.onnx.export(
        model,
        (torch.zeros((1, 8, HIDDEN)),),
        str(path),
        input_names=["states"],
        output_names=["logits"],
        dynamic_axes={"states": {1: "pieces"}, "logits": {1: "pieces"}},
        opset_version=17,
        dynamo=False,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Extract (or load) the features, train the head, choose on dev, and export it to `--out`."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("src/slant/models/sourcing"))
    parser.add_argument("--work", type=Path, default=Path("build/sourcing"), help="cached encoder states")
    parser.add_argument("--hidden", type=int, default=128, help="size of the projected states")
    parser.add_argument("--recurrent", type=int, default=64, help="LSTM size per direction (0: none)")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--minutes", type=float, default=30.0, help="training time budget (wall clock)")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--o-bias", type=float, help="use this O bias (chosen on dev with the analyzer's grammar) instead of choosing"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    from slant.encoder import technique_model

    root = args.data / "polnear"
    articles = {split: polnear.read_split(root, split) for split in ("train", "dev")}
    data = {
        split: sequences(chosen, cached_features(chosen, args.work / f"features-{split}.npz", args.threads))
        for split, chosen in articles.items()
    }
    print(f"{len(data['train'].states)} training segments, {len(data['dev'].states)} dev", flush=True)
    params = TaggerParams(
        version=f"encoder-head-h{args.hidden}-lstm{args.recurrent}-polnear-{time.strftime('%Y%m%d')}",
        labels=list(LABELS),
        encoder_sha256=fingerprint(),
        encoder_version=technique_model(args.threads).params.version,
    )
    model = train(
        data["train"],
        articles["dev"],
        data["dev"],
        params,
        hidden=args.hidden,
        recurrent=args.recurrent,
        epochs=args.epochs,
        minutes=args.minutes,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    export(model, args.out / "head.onnx")
    from slant.sourcing_model import head_runner

    run = head_runner(args.out / "head.onnx", args.threads)
    logits = [run(s.astype(np.float32)) for s in data["dev"].states]
    biases = (-1.0, -0.5, 0.0, 0.5, 1.0) if args.o_bias is None else (args.o_bias,)
    params = choose(articles["dev"], data["dev"], logits, params, biases)
    (args.out / "params.json").write_text(json.dumps(params.model_dump(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
