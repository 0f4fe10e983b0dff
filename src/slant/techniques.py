"""The 14 propaganda techniques of SemEval-2020 Task 11 (PTC), with one-line definitions.

The names are exactly the corpus labels, so predictions round-trip through PTC TSV files; the report
views reuse the definitions to explain each finding.
"""

from collections.abc import Sequence
from types import MappingProxyType

import numpy as np

#: technique name (as in the PTC corpus) -> one-line definition, in the corpus' alphabetical order.
DEFINITIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "Appeal_to_Authority": "Claims something is true because an authority says so, without other evidence.",
        "Appeal_to_fear-prejudice": "Builds support for an idea by stoking anxiety or panic about an alternative.",
        "Bandwagon,Reductio_ad_hitlerum": "Urges joining the crowd, or rejects an idea because a hated group holds it.",
        "Black-and-White_Fallacy": "Presents two options as the only possibilities when more exist.",
        "Causal_Oversimplification": "Assigns a single cause to an issue that has many.",
        "Doubt": "Questions the credibility of someone or something.",
        "Exaggeration,Minimisation": "Makes something seem larger or worse, or smaller and less important, than it is.",
        "Flag-Waving": "Appeals to group or national pride to justify an idea or action.",
        "Loaded_Language": "Uses words with strong emotional implications to sway the reader.",
        "Name_Calling,Labeling": "Labels a person or group with something the audience fears, hates or admires.",
        "Repetition": "Repeats the same message over and over so the audience accepts it.",
        "Slogans": "A brief, striking phrase that acts as an emotional appeal.",
        "Thought-terminating_Cliches": "A short, generic phrase that discourages critical thought and discussion.",
        "Whataboutism,Straw_Men,Red_Herring": "Deflects criticism by charging hypocrisy, distorting the opposing view, "
        "or changing the subject.",
    }
)

#: The technique names in label-index order (the order of the model's outputs).
TECHNIQUES: tuple[str, ...] = tuple(DEFINITIONS)

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


def average_windows(n_tokens: int, ranges: Sequence[tuple[int, int]], outputs: Sequence[np.ndarray]) -> np.ndarray:
    """Per-token outputs of overlapping windows, averaged where windows overlap: shape (n_tokens, k)."""
    width = outputs[0].shape[-1] if outputs else 0
    total = np.zeros((n_tokens, width), dtype=np.float32)
    count = np.zeros((n_tokens, 1), dtype=np.float32)
    for (start, end), output in zip(ranges, outputs, strict=True):
        total[start:end] += output[: end - start]
        count[start:end] += 1
    return total / np.maximum(count, 1)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, elementwise."""
    return 1.0 / (1.0 + np.exp(-x))


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


def span_features(text: str, start: int, end: int, piece_logits: np.ndarray) -> np.ndarray:
    """Features of one span for the technique classifier, from the (n, 15) logits of its word pieces.

    Mean and max of the technique logits, mean "any technique" logit, log length in pieces, and how
    often else the span's words recur in `text` (the cue for Repetition that a tagger cannot see).
    """
    fragment = text[start:end].strip().lower()
    repeats = text.lower().count(fragment) if fragment else 0
    techniques = piece_logits[:, 1:]
    return np.concatenate(
        [
            techniques.mean(axis=0),
            techniques.max(axis=0),
            [piece_logits[:, 0].mean(), np.log1p(len(piece_logits)), np.log1p(max(repeats - 1, 0))],
        ]
    ).astype(np.float32)
