"""slant's own word lists (loaded terms, group nouns, claim cues), actor aliases, and a phrase matcher for them.

The lists live in TOML files beside this module so they can be reviewed and extended without code edits;
see LICENSES.md for their terms and for VADER's.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from spacy.tokens import Doc, Span

from slant.knowledge import load_knowledge
from slant.nlp import english

V = TypeVar("V")


class LoadedTerm(NamedTuple):
    """One entry of the loaded-terms lexicon."""

    term: str
    polarity: str  # "positive" | "negative"
    category: str


class ClaimCues(NamedTuple):
    """The cue lists of the claims analyzer, each as a phrase matcher."""

    casualty: PhraseIndex[str]
    causal: PhraseIndex[str]
    hedge: PhraseIndex[str]
    attribution: PhraseIndex[str]
    comparison: PhraseIndex[str]


class PhraseIndex(Generic[V]):
    """Finds lexicon phrases in a parsed text, each word matching a token's lower-case form or its lemma.

    Example:
        >>> index = PhraseIndex({"puppet master": "negative"})
        >>> [(m.text, v) for m, v in index.find(english()("its puppet masters"))]
        [('puppet masters', 'negative')]
    """

    def __init__(self, phrases: Mapping[str, V]) -> None:
        tokenizer = english().tokenizer
        by_first: dict[str, list[tuple[tuple[str, ...], V]]] = {}
        for phrase, value in phrases.items():
            words = tuple(t.lower_ for t in tokenizer(phrase))
            by_first.setdefault(words[0], []).append((words, value))
        #: first word -> the phrases starting with it, longest first (in insertion order among equals).
        self._by_first = {first: sorted(entries, key=lambda e: -len(e[0])) for first, entries in by_first.items()}

    def find(self, doc: Doc | Span) -> Iterator[tuple[Span, V]]:
        """The longest non-overlapping matches, left to right (a phrase found through a token's lower-case
        form before one of the same length found through its lemma)."""
        whole, offset = (doc, 0) if isinstance(doc, Doc) else (doc.doc, doc.start)
        forms = [(t.lower_, t.lemma_.lower()) for t in doc]
        i = 0
        while i < len(forms):
            match = self._longest_at(forms, i)
            if match is None:
                i += 1
                continue
            length, value = match
            yield whole[offset + i : offset + i + length], value
            i += length

    def contains(self, doc: Doc | Span) -> bool:
        """Whether any phrase occurs."""
        return next(self.find(doc), None) is not None

    def _longest_at(self, forms: list[tuple[str, str]], i: int) -> tuple[int, V] | None:
        lower, lemma = forms[i]
        by_lower, by_lemma = self._by_first.get(lower), self._by_first.get(lemma)
        if by_lower is None and by_lemma is None:
            return None
        candidates = sorted((by_lower or []) + (by_lemma or []), key=lambda e: -len(e[0]))
        for words, value in candidates:
            if i + len(words) <= len(forms) and all(word in forms[i + k] for k, word in enumerate(words)):
                return len(words), value
        return None


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def loaded_terms() -> tuple[LoadedTerm, ...]:
    """Every entry of `loaded_terms.toml`."""
    categories = _read("loaded_terms.toml")["categories"]
    return tuple(
        LoadedTerm(term, entry["polarity"], category)
        for category, entry in categories.items()
        for term in entry["terms"]
    )


@cache
def loaded_term_index() -> PhraseIndex[LoadedTerm]:
    """A matcher for the loaded terms."""
    return PhraseIndex({entry.term: entry for entry in loaded_terms()})


@lru_cache(maxsize=8)
def actor_aliases(actors_file: Path | None = None) -> dict[str, str]:
    """Lower-case name, alias, demonym or capital -> canonical actor name, from the shared actor knowledge."""
    knowledge = load_knowledge(actors_file)
    return {alias.lower(): name for table in (knowledge.countries, knowledge.aliases) for alias, name in table.items()}


@cache
def group_nouns() -> frozenset[str]:
    """Lemmas of common nouns that name an actor ("rebels", "the government")."""
    return frozenset(_read("groups.toml")["group_nouns"])


@cache
def claim_cues() -> ClaimCues:
    """The claims analyzer's cue lists as phrase matchers."""
    table = _read("claims.toml")
    return ClaimCues(*(PhraseIndex(_identity(table[field])) for field in ClaimCues._fields))


def _identity(words: Iterable[str]) -> dict[str, str]:
    return {word: word for word in words}
