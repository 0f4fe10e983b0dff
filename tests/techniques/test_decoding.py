"""Span decoding and the span-score map: short runs dropped, a continuous calibration map."""

import numpy as np
import pytest

from slant.techniques.model import Encoded, Tagged, TechniqueModel, candidate_spans

TEXT = "one two three four five six seven"


def tagged_with(any_logits: list[float]) -> Tagged:
    starts = [i for i, c in enumerate(TEXT) if c != " " and (i == 0 or TEXT[i - 1] == " ")]
    offsets = np.array([(s, TEXT.index(" ", s) if " " in TEXT[s:] else len(TEXT)) for s in starts])
    logits = np.full((len(starts), 15), -20.0, dtype=np.float32)
    logits[:, 0] = any_logits
    return Tagged(TEXT, Encoded(np.arange(len(starts)), offsets), logits, np.zeros((len(starts), 384), np.float32))


def test_runs_shorter_than_min_pieces_are_dropped() -> None:
    params = TechniqueModel().params.model_copy(update={"max_gap": 0, "split_sentences": False})
    tagged = tagged_with([20, -20, -20, 20, 20, 20, -20])
    assert list(candidate_spans(tagged, params.model_copy(update={"min_pieces": 1}))) == [(0, 3), (14, 27)]
    assert list(candidate_spans(tagged, params.model_copy(update={"min_pieces": 2}))) == [(14, 27)]


def test_score_map_is_continuous_between_block_means() -> None:
    techniques = pytest.importorskip("slant.train.techniques")
    raw = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    right = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    knots, values = techniques.centred_isotonic(raw, right, block=1)
    assert knots == pytest.approx([0.15, 0.35, 0.55]) and values == pytest.approx([0.0, 0.5, 1.0])
    assert np.interp(0.45, knots, values) == pytest.approx(0.75)
    knots, values = techniques.centred_isotonic(raw, right, block=2)  # blocks (0.1, 0.2), (0.3, 0.4), (0.5, 0.6)
    assert knots == pytest.approx([0.15, 0.35, 0.55]) and values == pytest.approx([0.0, 0.5, 1.0])
    knots, values = techniques.centred_isotonic(raw, right, block=3)
    assert knots == pytest.approx([0.2, 0.5]) and values == pytest.approx([1 / 3, 2 / 3])
