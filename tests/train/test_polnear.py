"""The PolNeAR reader and scorer: brat entries to attributions, and how predictions are matched to gold."""

from slant.train import polnear

TEXT = "The vote was lost, Kim told aides, Lee said."
#: Two nested attributions as brat standoff: Kim's content lies inside Lee's.
ANN = "\n".join(
    [
        "T1\tSource 35 38\tLee",
        "T2\tCue 39 43\tsaid",
        "T3\tContent 0 33\tThe vote was lost, Kim told aides",
        "T4\tSource 19 22\tKim",
        "T5\tCue 23 27\ttold",
        "T6\tContent 0 17\tThe vote was lost",
        "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1",
        "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4",
    ]
)


def spans(words: tuple[str, str, str]) -> polnear.Spans:
    """An attribution from its content, cue and source words in TEXT."""
    content, cue, source = ((TEXT.index(w), TEXT.index(w) + len(w)) for w in words)
    return polnear.Spans((content,), (cue,), (source,))


def test_a_content_inside_two_nested_gold_contents_matches_the_one_with_its_cue() -> None:
    lee = spans(("The vote was lost, Kim told aides", "said", "Lee"))
    kim = spans(("The vote was lost", "told", "Kim"))
    predicted = [spans(("The vote was lost", "told", "Kim"))]  # inside both gold contents: each scores 1
    gold = polnear.parse_ann(ANN)
    assert gold == [kim, lee]
    figures = polnear.score([(TEXT, predicted, gold)])
    assert (figures.precision, figures.recall, figures.source, figures.cue) == (1.0, 0.5, 1.0, 1.0)
