"""Framing and claims: speed in articles/s, and claim P/R/F1 on the invented gold set, each against a baseline.

Run: python bench/framing_claims.py [--repeat 3] [--errors]

Speed: the demo page and the 20 gold articles, repeated, analyzed in batches of 16, one process (the
machine's cores as they are). The baseline is one spaCy `nlp.pipe` pass per batch over its distinct
sentences (whitespace joined): the parse these analyzers need. Ratios say how much an analyzer costs
beyond that parse. Claims and framing share sentence parses within a batch (the parse cache is emptied
before each batch, whose articles are distinct).

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

from slant.analyzers import load, run_alone
from slant.analyzers.claims import ARTICLE_KINDS, CONTENT_KINDS, forget_parses
from slant.ingest import document_from_text
from slant.ingest.sentences import split_sentences
from slant.model import Report, Segment, SegmentKind
from slant.nlp import english
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
    nlp = english()
    batches = [
        list(
            dict.fromkeys(
                " ".join(d.text[a:b].split())
                for d in documents[i : i + batch_size]
                for a, b in sentences(d, CONTENT_KINDS)
            )
        )
        for i in range(0, len(documents), batch_size)
    ]
    words = sum(len(d.text.split()) for d in documents)
    print(f"speed: {len(documents)} articles, {words} words, batches of {batch_size}")
    list(nlp.pipe(batches[0]))  # warm up
    baseline = timed(lambda: [list(nlp.pipe(texts, batch_size=256)) for texts in batches])
    print(f"  {'baseline: spaCy parse of the sentences':42} {len(documents) / baseline:7.1f} articles/s  1.00x")
    options = AnalysisOptions(batch_size=batch_size)
    for names in (["claims"], ["framing"], ["claims", "framing"], ["sourcing", "claims", "framing"]):
        plugins = [load(name, options) for name in names]

        def run(plugins: list = plugins) -> None:
            for i in range(0, len(documents), batch_size):
                batch = documents[i : i + batch_size]
                forget_parses()  # a batch holds distinct articles; copies in later batches must not hit the cache
                for plugin in plugins:
                    batch = run_alone(plugin, batch)

        seconds = timed(run)
        label = " + ".join(names)
        print(f"  {label:42} {len(documents) / seconds:7.1f} articles/s  {baseline / seconds:.2f}x")


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
