"""Word-piece windows and character spans: how tagger outputs become exact spans of the text."""

from collections.abc import Sequence

import numpy as np

#: Characters a technique span never starts or ends with (the PTC v2 annotation convention).
EDGE_CHARACTERS = " \t\r\n.,:;"
#: Characters that join two word parts ("booby-trapped", "don't").
WORD_JOINERS = "-'’"


def windows(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges `[start, end)` of at most `size` tokens, `stride` apart, covering `n_tokens` (none if 0)."""
    ranges = []
    start = 0
    while start < n_tokens:
        end = min(start + size, n_tokens)
        ranges.append((start, end))
        if end == n_tokens:
            break
        start += stride
    return ranges


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, elementwise."""
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


def token_runs(mask: np.ndarray, max_gap: int = 1) -> list[tuple[int, int]]:
    """Runs `[i, j)` of True tokens, bridging gaps of at most `max_gap` False tokens."""
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(mask):
        if runs and i - runs[-1][1] <= max_gap:
            runs[-1] = (runs[-1][0], int(i) + 1)
        else:
            runs.append((int(i), int(i) + 1))
    return runs


def char_span(text: str, offsets: np.ndarray, first: int, last: int) -> tuple[int, int]:
    """The characters of tokens `[first, last)`, widened to whole words and trimmed of edge punctuation."""
    start, end = int(offsets[first][0]), int(offsets[last - 1][1])
    while start > 0 and _inside_word(text, start - 1):
        start -= 1
    while end < len(text) and _inside_word(text, end):
        end += 1
    while start < end and text[start] in EDGE_CHARACTERS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARACTERS:
        end -= 1
    return start, end


def _inside_word(text: str, i: int) -> bool:
    """Whether character `i` belongs to a word: alphanumeric, or a hyphen/apostrophe between letters."""
    if text[i].isalnum():
        return True
    return text[i] in WORD_JOINERS and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def breaks(text: str, offsets: np.ndarray, sentences: bool) -> np.ndarray:
    """Whether a span may not run from piece i to piece i + 1, shape (n - 1,).

    Always at a line break; with `sentences`, also after a sentence-final `.`, `!` or `?` followed by a
    space and an upper-case letter or a quote.
    """
    cut = np.zeros(max(len(offsets) - 1, 0), dtype=bool)
    for i in range(len(cut)):
        between = text[offsets[i][1] : offsets[i + 1][0]]
        if "\n" in between:
            cut[i] = True
        elif sentences and between and text[offsets[i][0] : offsets[i][1]] in ".!?":
            cut[i] = text[offsets[i + 1][0]].isupper() or text[offsets[i + 1][0]] in "\"“‘'"
    return cut


def split_runs(runs: Sequence[tuple[int, int]], cut: np.ndarray) -> list[tuple[int, int]]:
    """Token runs `[i, j)` cut wherever `cut[k]` forbids joining piece k to piece k + 1."""
    pieces = []
    for first, last in runs:
        start = first
        for k in np.flatnonzero(cut[first : last - 1]) + first:
            pieces.append((start, int(k) + 1))
            start = int(k) + 1
        pieces.append((start, last))
    return pieces


def piece_range(offsets: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """The pieces `[first, last)` that overlap the characters `[start, end)` (the nearest piece if none does)."""
    inside = np.flatnonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))
    if inside.size == 0:
        nearest = min(int(np.searchsorted(offsets[:, 0], start)), len(offsets) - 1)
        return nearest, nearest + 1
    return int(inside[0]), int(inside[-1]) + 1


def span_extras(text: str, lowered: str, start: int, end: int, n_pieces: int) -> np.ndarray:
    """Cheap features of a span the encoder cannot see within one window: its length and its repetition.

    Log length in pieces, log of how often else its words occur in `text`, and whether they occur before it
    (the cue for Repetition). `lowered` is `text.lower()`, lowered once for all of a text's spans.
    """
    fragment = text[start:end].strip().lower()
    repeats = lowered.count(fragment) if fragment else 0
    earlier = bool(fragment) and lowered.find(fragment) < start
    return np.array([np.log1p(n_pieces), np.log1p(max(repeats - 1, 0)), float(earlier)], dtype=np.float32)


#: Pieces on each side of a span whose states form its context feature.
CONTEXT = 32


def head_inputs(states: np.ndarray, logits: np.ndarray, first: int, last: int, extras: np.ndarray) -> np.ndarray:
    """Dense input of the technique head for pieces `[first, last)`: span mean and max, context mean, tagger logits."""
    context = states[max(first - CONTEXT, 0) : last + CONTEXT]
    span = states[first:last]
    return np.concatenate([span.mean(0), span.max(0), context.mean(0), logits[first:last].mean(0), extras])


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh approximation (as `torch.nn.functional.gelu(approximate="tanh")`)."""
    result: np.ndarray = 0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x**3)))
    return result


def line_windows(text: str, offsets: np.ndarray, size: int, stride: int) -> list[tuple[int, int]]:
    """Windows of the pieces of each line of `text` apart (`windows` within a line): no window crosses a line
    break, so a change in one line's pieces moves no other line's windows."""
    cut = np.flatnonzero(breaks(text, offsets, sentences=False)) + 1
    bounds = [0, *cut.tolist(), len(offsets)]
    return [
        (first + start, first + end)
        for first, last in zip(bounds, bounds[1:], strict=False)
        for start, end in windows(last - first, size, stride)
    ]
