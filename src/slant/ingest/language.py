"""A cheap language check: slant's models are trained on English news."""

import re

from slant.errors import UnsupportedLanguageError
from slant.model import ARTICLE_KINDS, Document

_ENGLISH_FUNCTION_WORDS = frozenset(
    re.findall(
        r"\w+",
        "the of and to a in is that for it on was with as by at be this are from or have an has not but were "
        "his her they their which who will would been had its he she we you said",
    )
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def english_share(text: str) -> float:
    """The share of words in `text` that are common English function words (about 0.35-0.5 for English)."""
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    return sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / len(words)


def looks_english(text: str, *, threshold: float = 0.12) -> bool:
    """Whether `text` reads as English prose."""
    return english_share(text) >= threshold


def check_article(document: Document) -> Document:
    """The document, once its title and body (or its whole text) read as English.

    Raises:
        UnsupportedLanguageError: they do not.
    """
    prose = " ".join(document.segment_text(s) for s in document.segments_of(*ARTICLE_KINDS))
    if not looks_english(prose or document.text):
        where = document.metadata.source or "the input"
        raise UnsupportedLanguageError(f"{where} does not look like English; slant's models analyze English news only")
    return document
