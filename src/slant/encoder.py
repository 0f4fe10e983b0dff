"""The shared encoder pass: the technique model's MiniLM over each title, body and comment segment, once.

The technique model reads actor-blind text (every mention of each name that the shared parse's NER finds
anywhere in the document becomes one stand-in, `slant.techniques.actor_blind`); one pass per segment gives,
for each word piece, the tagger logits and the encoder's hidden states. The techniques analyzer decodes its
spans from that pass and the claims analyzer pools its states over each sentence, so one pass serves both
(as one parse serves all).
"""

from __future__ import annotations

import ctypes
import hashlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cache
from typing import NamedTuple

import numpy as np

from slant.errors import ModelMismatchError
from slant.model import Document
from slant.parse import PARSED_KINDS, ParsedSentence
from slant.techniques.actor_blind import ACTOR_LABELS, Actor, BlindText, actor_names, blind
from slant.techniques.model import MODEL_DIR, N_TAGS, Encoded, Tagged, TechniqueModel

#: The ONNX file whose pass is shared; heads trained over it store its `fingerprint()`.
ENCODER_FILE = MODEL_DIR / "model.onnx"
HIDDEN = 384  # the size of its hidden states
WIDTH = N_TAGS + HIDDEN  # its outputs per word piece: tagger logits, then hidden states


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
    """Each document's title, body and comment segments (by start offset) through the technique model's encoder,
    blinded with the names the parse's NER found.

    The lines of the whole batch run together; windows never cross a segment boundary.
    """
    passes = LinePasses(model)
    blinded = [
        blind_segments(d, lexicon) for d, lexicon in zip(documents, actor_lexicons(documents, parses), strict=True)
    ]
    passes.run_lines(text.text for own in blinded for text in own.values())
    return [encoded(own, passes) for own in blinded]


def encode_document(document: Document, lexicon: Collection[str], passes: LinePasses) -> dict[int, EncodedSegment]:
    """`encode_documents` of one document, given its `actor_lexicons` and the passes of lines run so far."""
    return encoded(blind_segments(document, lexicon), passes)


def actor_lexicons(documents: Sequence[Document], parses: Sequence[Sequence[ParsedSentence]]) -> list[dict[str, str]]:
    """The names each document is blinded with (`actor_names` of the actors its parse's NER found)."""
    return [actor_names(document.text, actors(parsed)) for document, parsed in zip(documents, parses, strict=True)]


def blind_segments(document: Document, lexicon: Collection[str]) -> dict[int, BlindText]:
    """A document's title, body and comment segments (by start offset), blinded with the names `lexicon`."""
    return {s.start: blind(document.segment_text(s), lexicon) for s in document.segments_of(*PARSED_KINDS)}


def encoded(blinded: Mapping[int, BlindText], passes: LinePasses) -> dict[int, EncodedSegment]:
    """Blinded segments (by start offset) and the encoder's pass over each."""
    tagged = passes.tag([text.text for text in blinded.values()])
    return {start: EncodedSegment(text, t) for (start, text), t in zip(blinded.items(), tagged, strict=True)}


class LinePasses:
    """The technique model's pass over blinded texts, run line by line and put together.

    A window never crosses a line break and word pieces never hold one, so a text's pass is its lines' passes end
    to end. Lines can be run ahead (`run_lines`: the pipeline runs those of text blinded with the names found so
    far while the parse goes on); `tag` then runs only the lines not run yet, each distinct line once.
    """

    def __init__(self, model: TechniqueModel, streams: Callable[[], int | None] = lambda: None) -> None:
        self._model = model
        self._streams = streams  # asked before each run: the model's runs at once then (its threads when None)
        self._lines: dict[str, Tagged] = {}

    def run_lines(self, texts: Iterable[str]) -> None:
        """Run the lines of `texts` that were not run yet, in runs of about `RUN_CHARS` characters (each asks how
        many streams it may use, so a long part takes up a freed core as soon as the parse frees it)."""
        new = list(dict.fromkeys(line for text in texts for line in text.split("\n") if line not in self._lines))
        first = chars = 0
        for last, line in enumerate(new, 1):
            chars += len(line)
            if chars >= RUN_CHARS or last == len(new):
                run = new[first:last]
                self._lines.update(zip(run, self._model.tag(run, self._streams()), strict=True))
                first, chars = last, 0

    def tag(self, texts: Sequence[str]) -> list[Tagged]:
        """`TechniqueModel.tag(texts)` (the same arrays), from the lines run so far and the others; each line of
        `texts` is forgotten once used (so a long text's pieces are not held twice)."""
        self.run_lines(texts)
        lines = [text.split("\n") for text in texts]
        uses = Counter(line for own in lines for line in own)
        tagged = []
        freed = 0
        for text, own in zip(texts, lines, strict=True):
            outputs = np.empty((sum(len(self._lines[line].encoded.ids) for line in own), WIDTH), dtype=np.float32)
            ids, offsets = [], []
            first = start = 0
            for line in own:
                uses[line] -= 1
                done = self._lines.pop(line) if uses[line] == 0 else self._lines[line]
                last = first + len(done.encoded.ids)
                freed += done.states.nbytes if uses[line] == 0 else 0
                if freed > RELEASE_BYTES:
                    release_freed_memory()
                    freed = 0
                if last > first:  # (a run of lines without pieces has outputs of no width)
                    outputs[first:last, :N_TAGS], outputs[first:last, N_TAGS:] = done.logits, done.states
                ids.append(done.encoded.ids)
                offsets.append(done.encoded.offsets + start)
                first, start = last, start + len(line) + 1
            pieces = Encoded(np.concatenate(ids), np.concatenate(offsets))
            tagged.append(Tagged(text, pieces, outputs[:, :N_TAGS], outputs[:, N_TAGS:]))
        if freed:
            release_freed_memory()
        return tagged


#: Characters of lines `LinePasses.run_lines` runs at a time.
RUN_CHARS = 4_000
#: Bytes of line outputs a long text's `LinePasses.tag` frees between two `release_freed_memory` calls.
RELEASE_BYTES = 64 << 20


def release_freed_memory() -> None:
    """Hand the memory freed so far back to the system where the C library can (glibc's `malloc_trim`).

    The many small arrays of a long text's lines, run while its parse went on, lie between the parse's objects,
    where the freed space would stay with the process (and count in its memory) beside the text's whole pass.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def actors(sentences: Iterable[ParsedSentence]) -> list[Actor]:
    """The named actors the shared parse's NER found in a document's sentences (document offsets)."""
    return [
        Actor(p.start + e.start_char, p.start + e.end_char, e.label_)
        for p in sentences
        for e in p.doc.ents
        if e.label_ in ACTOR_LABELS
    ]
