"""Framing, claims and comments: time per article, and claim P/R/F1 on the invented gold set, against baselines.

Run: python bench/framing_claims.py [--repeat 3] [--errors]

Speed: the demo page and the 20 gold articles, repeated, analyzed in batches of 16, one process (the
machine's cores as they are). The baseline is the shared layers of a batch (`layers_for`: the spaCy parse and,
as claims reads it, the technique model's encoder pass), which the pipeline computes once for every analyzer;
each analyzer's time is what it adds on top of them.

Claims: a predicted claim matches a gold claim (bench/data/claims/*.txt, `[[...]]` marks) when they overlap
by at least half of the shorter span, one-to-one. The baseline marks every sentence with a digit or a
number word, the usual first cut at check-worthiness.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Sequence
from importlib.resources import files
from pathlib import Path

from slant.analyzers import layers_for, load, run_alone
from slant.ingest import document_from_text
from slant.ingest.sentences import split_sentences
from slant.lexicons import actor_aliases
from slant.model import ARTICLE_KINDS, Report, Segment, SegmentKind
from slant.options import AnalysisOptions

GOLD = Path(__file__).parent / "data" / "claims"
MARK = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
NUMBER = re.compile(
    r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?|billions?|half|twice)\b",
    re.IGNORECASE,
)
Spans = list[tuple[int, int]]
BASELINE = "baseline (sentence with a number)"


def read_gold(folder: Path = GOLD) -> list[tuple[Report, Spans]]:
    """Each gold article as a report (first line title, rest body) with its marked claim spans."""
    articles = []
    for path in sorted(folder.glob("*.txt")):
        marked = path.read_text(encoding="utf-8")
        text, spans, last = "", [], 0
        for m in MARK.finditer(marked):
            text += marked[last : m.start()]
            spans.append((len(text), len(text) + len(m.group(1))))
            text += m.group(1)
            last = m.end()
        text += marked[last:]
        title_end = text.index("\n")
        segments = (
            Segment(kind=SegmentKind.TITLE, start=0, end=title_end),
            Segment(kind=SegmentKind.BODY, start=title_end + 1, end=len(text.rstrip())),
        )
        articles.append((Report(text=text, segments=segments), spans))
    return articles


def sentences(report: Report, kinds: Sequence[SegmentKind]) -> Spans:
    return [span for s in report.segments_of(*kinds) for span in split_sentences(report.text, s.start, s.end)]


def number_baseline(report: Report) -> Spans:
    """Every sentence of the title and body with a digit or a number word."""
    return [(a, b) for a, b in sentences(report, ARTICLE_KINDS) if NUMBER.search(report.text[a:b])]


def matched(predicted: Spans, gold: Spans) -> int:
    """One-to-one matches overlapping by at least half of the shorter span, best overlaps first."""
    candidates = []
    for i, (ps, pe) in enumerate(predicted):
        for j, (gs, ge) in enumerate(gold):
            shorter = min(pe - ps, ge - gs)
            overlap = min(pe, ge) - max(ps, gs)
            if shorter > 0 and overlap / shorter >= 0.5:
                candidates.append((overlap / shorter, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in sorted(candidates, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def prf(pairs: Sequence[tuple[Spans, Spans]]) -> tuple[float, float, float]:
    hits = sum(matched(p, g) for p, g in pairs)
    n_pred, n_gold = sum(len(p) for p, _ in pairs), sum(len(g) for _, g in pairs)
    precision, recall = hits / max(n_pred, 1), hits / max(n_gold, 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def evaluate_claims(gold: list[tuple[Report, Spans]], show_errors: bool) -> None:
    """P/R/F1 of slant's claims and of the baseline, on the dev half (01-10, whose errors were studied),
    the test half (11-20, never studied) and all."""
    claims = load("claims", AnalysisOptions())
    reports = run_alone(claims, [report for report, _ in gold])
    systems: dict[str, Callable[[Report], Spans]] = {
        BASELINE: number_baseline,
        "slant claims": lambda r: [(f.start, f.end) for f in r.findings_of("claims")],
    }
    print(f"claims: {len(gold)} invented articles, {sum(len(spans) for _, spans in gold)} gold claims")
    half = len(gold) // 2
    for split, part in (("dev", slice(0, half)), ("test", slice(half, None)), ("all", slice(None))):
        f1 = {}
        for name, predict in systems.items():
            pairs = [(predict(report), spans) for report, (_, spans) in zip(reports[part], gold[part], strict=True)]
            p, r, f1[name] = prf(pairs)
            print(f"  {split:4} {name:36} P {p:.3f}  R {r:.3f}  F1 {f1[name]:.3f}")
        ratio = f1["slant claims"] / max(f1[BASELINE], 1e-9)
        print(f"  {split:4} F1 ratio slant/baseline: {ratio:.2f}")
    if show_errors:
        for report, (_, spans) in zip(reports[:half], gold[:half], strict=True):
            predicted = systems["slant claims"](report)
            for label, own, other in (("missed", spans, predicted), ("extra", predicted, spans)):
                for a, b in own:
                    if not matched([(a, b)], other):
                        print(f"  dev {label}: {report.text[a:b]!r}")


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def evaluate_speed(documents: list[Report], batch_size: int = 16) -> None:
    """Milliseconds per article of the shared layers and of what each analyzer adds to them."""
    options = AnalysisOptions(batch_size=batch_size)
    plugins = [load(name, options) for name in ("sourcing", "claims", "framing", "comments")]
    batches = [documents[i : i + batch_size] for i in range(0, len(documents), batch_size)]
    words = sum(len(d.text.split()) for d in documents)
    print(f"speed: {len(documents)} articles, {words} words, batches of {batch_size}, ms per article")
    layers = [layers_for(plugins, batch, actor_aliases()) for batch in batches[:1]]  # warm up
    parse = timed(lambda: layers.extend(layers_for(plugins, batch, actor_aliases()) for batch in batches))
    print(f"  {'baseline: shared parse + encoder':30} {1000 * parse / len(documents):7.1f}")
    layers = layers[1:]
    sourced = [plugins[0].analyze(batch, own) for batch, own in zip(batches, layers, strict=True)]
    for plugin in plugins:
        seconds = timed(lambda p=plugin: [p.analyze(b, own) for b, own in zip(sourced, layers, strict=True)])
        print(f"  {plugin.name:30} {1000 * seconds / len(documents):7.1f}  ({seconds / parse:.2f}x the layers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="copies of the article set to time")
    parser.add_argument("--errors", action="store_true", help="list the dev half's misses (never study test)")
    args = parser.parse_args()
    gold = read_gold()
    evaluate_claims(gold, args.errors)
    demo = document_from_text(files("slant").joinpath("examples/demo-page.txt").read_text(encoding="utf-8"))
    articles = [Report(**dict(demo)), *(report for report, _ in gold)]
    evaluate_speed(articles * args.repeat)


if __name__ == "__main__":
    main()
