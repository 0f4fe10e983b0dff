"""Check-worthy claims on real data, against the has-a-digit and all-yes baselines in the same run.

    python bench/claims.py [--data ../shared/data]

- CheckThat! 2024 Task 1 English dev-test (318 sentences): P/R/F1 of the check-worthy class. A sentence is
  predicted check-worthy when the claims analyzer, run on it as a one-sentence article, returns a claim. The
  model alone is also shown at the threshold with the best F1 on CT24 dev (which shares train's prior).
- CheckThat! 2019 Task 1 training debates held out from training (`slant.train.claims.HELD_OUT_DEBATES`,
  whole debates): MAP, the lab's measure (mean over debates of the average precision of the ranking).
  The analyzer ranks by its claim score (0 when it finds no claim); the model alone ranks every line by its
  check-worthiness logit. Ties keep the debate's line order. The analyzer is also run on each whole debate as
  one article (a line per paragraph), so that it reads each sentence's encoder states in context, as on a page.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from slant.analyzers import load, run_alone
from slant.analyzers.claims import claims_model, dense_features
from slant.model import Report, Segment, SegmentKind
from slant.options import AnalysisOptions
from slant.train.claims import HELD_OUT_DEBATES, encoder_states, read_ct19, read_ct24

DIGIT = re.compile(r"\d")
Scorer = Callable[[Sequence[str]], np.ndarray]


def analyzer_scores(texts: Sequence[str]) -> np.ndarray:
    """The claims analyzer's best claim score on each text, run as a one-sentence body (0 when none)."""
    claims = load("claims", AnalysisOptions())
    reports = [Report(text=t, segments=(Segment(kind=SegmentKind.BODY, start=0, end=len(t)),)) for t in texts]
    found = [run_alone(claims, reports[i : i + 64]) for i in range(0, len(reports), 64)]
    return np.array([max((f.score for f in r.findings_of("claims")), default=0.0) for part in found for r in part])


def in_context_scores(texts: Sequence[str]) -> np.ndarray:
    """The claims analyzer's best claim score on each line, the lines run together as one article's body."""
    claims = load("claims", AnalysisOptions())
    text = "\n".join(texts)
    report = run_alone(claims, [Report(text=text, segments=(Segment(kind=SegmentKind.BODY, start=0, end=len(text)),))])
    starts = np.cumsum([0, *(len(t) + 1 for t in texts)])
    scores = np.zeros(len(texts))
    for finding in report[0].findings_of("claims"):
        line = int(np.searchsorted(starts, finding.start, side="right")) - 1
        scores[line] = max(scores[line], finding.score)
    return scores


def average_precision(scores: np.ndarray, gold: np.ndarray) -> float:
    """Average precision of the ranking by descending score (stable: ties keep their order)."""
    ranked = gold[np.argsort(-scores, kind="stable")]
    hits = np.cumsum(ranked)
    return float((hits / np.arange(1, len(ranked) + 1))[ranked].sum() / max(1, ranked.sum()))


def f1_row(name: str, predicted: np.ndarray, gold: np.ndarray) -> float:
    tp = float((predicted & gold).sum())
    precision, recall = tp / max(1, predicted.sum()), tp / max(1, gold.sum())
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"  {name:44} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    return float(f1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    args = parser.parse_args()
    model = claims_model()
    threshold, dev_best = float(model.params["threshold"]), float(model.params["dev_best_threshold"])

    def model_logits(texts: Sequence[str]) -> np.ndarray:
        return model.decision(texts, dense_features(texts, encoder_states(texts)))[:, 0]

    dev_test = read_ct24(args.data, "dev-test")
    texts, gold = [s.text for s in dev_test], np.array([s.checkworthy for s in dev_test])
    print(f"CheckThat! 2024 English dev-test: {len(gold)} sentences, {gold.sum()} check-worthy")
    analyzer = analyzer_scores(texts) > 0
    base = f1_row("baseline: all yes", np.ones_like(gold), gold)
    f1_row("baseline: has a digit", np.array([bool(DIGIT.search(t)) for t in texts]), gold)
    logits = model_logits(texts)
    f1_row(f"model alone, logit >= {threshold} (shipped)", logits >= threshold, gold)
    f1_row(f"model alone, logit >= {dev_best} (dev's best F1)", logits >= dev_best, gold)
    f1 = f1_row("claims analyzer", analyzer, gold)
    print(f"  analyzer F1 / all-yes F1: {f1 / base:.2f}x")

    debates = read_ct19(args.data)
    held_out = [debates[name] for name in HELD_OUT_DEBATES]
    print(
        f"CheckThat! 2019 held-out debates: {len(held_out)}, {sum(map(len, held_out))} lines, "
        f"{sum(s.checkworthy for d in held_out for s in d)} check-worthy"
    )
    systems: dict[str, Scorer] = {
        "baseline: all yes (line order)": lambda t: np.zeros(len(t)),
        "baseline: has a digit": lambda t: np.array([float(bool(DIGIT.search(x))) for x in t]),
        "model alone": model_logits,
        "claims analyzer": analyzer_scores,
        "claims analyzer, whole debate as one article": in_context_scores,
    }
    for name, score in systems.items():
        aps = [average_precision(score([s.text for s in d]), np.array([s.checkworthy for s in d])) for d in held_out]
        print(f"  {name:44} MAP {np.mean(aps):.3f}  (per debate {' '.join(f'{ap:.3f}' for ap in aps)})")


if __name__ == "__main__":
    main()
