"""Span decoding: runs of tagged pieces are cut at line breaks and sentence ends, snapped to words, trimmed."""

import numpy as np

from slant.techniques.spans import breaks, char_span, line_windows, piece_range, span_extras, split_runs, token_runs

TEXT = "They lie. Traitors all\n\nthe kestrel-backed puppets, everyone knows."
WORDS = [
    "They",
    "lie",
    ".",
    "Traitors",
    "all",
    "the",
    "kestrel",
    "-",
    "backed",
    "puppets",
    ",",
    "everyone",
    "knows",
    ".",
]


def offsets() -> np.ndarray:
    found, position = [], 0
    for word in WORDS:
        start = TEXT.index(word, position)
        found.append((start, start + len(word)))
        position = start + len(word)
    return np.array(found)


def test_runs_are_cut_at_line_breaks_always_and_at_sentence_ends_when_asked() -> None:
    cut = breaks(TEXT, offsets(), sentences=False)
    assert np.flatnonzero(cut).tolist() == [4]  # "all" | "the": the paragraph break
    assert np.flatnonzero(breaks(TEXT, offsets(), sentences=True)).tolist() == [2, 4]  # also "." | "Traitors"
    runs = token_runs(np.ones(len(WORDS), dtype=bool))
    assert split_runs(runs, breaks(TEXT, offsets(), sentences=True)) == [(0, 3), (3, 5), (5, 14)]


def test_spans_snap_to_whole_words_and_drop_edge_punctuation() -> None:
    spans = [char_span(TEXT, offsets(), first, last) for first, last in [(0, 3), (3, 5), (7, 10)]]
    assert [TEXT[s:e] for s, e in spans] == ["They lie", "Traitors all", "kestrel-backed puppets"]


def test_piece_range_and_repetition_features() -> None:
    assert piece_range(offsets(), TEXT.index("puppets"), TEXT.index("puppets") + 7) == (9, 10)
    text = "Lock her up! They chanted: lock her up."
    second = text.rindex("lock her up")
    lowered = text.lower()
    np.testing.assert_allclose(
        span_extras(text, lowered, second, second + 11, 3), [np.log1p(3), np.log1p(1), 1.0], rtol=1e-6
    )
    assert span_extras(text, lowered, 0, 11, 3)[2] == 0.0


def test_windows_never_cross_a_line_break() -> None:
    # Pieces 0-4 form the first line, 5-13 the second: each is windowed on its own (4 pieces, 3 apart).
    assert line_windows(TEXT, offsets(), 4, 3) == [(0, 4), (3, 5), (5, 9), (8, 12), (11, 14)]
