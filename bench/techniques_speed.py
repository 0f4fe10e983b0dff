"""Speed of the technique analyzer (int8 ONNX) against the same model in PyTorch fp32, in one run.

    python bench/techniques_speed.py [--data ../shared/data] [--articles 41]

Runs `TechniquesAnalyzer` over the held-out PTC train articles (one batch of `AnalysisOptions.batch_size`
at a time; the shared spaCy parse it reads is computed beforehand and timed apart) and prints articles/s,
word pieces/s and the peak RSS with the model loaded; then runs the fp32 PyTorch checkpoint left by
training (`build/techniques/tagger.safetensors`, needs the train extra) through the same windows and
prints the speed ratio. The ONNX figures are taken before torch is imported.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from slant import ptc
from slant.analyzers import Layers, run_alone
from slant.analyzers.techniques import TechniquesAnalyzer
from slant.encoder import encode_documents
from slant.lexicons import actor_aliases
from slant.model import Report
from slant.options import AnalysisOptions
from slant.parse import parse_documents
from slant.techniques.model import encode, token_outputs

THREADS = 2  # the analyzer's onnxruntime threads; torch gets the same


def peak_rss_mb() -> float:
    """This process' peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=41)
    parser.add_argument("--checkpoint", type=Path, default=Path("build/techniques/tagger.safetensors"))
    args = parser.parse_args()
    folder = args.data / "ptc-semeval2020" / "train" / "train-articles"
    articles = [a for a in ptc.read_articles(folder) if ptc.split_of(a.id) == "heldout"][: args.articles]
    texts = [a.text for a in articles]

    options = AnalysisOptions()
    analyzer = TechniquesAnalyzer(options)
    pieces = sum(len(e.ids) for e in encode(analyzer.model.tokenizer, texts))
    run_alone(analyzer, [Report(text=texts[0])])  # warm-up
    batches = [
        [Report(text=t) for t in texts[first : first + options.batch_size]]
        for first in range(0, len(texts), options.batch_size)
    ]
    started = time.perf_counter()
    parses = [parse_documents(batch, actor_aliases()) for batch in batches]
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for batch, batch_parses in zip(batches, parses, strict=True):
        analyzer.analyze(batch, Layers(batch_parses, encode_documents(batch, batch_parses, analyzer.model)))
    onnx_seconds = time.perf_counter() - started
    print(f"{len(texts)} held-out PTC articles, {pieces} word pieces, {THREADS} threads")
    print(f"shared spaCy parse (computed once for all analyzers): {len(texts) / parse_seconds:.1f} articles/s")
    print(
        f"onnx int8 analyzer: {len(texts) / onnx_seconds:.1f} articles/s, {pieces / onnx_seconds:.0f} pieces/s, "
        f"peak RSS {peak_rss_mb():.0f} MB"
    )

    if not args.checkpoint.exists():
        print(f"no {args.checkpoint}: run the training command (MODEL_CARD.md) for the PyTorch comparison")
        return
    import torch
    from safetensors.torch import load_file

    from slant.train.techniques import Tagger, torch_runner

    torch.set_num_threads(THREADS)
    model = Tagger()
    model.load_state_dict(load_file(str(args.checkpoint)))
    model.eval()
    params = analyzer.model.params
    started = time.perf_counter()
    encoded = encode(analyzer.model.tokenizer, texts)
    token_outputs(encoded, torch_runner(model), window=params.window, stride=params.stride)  # type: ignore[arg-type]
    torch_seconds = time.perf_counter() - started
    print(f"pytorch fp32 model: {len(texts) / torch_seconds:.1f} articles/s, {pieces / torch_seconds:.0f} pieces/s")
    print(f"speed-up of the shipped analyzer over pytorch fp32: {torch_seconds / onnx_seconds:.2f}x")


if __name__ == "__main__":
    main()
