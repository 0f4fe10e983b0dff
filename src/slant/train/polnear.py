"""Reader of the PolNeAR attribution corpus (brat standoff: Source, Cue, Content spans tied by E entries).

See `../shared/data/polnear/PROVENANCE.md`. Each article is read with the annotation of one annotator
(the first by sorted id); every attribution keeps its content, cue and (optional) source as character ranges
into the article text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from slant.model import Report, Segment, SegmentKind

Ranges = tuple[tuple[int, int], ...]


class Spans(NamedTuple):
    """One attribution as character ranges: content, cue and source (source empty when the text names none)."""

    content: Ranges
    cue: Ranges
    source: Ranges


class Article(NamedTuple):
    """An article's id, text (title on the first line) and its attributions, in content order."""

    id: str
    text: str
    attributions: list[Spans]


def parse_ann(ann: str) -> list[Spans]:
    """The attributions of one `.ann` file; entries without a content or a cue span are skipped."""
    spans: dict[str, tuple[str, Ranges]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not fields[0][1:].isdigit():
            continue  # a continuation of a span text that crossed a newline
        if fields[0][0] == "T":
            kind, _, offsets = fields[1].partition(" ")
            ranges = tuple((int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";")))
            spans[fields[0]] = (kind, ranges)
        elif fields[0][0] == "E":
            events.append(dict(role.split(":", 1) for role in fields[1].split()))
    found = []
    for roles in events:
        content = tuple(r for key in ("Content", "Content2") if key in roles for r in spans[roles[key]][1])
        if not content or "Cue" not in roles:
            continue
        source = spans[roles["Source"]][1] if "Source" in roles else ()
        found.append(Spans(tuple(sorted(content)), spans[roles["Cue"]][1], source))
    return sorted(found, key=lambda a: a.content[0])


def read_split(root: Path, split: str) -> list[Article]:
    """All articles of a split (`train` or `dev`), each with its first annotator's attributions.

    Raises:
        FileNotFoundError: the split folder is absent.
    """
    folder = root / split
    if not (folder / "text").is_dir():
        raise FileNotFoundError(f"no PolNeAR {split} split under {root} (expected {folder / 'text'})")
    annotations: dict[str, Path] = {}
    for path in sorted((folder / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], path)
    articles = []
    for path in sorted((folder / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ann = annotations.get(path.stem)
        gold = parse_ann(ann.read_text(encoding="utf-8")) if ann else []
        articles.append(Article(path.stem, text, gold))
    return articles


def as_report(article: Article) -> Report:
    """The article as the pipeline sees it: its first line the title, the rest the body."""
    title_end = article.text.find("\n")
    body_start = len(article.text) - len(article.text[title_end:].lstrip())
    segments = (
        Segment(kind=SegmentKind.TITLE, start=0, end=title_end),
        Segment(kind=SegmentKind.BODY, start=body_start, end=len(article.text)),
    )
    return Report(text=article.text, segments=segments)


EDGES = " \t\n,;:.!?-–—―\"“”'‘’()[]"


class Figures(NamedTuple):
    """Content P/R/F1 where a predicted and a gold content overlap by at least half of the shorter one, one to
    one; F1 where they overlap by half of both, and where they are equal (edges trimmed); among the first
    matches, the share whose source (when the gold has one) and whose cue overlap the gold ones."""

    gold: int
    predicted: int
    precision: float
    recall: float
    f1: float
    both_f1: float
    exact_f1: float
    source: float
    cue: float


def _overlap(a: Ranges, b: Ranges) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _length(a: Ranges) -> int:
    return sum(e - s for s, e in a)


def _trimmed(text: str, ranges: Ranges) -> tuple[int, int]:
    start, end = min(s for s, _ in ranges), max(e for _, e in ranges)
    while start < end and text[start] in EDGES:
        start += 1
    while end > start and text[end - 1] in EDGES:
        end -= 1
    return start, end


def _pairs(predicted: list[Spans], gold: list[Spans], ok: Callable[[Spans, Spans], float]) -> list[tuple[Spans, Spans]]:
    """One-to-one pairs whose score `ok` is positive, best first. Of pairs scoring the same (a content inside two
    nested gold contents scores 1 with both), the one whose cues overlap is taken first, then the first in text
    order."""
    candidates = sorted(
        (-score, _overlap(p.cue, g.cue) == 0, i, j)
        for i, p in enumerate(predicted)
        for j, g in enumerate(gold)
        if (score := ok(p, g)) > 0
    )
    pairs, used_p, used_g = [], set(), set()
    for _, _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((predicted[i], gold[j]))
    return pairs


def score(runs: Sequence[tuple[str, list[Spans], list[Spans]]]) -> Figures:
    """Figures over (text, predicted, gold) of many articles."""

    def both(p: Spans, g: Spans) -> float:
        overlap = _overlap(p.content, g.content) / max(_length(p.content), _length(g.content), 1)
        return overlap if overlap >= 0.5 else 0.0

    def lenient(p: Spans, g: Spans) -> float:
        overlap = _overlap(p.content, g.content) / max(min(_length(p.content), _length(g.content)), 1)
        return overlap if overlap >= 0.5 else 0.0

    n_pred = sum(len(p) for _, p, _ in runs)
    n_gold = sum(len(g) for _, _, g in runs)
    matched = [pair for _, p, g in runs for pair in _pairs(p, g, lenient)]
    exact = 0
    for text, p, g in runs:

        def same(a: Spans, b: Spans, text: str = text) -> float:
            return float(_trimmed(text, a.content) == _trimmed(text, b.content))

        exact += len(_pairs(p, g, same))
    strict = sum(len(_pairs(p, g, both)) for _, p, g in runs)

    def f1(hits: int) -> float:
        return 2 * hits / (n_pred + n_gold) if n_pred + n_gold else 0.0

    sourced = [(p, g) for p, g in matched if g.source]
    return Figures(
        n_gold,
        n_pred,
        len(matched) / n_pred if n_pred else 0.0,
        len(matched) / n_gold if n_gold else 0.0,
        f1(len(matched)),
        f1(strict),
        f1(exact),
        sum(_overlap(p.source, g.source) > 0 for p, g in sourced) / len(sourced) if sourced else 0.0,
        sum(_overlap(p.cue, g.cue) > 0 for p, g in matched) / len(matched) if matched else 0.0,
    )
