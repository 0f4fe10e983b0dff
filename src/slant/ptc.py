"""The Propaganda Techniques Corpus (PTC) format: articles, TSV labels, and the SemEval-2020 Task 11 scorers.

No torch here: the CLI (`slant ptc ...`) and the benchmarks use these readers and scorers too.
Label files are split on TAB only, since technique names contain commas.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from slant.errors import InputError
from slant.techniques import TECHNIQUES

ARTICLE_ID = re.compile(r"article(\d+)\.txt$")

#: 2019 technique names (18) -> the 14 SemEval-2020 classes; absent names (Obfuscation) are dropped.
LEGACY_TECHNIQUES: dict[str, str] = {
    **{t: t for t in TECHNIQUES},
    "Bandwagon": "Bandwagon,Reductio_ad_hitlerum",
    "Reductio_ad_hitlerum": "Bandwagon,Reductio_ad_hitlerum",
    "Straw_Men": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
}


class Article(NamedTuple):
    """One PTC article: its numeric id (as a string) and its text."""

    id: str
    text: str


class LabeledSpan(NamedTuple):
    """One PTC label row: a technique (None for SI rows, '?' in TC templates) over `[start, end)`."""

    article_id: str
    technique: str | None
    start: int
    end: int


class Score(NamedTuple):
    """Precision, recall and F1 of a prediction file against gold."""

    precision: float
    recall: float
    f1: float


def read_articles(folder: Path) -> list[Article]:
    """All `article<ID>.txt` files of a folder, sorted by id (read as UTF-8, newlines kept as is).

    Raises:
        InputError: the folder does not exist or holds no article files.
    """
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of PTC articles (article<ID>.txt)")
    articles = []
    for path in folder.iterdir():
        if match := ARTICLE_ID.search(path.name):
            articles.append(Article(match.group(1), path.read_bytes().decode("utf-8")))
    if not articles:
        raise InputError(f"{folder} holds no article<ID>.txt files")
    return sorted(articles, key=lambda a: a.id)


def read_labels(paths: Path | Iterable[Path]) -> list[LabeledSpan]:
    """Label rows from TSV files (SI: id, start, end; TC: id, technique, start, end).

    Raises:
        InputError: a row has neither 3 nor 4 tab-separated fields, or non-integer offsets.
    """
    spans = []
    for path in [paths] if isinstance(paths, Path) else paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            fields = line.rstrip("\r").split("\t")
            try:
                if len(fields) == 3:
                    spans.append(LabeledSpan(fields[0], None, int(fields[1]), int(fields[2])))
                elif len(fields) == 4:
                    spans.append(LabeledSpan(fields[0], fields[1], int(fields[2]), int(fields[3])))
                else:
                    raise ValueError(f"{len(fields)} fields")
            except ValueError as error:
                raise InputError(f"{path}:{number}: not a PTC label row ({error})") from None
    return spans


def write_labels(spans: Iterable[LabeledSpan], path: Path) -> None:
    """Write label rows as PTC TSV (the technique column only where spans have one)."""
    lines = [
        "\t".join([s.article_id, *([s.technique] if s.technique is not None else []), str(s.start), str(s.end)])
        for s in spans
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def read_legacy_labels(folder: Path, pattern: str) -> list[LabeledSpan]:
    """2019-release technique labels mapped onto the 14 classes (Obfuscation dropped)."""
    spans = read_labels(sorted(folder.glob(pattern)))
    return [s._replace(technique=LEGACY_TECHNIQUES[s.technique]) for s in spans if s.technique in LEGACY_TECHNIQUES]


def _merged(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping intervals (sharing at least one character) merged, sorted."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _overlap_score(
    predicted: dict[str, list[tuple[int, int]]], gold: dict[str, list[tuple[int, int]]]
) -> tuple[float, float, int, int]:
    """Partial-overlap credit: sum of |p∩g|/|p| and |p∩g|/|g| over meeting pairs, and the span counts."""
    precision_credit = recall_credit = 0.0
    for key, predicted_spans in predicted.items():
        for p_start, p_end in predicted_spans:
            for g_start, g_end in gold.get(key, ()):
                overlap = min(p_end, g_end) - max(p_start, g_start)
                if overlap > 0:
                    precision_credit += overlap / (p_end - p_start)
                    recall_credit += overlap / (g_end - g_start)
    n_predicted = sum(len(v) for v in predicted.values())
    n_gold = sum(len(v) for v in gold.values())
    return precision_credit, recall_credit, n_predicted, n_gold


def _score(predicted: dict[str, list[tuple[int, int]]], gold: dict[str, list[tuple[int, int]]]) -> Score:
    precision_credit, recall_credit, n_predicted, n_gold = _overlap_score(predicted, gold)
    precision = precision_credit / n_predicted if n_predicted else 0.0
    recall = recall_credit / n_gold if n_gold else 0.0
    return Score(precision, recall, _f1(precision, recall))


def _grouped(spans: Sequence[LabeledSpan], key: Callable[[LabeledSpan], str]) -> dict[str, list[tuple[int, int]]]:
    """Non-empty spans grouped by `key`, overlapping spans of a group merged."""
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for s in spans:
        if s.end > s.start:
            grouped[key(s)].append((s.start, s.end))
    return {name: _merged(value) for name, value in grouped.items()}


def score_si(predicted: Sequence[LabeledSpan], gold: Sequence[LabeledSpan]) -> Score:
    """SemEval-2020 SI score: per article, overlapping spans merged, then partial-overlap P/R/F1."""
    return _score(_grouped(predicted, _article), _grouped(gold, _article))


def score_full(predicted: Sequence[LabeledSpan], gold: Sequence[LabeledSpan]) -> Score:
    """Span + technique score: SI scoring per technique, so credit only flows between same-technique spans."""
    return _score(_grouped(predicted, _article_technique), _grouped(gold, _article_technique))


def _article(span: LabeledSpan) -> str:
    return span.article_id


def _article_technique(span: LabeledSpan) -> str:
    return f"{span.article_id}\t{span.technique}"


def score_tc(predicted: Sequence[LabeledSpan], gold: Sequence[LabeledSpan]) -> tuple[Score, dict[str, Score]]:
    """SemEval-2020 TC score: micro P/R/F1 of techniques on the gold spans, and the F1 of each technique.

    Rows are matched by (article, start, end); a gold span labelled with several techniques is matched
    against as many predictions.
    """
    gold_by_span: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for s in gold:
        gold_by_span[(s.article_id, s.start, s.end)].append(str(s.technique))
    true_positive: dict[str, int] = defaultdict(int)
    predicted_count: dict[str, int] = defaultdict(int)
    gold_count: dict[str, int] = defaultdict(int)
    for labels in gold_by_span.values():
        for label in labels:
            gold_count[label] += 1
    for s in predicted:
        technique = str(s.technique)
        predicted_count[technique] += 1
        remaining = gold_by_span.get((s.article_id, s.start, s.end), [])
        if technique in remaining:
            remaining.remove(technique)
            true_positive[technique] += 1
    correct = sum(true_positive.values())
    micro_p = correct / len(predicted) if predicted else 0.0
    micro_r = correct / len(gold) if gold else 0.0
    per_technique = {}
    for technique in sorted(set(gold_count) | set(predicted_count)):
        p = true_positive[technique] / predicted_count[technique] if predicted_count[technique] else 0.0
        r = true_positive[technique] / gold_count[technique] if gold_count[technique] else 0.0
        per_technique[technique] = Score(p, r, _f1(p, r))
    return Score(micro_p, micro_r, _f1(micro_p, micro_r)), per_technique


#: The held-out part of the 2020 train split, fixed by article id: the articles whose hash bucket is below 15
#: (see `split_of`) minus the 11 that share at least 20 % of their 8-word sequences with a training article
#: (near-duplicates, which went to `train`). Only ever used for reported figures.
HELDOUT: frozenset[str] = frozenset(
    {
        "111111115",
        "694356862",
        "694811415",
        "695108099",
        "700551604",
        "701939679",
        "706088110",
        "706636401",
        "706777811",
        "708561738",
        "709732928",
        "710376094",
        "711566593",
        "721710340",
        "722512241",
        "727128296",
        "727634031",
        "729410793",
        "729651527",
        "730019938",
        "754348478",
        "755814432",
        "756114837",
        "758385628",
        "761969692",
        "762200179",
        "764609985",
        "765385479",
        "770156173",
        "771655795",
        "771879020",
        "774007496",
        "777488669",
        "779394730",
        "785801366",
        "787002327",
        "787668628",
        "789370909",
        "790720480",
        "795379208",
        "795689901",
    }
)


def split_of(article_id: str) -> str:
    """The fixed part of the 2020 train split an article belongs to.

    `heldout` (the 41 `HELDOUT` ids) is only ever used for reported figures; `calibration` (~12%, by a
    stable hash of the id) fits thresholds, calibration and the technique head; `train` (the rest) trains
    the encoder.
    """
    if article_id in HELDOUT:
        return "heldout"
    bucket = int(hashlib.sha1(f"ptc:{article_id}".encode()).hexdigest(), 16) % 100
    return "calibration" if 15 <= bucket < 27 else "train"
