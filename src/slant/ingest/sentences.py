"""Sentence spans over scraped text that rejoin hard-wrapped lines, with offsets into the original text.

Scraped pages wrap sentences at a fixed width and sometimes put blank lines and indentation inside a
sentence. A break between lines ends a sentence only when the line ends in sentence punctuation, or
when a blank line separates them and the next line starts a new thought (capitalised, after a line
that does not end in a comma, hyphen or function word). Inside a line, a sentence ends at '.', '!' or
'?' (with closing quotes or brackets) followed by a capitalised word, unless the dot ends a common
abbreviation, an initial or a day before its month ("16. March"). Each row of a table is a sentence, and a
sentence that runs past `MAX_SENTENCE_CHARS` (a list without punctuation) ends at its next line break.
"""

from __future__ import annotations

import itertools
import re

_ABBREVIATIONS = frozenset(
    re.findall(
        r"\w+",
        "mr mrs ms dr prof gen col lt capt sgt maj gov sen rep st jr sr inc ltd co corp vs etc fig "
        "jan feb mar apr jun jul aug sep sept oct nov dec rev hon",
    )
)
_CONTINUING_WORDS = frozenset(
    re.findall(
        r"\w+",
        "a an the of in on at to for from by with and or but nor that which who whom whose as than "
        "into onto over under about after before between through during its his her their our my your",
    )
)
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_DAY_MONTH = re.compile(  # "16. March, 2023": a date, not a sentence end
    r"(?<!\d)\d{1,2}\.\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I
)
_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")
#: A sentence longer than this ends at its next line break.
MAX_SENTENCE_CHARS = 1_000


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans `(start, end)` over `text[start:end]`, stripped of surrounding whitespace.

    Example:
        >>> page = "The army took the\\n\\n  northern district. Fighting goes on.\\n"
        >>> [page[s:e] for s, e in split_sentences(page)]
        ['The army took the\\n\\n  northern district.', 'Fighting goes on.']
    """
    end = len(text) if end is None else end
    cuts = sorted(set(_punctuation_cuts(text, start, end)) | set(_line_cuts(text, start, end)))
    spans = []
    begin = start
    for cut in _bounded([start, *cuts, end], text):
        piece = text[begin:cut]
        if piece.strip():
            left = begin + len(piece) - len(piece.lstrip())
            spans.append((left, begin + len(piece.rstrip())))
        begin = cut
    return spans


def _bounded(cuts: list[int], text: str) -> list[int]:
    """The sentence ends given `cuts` (the range's start, its cuts, its end), with an end added at the first line
    break after every `MAX_SENTENCE_CHARS` characters of a longer sentence."""
    bounded = []
    for begin, cut in itertools.pairwise(cuts):
        while cut - begin > MAX_SENTENCE_CHARS and (line_end := text.find("\n", begin + MAX_SENTENCE_CHARS, cut)) >= 0:
            bounded.append(begin := line_end)
        bounded.append(cut)
    return bounded


def _punctuation_cuts(text: str, start: int, end: int) -> list[int]:
    cuts = []
    for match in _END.finditer(text, start, end):
        following = text[match.end() : match.end() + 200].lstrip()
        if not following or not (following[0].isupper() or following[0].isdigit() or following[0] in "\"“‘'("):
            continue
        if match.group().startswith(".") and _is_abbreviation(text, match.start(), start):
            continue
        if match.group() == "." and _DAY_MONTH.search(text, max(start, match.start() - 3), match.end() + 12):
            continue
        cuts.append(match.end())
    return cuts


def _line_cuts(text: str, start: int, end: int) -> list[int]:
    """Cuts at line breaks between table rows, and at those that end a line without punctuation and start a new
    thought after a blank line."""
    cuts = []
    for match in _BREAK.finditer(text, start, end):
        before = text[max(start, match.start() - 40) : match.start()].rstrip()
        if before.endswith("|") and text.startswith("|", match.end()):  # table rows ("| Aberconwy | Robin Millar |")
            cuts.append(match.start())
            continue
        if match.group().count("\n") < 2 or match.end() >= end:
            continue
        if not before or before.endswith((".", "!", "?", ",", ";", ":", "-", "–", "—")):
            continue
        last_word = re.findall(r"\w+", before.lower())
        if text[match.end() : match.end() + 1].isupper() and not (last_word and last_word[-1] in _CONTINUING_WORDS):
            cuts.append(match.start())
    return cuts


def _is_abbreviation(text: str, dot: int, start: int) -> bool:
    word = re.search(r"[\w.]+$", text[max(start, dot - 20) : dot])
    if word is None:
        return False
    token = word.group().lower().rstrip(".")
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or bool(re.fullmatch(r"(\w\.)+\w", token))
