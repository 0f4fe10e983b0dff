"""The shared encoder pass: the technique model's MiniLM over each title, body and comment segment, once.

The technique model reads actor-blind text (every mention of each name that the shared parse's NER finds
anywhere in the document becomes one stand-in, `slant.techniques.actor_blind`); one pass per segment gives,
for each word piece, the tagger logits and the encoder's hidden states. The techniques analyzer decodes its
spans from that pass and the claims analyzer pools its states over each sentence, so one pass serves both
(as one parse serves all).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from typing import NamedTuple

import numpy as np

from slant.errors import ModelMismatchError
from slant.model import Document
from slant.parse import PARSED_KINDS, ParsedSentence
from slant.techniques.actor_blind import ACTOR_LABELS, Actor, BlindText, actor_names, blind
from slant.techniques.model import MODEL_DIR, Tagged, TechniqueModel

#: The ONNX file whose pass is shared; heads trained over it store its `fingerprint()`.
ENCODER_FILE = MODEL_DIR / "model.onnx"
HIDDEN = 384  # the size of its hidden states


class EncodedSegment(NamedTuple):
    """One segment's actor-blind text and the technique model's pass over it (offsets relative to the segment)."""

    blinded: BlindText
    tagged: Tagged

    def piece_offsets(self) -> np.ndarray:
        """Each word piece's characters in the segment's own text (the pieces of a stand-in cover the whole name
        it replaces), shape (n, 2)."""
        offsets = self.tagged.encoded.offsets
        if len(offsets) == 0:
            return offsets
        return np.stack([self.blinded.starts[offsets[:, 0]], self.blinded.ends[offsets[:, 1] - 1]], axis=1)

    def pooled(self, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """The mean hidden state of the word pieces covering each of the segment's character spans `[start, end)`
        (the nearest piece when none does), shape (len(spans), HIDDEN); zeros for a segment without pieces."""
        states, offsets = self.tagged.states, self.tagged.encoded.offsets
        if len(states) == 0:
            return np.zeros((len(spans), HIDDEN), dtype=np.float32)
        starts, ends = np.asarray(spans, dtype=np.int64).reshape(-1, 2).T
        blind_starts = np.searchsorted(self.blinded.ends, starts, side="right")
        blind_ends = np.searchsorted(self.blinded.starts, ends)
        first = np.searchsorted(offsets[:, 1], blind_starts, side="right")  # pieces are in text order
        last = np.searchsorted(offsets[:, 0], blind_ends)
        nearest = np.minimum(np.searchsorted(offsets[:, 0], blind_starts), len(offsets) - 1)
        empty = last <= first
        first, last = np.where(empty, nearest, first), np.where(empty, nearest + 1, last)
        return np.stack([states[a:b].mean(0) for a, b in zip(first.tolist(), last.tolist(), strict=True)])


@cache
def technique_model(threads: int) -> TechniqueModel:
    """The shipped technique model, loaded once per process and thread count."""
    return TechniqueModel(threads=threads)


@cache
def fingerprint() -> str:
    """The sha256 of the shared encoder's ONNX file: a head over its states holds the one it was trained on."""
    return hashlib.sha256(ENCODER_FILE.read_bytes()).hexdigest()


def check_trained_over(params: Mapping[str, object], name: str, retrain: str) -> None:
    """Fail unless a head's `params` name the shipped encoder's `fingerprint()` as the one it was trained over.

    Raises:
        ModelMismatchError: the technique model changed since the head was trained (the message says how to
            retrain it: `retrain`).
    """
    if params.get("encoder_sha256") != fingerprint():
        raise ModelMismatchError(
            f"the {name} model was trained over another technique model than the shipped one; retrain it: {retrain}"
        )


def encode_documents(
    documents: Sequence[Document], parses: Sequence[Sequence[ParsedSentence]], model: TechniqueModel
) -> list[dict[int, EncodedSegment]]:
    """Each document's title, body and comment segments (by start offset) through the technique model's encoder.

    The segments of the whole batch go through one session; windows never cross a segment boundary.
    """
    parts = [(d, s) for d, document in enumerate(documents) for s in document.segments_of(*PARSED_KINDS)]
    names = [actor_names(document.text, _actors(parsed)) for document, parsed in zip(documents, parses, strict=True)]
    blinded = [blind(documents[d].segment_text(s), names[d]) for d, s in parts]
    encoded: list[dict[int, EncodedSegment]] = [{} for _ in documents]
    for (d, segment), text, tagged in zip(parts, blinded, model.tag([b.text for b in blinded]), strict=True):
        encoded[d][segment.start] = EncodedSegment(text, tagged)
    return encoded


def _actors(sentences: Sequence[ParsedSentence]) -> list[Actor]:
    """The named actors the shared parse's NER found in a document's sentences (document offsets)."""
    return [
        Actor(p.start + e.start_char, p.start + e.end_char, e.label_)
        for p in sentences
        for e in p.doc.ents
        if e.label_ in ACTOR_LABELS
    ]
