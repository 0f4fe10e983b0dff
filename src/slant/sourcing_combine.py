"""Draft (moves into analyzers/sourcing.py after the typed contract): tagger spans resolved by the parse rules."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from slant.analyzers.sourcing import (
    PENALTY_RESOLVED,
    PENALTY_UNRESOLVED,
    Attribution,
    Source,
    _chain,
    _Mentions,
    _source,
)
from slant.knowledge import Knowledge
from slant.sourcing_model import TaggedAttribution

#: "WASHINGTON (AP) —", "By Jane Doe": a paragraph's opening that is never a speaker.
_DATELINE = re.compile(r"(?:[A-Z][A-Z .,'-]+(?:\([A-Za-z ]+\))?\s*[—–―-]|[Bb]y\s)")
_QUOTE_MARKS = "“”\"‘’'"
_SPEAKER_WORDS = re.compile(r"\w")


def not_a_speaker(doc: Doc, tokens: Sequence[Token]) -> bool:
    """Datelines, bylines, places and bare punctuation are never speakers."""
    start = tokens[0].idx
    text = doc.text
    line_start = text.rfind("\n", 0, start) + 1
    if _DATELINE.match(text, line_start) and start < _DATELINE.match(text, line_start).end():  # type: ignore[union-attr]
        return True
    words = [t for t in tokens if not (t.is_punct or t.is_space or t.pos_ == "DET")]
    if not words or not _SPEAKER_WORDS.search("".join(t.text for t in words)):
        return True
    return all(t.ent_type_ in ("GPE", "LOC", "FAC") for t in words)


def _unnamed(at: int) -> Source:
    return Source("", "unnamed", "anonymous", None, at, at, resolution="unresolved")


def tagged_attributions(doc: Doc, found: Sequence[TaggedAttribution], knowledge: Knowledge) -> list[Attribution]:
    """Attributions from the tagger's spans over one parsed segment, in text order: speakers resolved by the
    parse rules (knowledge, pronouns, "the ministry", citing chains); one attribution per content range."""
    mentions = _Mentions()
    entities = [e for e in doc.ents if e.label_ in ("PERSON", "ORG")]
    next_entity = 0
    out: list[Attribution] = []
    for tagged in sorted(found, key=lambda a: min(a.content[0][0], *(a.source or a.cue or (0, 0)))):
        anchor = tagged.source[0] if tagged.source else tagged.content[0][0]
        while next_entity < len(entities) and entities[next_entity].end_char <= anchor:
            entity = entities[next_entity]
            bisect.insort(mentions.entities, _source(entity, knowledge, mentions), key=lambda s: s.end)
            next_entity += 1
        source, chain = _unnamed(tagged.cue[0] if tagged.cue else anchor), ()
        speaker = doc.char_span(*tagged.source, alignment_mode="expand") if tagged.source else None
        if speaker is not None and len(speaker) and not not_a_speaker(doc, list(speaker)):
            source = _source(list(speaker), knowledge, mentions)
            cue = doc.char_span(*tagged.cue, alignment_mode="expand") if tagged.cue else None
            cited, _ = _chain([*(cue or ()), speaker.root], knowledge, mentions)
            if cited:
                chain = (source, *cited)
                source = cited[-1]
            bisect.insort(mentions.speakers, source, key=lambda s: s.end)
        penalty = {"named": 0.0, "referred": PENALTY_RESOLVED, "unresolved": PENALTY_UNRESOLVED}[source.resolution]
        cue_text = doc.text[slice(*tagged.cue)] if tagged.cue else ""
        for start, end in tagged.content:
            direct = doc.text[max(0, start - 1) : start + 1].strip()[:1] in _QUOTE_MARKS and bool(
                set(doc.text[end - 1 : end + 2]) & set(_QUOTE_MARKS)
            )
            attribution = Attribution(start, end, cue_text, source, direct, round(tagged.score - penalty, 2), chain)
            out.append(replace(attribution))
    return sorted(out, key=lambda a: (a.start, a.end))
