"""The shipped technique model: fixed answers on invented text, and scores that never depend on batch mates."""

import numpy as np
import pytest

from slant.techniques import TECHNIQUES
from slant.techniques.model import TechniqueModel

TEXT = "These treacherous, bloodthirsty criminals want to destroy everything we love.\n\nMake our nation great again!\n"
#: What the shipped model finds in TEXT (one span per paragraph, never across the break).
EXPECTED = {
    ("These treacherous, bloodthirsty criminals want to destroy everything we love", "Exaggeration,Minimisation"),
    ("Make our nation great again!", "Flag-Waving"),
}
NEUTRAL = "The council met on Tuesday to discuss the budget for next year.\n"
EXPECTED_CRIMINALS = ["Name_Calling,Labeling", "Loaded_Language"]


@pytest.fixture(scope="module")
def model() -> TechniqueModel:
    return TechniqueModel(threads=2)


def test_finds_loaded_words_and_never_crosses_a_paragraph(model: TechniqueModel) -> None:
    spans = model.find([TEXT])[0]
    assert {(TEXT[s.start : s.end], s.technique) for s in spans} == EXPECTED
    paragraph = TEXT.index("\n\n")
    assert all(s.end <= paragraph or s.start > paragraph for s in spans)
    assert all(s.technique in TECHNIQUES and 0.0 <= s.score <= 1.0 for s in spans)
    assert model.find([NEUTRAL]) == [[]]


def test_scores_do_not_depend_on_batch_mates_or_runs_at_once(model: TechniqueModel) -> None:
    other = "A long unrelated text about the harbour, the weather and the markets. " * 30
    alone = model.tag([TEXT])[0]
    together = model.tag([other, TEXT, "Short."])[1]
    assert np.array_equal(alone.logits, together.logits) and np.array_equal(alone.states, together.states)
    assert model.find([TEXT]) == model.find([other, TEXT])[1:]
    one_at_a_time = TechniqueModel(threads=1).tag([other, TEXT])
    assert all(
        np.array_equal(a.logits, b.logits) and np.array_equal(a.states, b.states)
        for a, b in zip(one_at_a_time, model.tag([other, TEXT]), strict=True)
    )


def test_a_span_given_twice_gets_its_two_likeliest_techniques(model: TechniqueModel) -> None:
    start = TEXT.index("bloodthirsty criminals")
    labels = model.classify(TEXT, [(start, start + 22), (start, start + 22)])
    assert labels == EXPECTED_CRIMINALS
