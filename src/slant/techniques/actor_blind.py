"""Actor-blind text: every named actor replaced by a typed stand-in, consistent within a text, for the model.

A model trained on news learns which countries, peoples, parties and people usually appear near loaded
words, and would then score "Russian puppets" and "American puppets" differently. spaCy's NER finds every
named actor (people, peoples and groups, countries and places, organisations, parties and media); the k-th
distinct actor of a type becomes the k-th stand-in of that type, so a text and the same text with its sides
swapped read identically to the model whenever NER finds the same actors in both. The technique model is
trained on text masked the same way. Offsets found in the blinded text map back to the original text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

#: spaCy entity label -> the stand-ins of that type, given in order of first appearance (cycled past the end).
STAND_INS: dict[str, tuple[str, ...]] = {
    "PERSON": ("Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Harper", "Jordan"),
    "NORP": ("Ruritanian", "Freedonian", "Sylvanian", "Latverian", "Genovian", "Borduran", "Carpathian", "Elbonian"),
    "GPE": ("Ruritania", "Freedonia", "Sylvania", "Latveria", "Genovia", "Bordura", "Carpathia", "Elbonia"),
    "LOC": ("Northreach", "Southmarch", "Eastvale", "Westmere"),
    "ORG": ("Acme", "Globex", "Initech", "Vandelay", "Hooli", "Soylent", "Wonka", "Umbrella"),
}
#: Lower-case words that name a side in politics or religion; each maps to one stand-in of its own shape.
SIDE_WORDS = {
    "left-wing": "partisan", "right-wing": "partisan", "far-left": "partisan", "far-right": "partisan",
    "leftist": "partisan", "rightist": "partisan", "liberal": "partisan", "conservative": "partisan",
    "liberals": "partisans", "conservatives": "partisans", "leftists": "partisans", "rightists": "partisans",
    "church": "shrine", "mosque": "shrine", "synagogue": "shrine", "temple": "shrine",
    "churches": "shrines", "mosques": "shrines", "synagogues": "shrines", "temples": "shrines",
}  # fmt: skip
_SIDE_WORD = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(SIDE_WORDS, key=len, reverse=True)) + r")(?![\w-])")


class Actor(NamedTuple):
    """A named actor in a text: `[start, end)` and its spaCy entity label."""

    start: int
    end: int
    label: str


class BlindText(NamedTuple):
    """A blinded text and, for each of its characters, the original offsets it stands for."""

    text: str
    starts: np.ndarray
    ends: np.ndarray

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the non-empty blinded span `[start, end)`; a stand-in maps to the whole name."""
        return int(self.starts[start]), int(self.ends[end - 1])

    def span_in_blind(self, start: int, end: int) -> tuple[int, int]:
        """The blinded offsets of the original span `[start, end)`: every character that stands for part of it."""
        return int(np.searchsorted(self.ends, start, side="right")), int(np.searchsorted(self.starts, end))


def named_actors(texts: Sequence[str]) -> list[list[Actor]]:
    """The named actors spaCy's NER finds in each text (the shared `slant.nlp` pipeline, NER only)."""
    from slant.nlp import english

    nlp = english()
    with nlp.select_pipes(enable=[name for name in ("tok2vec", "ner") if name in nlp.pipe_names]):
        return [
            [Actor(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in STAND_INS]
            for doc in nlp.pipe(texts, batch_size=16)
        ]


def blind(text: str, actors: Sequence[Actor] | None = None) -> BlindText:
    """Replace the named actors (found by NER unless given) and side words of `text`, keeping a map back to it."""
    found = named_actors([text])[0] if actors is None else actors
    replacements = [(a.start, a.end, a.label) for a in found]
    taken = [(a.start, a.end) for a in found]
    for match in _SIDE_WORD.finditer(text.lower()):
        if not any(s < match.end() and match.start() < e for s, e in taken):
            replacements.append((match.start(), match.end(), ""))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    seen: dict[tuple[str, str], int] = {}
    for start, end, label in sorted(replacements):
        if start < position:
            continue
        stand_in = _stand_in(text[start:end], label, seen)
        kept = range(position, start)
        pieces += [text[position:start], stand_in]
        starts += [*kept, *[start] * len(stand_in)]
        ends += [*(i + 1 for i in kept), *[end] * len(stand_in)]
        position = end
    kept = range(position, len(text))
    pieces.append(text[position:])
    starts += kept
    ends += [i + 1 for i in kept]
    return BlindText("".join(pieces), np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))


def _stand_in(name: str, label: str, seen: dict[tuple[str, str], int]) -> str:
    """The stand-in of one name: the same for every mention of an actor (a person by surname) in a text."""
    if not label:
        return SIDE_WORDS[name.lower()]
    words = re.sub(r"^the\s+|['’]s$", "", name.strip(), flags=re.IGNORECASE).split()
    plural = label == "NORP" and name.endswith("s") and not name.endswith("ss")
    key = (words[-1] if label == "PERSON" and words else " ".join(words)).lower().removesuffix("s" if plural else "")
    index = seen.setdefault((label, key), sum(1 for t, _ in seen if t == label))
    choices = STAND_INS[label]
    return choices[index % len(choices)] + ("s" if plural else "")
