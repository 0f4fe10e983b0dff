"""Actor-blind text: the names of sides replaced by one neutral stand-in before a model reads the text.

A model trained on news learns which countries, peoples, religions and parties usually appear near loaded
words, and would then score "Russian puppets" and "American puppets" differently. Replacing every such
name (countries, demonyms, capitals and seats of government from the actor knowledge; religions, parties
and ideologies) with the same stand-in makes the model's output identical whichever side a text names,
by construction. Offsets found in the blinded text map back to the original text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from slant.knowledge import load_knowledge

NOUN, ADJECTIVE, PLURAL = "Ruritania", "Ruritanian", "Ruritanians"
#: Lower-case words that name a side in politics or religion; each maps to one stand-in of its own shape.
SIDE_WORDS = {
    "left-wing": "partisan",
    "right-wing": "partisan",
    "far-left": "partisan",
    "far-right": "partisan",
    "leftist": "partisan",
    "rightist": "partisan",
    "liberal": "partisan",
    "conservative": "partisan",
    "liberals": "partisans",
    "conservatives": "partisans",
    "leftists": "partisans",
    "rightists": "partisans",
    "church": "shrine",
    "mosque": "shrine",
    "synagogue": "shrine",
    "temple": "shrine",
    "churches": "shrines",
    "mosques": "shrines",
    "synagogues": "shrines",
    "temples": "shrines",
}
_DEMONYM_ENDINGS = ("an", "i", "ese", "ish", "ch", "ic", "ite")


class BlindText(NamedTuple):
    """A blinded text and, for each of its characters, the original offsets it stands for."""

    text: str
    starts: np.ndarray
    ends: np.ndarray

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the non-empty blinded span `[start, end)`; a stand-in maps to the whole name."""
        return int(self.starts[start]), int(self.ends[end - 1])


def blind(text: str) -> BlindText:
    """Replace the names of sides in `text` with neutral stand-ins, keeping a map back to `text`."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in _pattern().finditer(text):
        kept = range(position, match.start())
        pieces += [text[position : match.start()], stand_in := _stand_in(match.group(0))]
        starts += [*kept, *[match.start()] * len(stand_in)]
        ends += [*(i + 1 for i in kept), *[match.end()] * len(stand_in)]
        position = match.end()
    kept = range(position, len(text))
    pieces.append(text[position:])
    starts += kept
    ends += [i + 1 for i in kept]
    return BlindText("".join(pieces), np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Each side name as written -> its stand-in."""
    knowledge = load_knowledge()
    names: dict[str, str] = {}
    for name, country in knowledge.countries.items():
        adjective = name != country and name.endswith(_DEMONYM_ENDINGS) and " " not in name
        names[name] = ADJECTIVE if adjective else NOUN
        if adjective:
            names[name + "s"] = PLURAL
    for word in knowledge.group_words:
        capitalized = word.capitalize()
        names[capitalized] = ADJECTIVE
        names[capitalized + "s"] = PLURAL
    for actor in knowledge.actors.values():
        if actor.party:
            names[actor.name] = NOUN
    return names


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted({*_names(), *SIDE_WORDS}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def _stand_in(name: str) -> str:
    return _names().get(name) or SIDE_WORDS[name]
