"""Actor-blind text: every mention of a named actor replaced by one stand-in, for the model.

A model trained on news learns which countries, peoples, parties and people usually appear near loaded
words, and would then score "Russian puppets" and "American puppets" differently. spaCy's NER finds the
named actors (people, peoples and groups, countries and places, organisations, parties and media) of a
document; every mention of each name, wherever the NER missed it, becomes the same stand-in, and political
and religious side words get stand-ins of their own. The stand-in is one word for every type and every
actor: the NER types a name differently from text to text, and numbered stand-ins would shift all later
numbers on one such difference, so a text and the same text with its sides swapped read identically unless
the NER misses a name everywhere. The technique model is trained on text masked the same way (and on copies
with their sides swapped). Offsets found in the blinded text map back to the original text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from typing import NamedTuple

import numpy as np

#: The spaCy entity labels of named actors: people, peoples and groups, countries, places, organisations.
ACTOR_LABELS = frozenset({"PERSON", "NORP", "GPE", "LOC", "ORG"})
#: The one stand-in of every named actor, whatever its type: the NER types the same kind of name differently
#: from text to text (a leader as a person or an organisation, a religion as a group or an organisation), so a
#: typed or numbered stand-in would tell two versions of a text apart where their names differ only.
STAND_IN = "Ruritania"
#: Lower-case words that name a side in politics or religion; each maps to one stand-in of its own shape.
SIDE_WORDS = {
    "left-wing": "partisan", "right-wing": "partisan", "far-left": "partisan", "far-right": "partisan",
    "leftist": "partisan", "rightist": "partisan", "liberal": "partisan", "conservative": "partisan",
    "liberals": "partisans", "conservatives": "partisans", "leftists": "partisans", "rightists": "partisans",
    "church": "shrine", "mosque": "shrine", "synagogue": "shrine", "temple": "shrine",
    "churches": "shrines", "mosques": "shrines", "synagogues": "shrines", "temples": "shrines",
}  # fmt: skip
_NAME_TRIM = re.compile(r"^[Tt]he\s+|['’]s$")
_JOINED = re.compile(r"\s+|['’]s\s+")
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
            [Actor(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ACTOR_LABELS]
            for doc in nlp.pipe(texts, batch_size=16)
        ]


def name_lexicons(texts: Sequence[str]) -> list[dict[str, str]]:
    """The `actor_names` lexicon of each text, from the names spaCy's NER finds in it (`named_actors`)."""
    return [actor_names(text, actors) for text, actors in zip(texts, named_actors(texts), strict=True)]


def actor_names(text: str, actors: Sequence[Actor]) -> dict[str, str]:
    """Each name the NER found in `text` (without "the" or a possessive; a person also by surname) and the label
    given to most of its mentions: the lexicon `blind` masks wherever the name occurs."""
    votes: dict[str, Counter[str]] = {}
    for actor in actors:
        name = _NAME_TRIM.sub("", text[actor.start : actor.end].strip())
        words = name.split()
        for key in dict.fromkeys([name, *([words[-1]] if actor.label == "PERSON" and len(words) > 1 else [])]):
            if sum(c.isalpha() for c in key) > 1 and any(c.isupper() for c in key):
                votes.setdefault(key, Counter())[actor.label] += 1
    return {name: counts.most_common(1)[0][0] for name, counts in votes.items()}


def mentions(text: str, names: Collection[str]) -> list[tuple[int, int, str]]:
    """Every whole-word mention of `names` in `text` (as written or in capitals): (start, end, name), longest first."""
    if not names:
        return []
    variants = {v: n for n in names for v in (n, n.upper())}
    pattern = r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(variants, key=len, reverse=True))) + r")(?!\w)"
    return [(m.start(), m.end(), variants[m.group()]) for m in re.finditer(pattern, text)]


def blind(text: str, names: Collection[str] | None = None) -> BlindText:
    """Replace every mention of the named actors `names` (found by NER in `text` unless given) and the side words
    of `text`, keeping a map back to it. Neighbouring stand-ins ("Russian Muslims", "Russia's Putin") become one,
    as the NER may read them as one name."""
    lexicon = name_lexicons([text])[0] if names is None else names
    replacements = [(start, end, STAND_IN) for start, end, _ in mentions(text, lexicon)]
    taken = [(start, end) for start, end, _ in replacements]
    for match in _SIDE_WORD.finditer(text.lower()):
        if not any(s < match.end() and match.start() < e for s, e in taken):
            replacements.append((match.start(), match.end(), SIDE_WORDS[match.group()]))
    merged: list[tuple[int, int, str]] = []
    for start, end, stand_in in sorted(replacements):
        if merged and stand_in == STAND_IN == merged[-1][2] and _JOINED.fullmatch(text[merged[-1][1] : start]):
            start = merged.pop()[0]
        merged.append((start, end, stand_in))
    return substitute(text, merged)


def substitute(text: str, replacements: Sequence[tuple[int, int, str]]) -> BlindText:
    """`text` with the sorted, disjoint `[start, end)` ranges replaced by their strings, and the map back to it."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for start, end, new in replacements:
        kept = range(position, start)
        pieces += [text[position:start], new]
        starts += [*kept, *[start] * len(new)]
        ends += [*(i + 1 for i in kept), *[end] * len(new)]
        position = end
    kept = range(position, len(text))
    pieces.append(text[position:])
    starts += kept
    ends += [i + 1 for i in kept]
    return BlindText("".join(pieces), np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))
