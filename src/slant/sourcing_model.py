"""Runtime of the attribution head: word pieces tagged BIO as source, cue or content, grouped into attributions.

The head (a small network trained on PolNeAR over the shared encoder pass's states, `slant.train.sourcing`)
gives each word piece of a segment 7 logits: O and B-/I- of Source, Cue and Content. Runs of one role become
character spans; each content span joins the nearest cue of its paragraph, and each cue the nearest source
beside it. Only onnxruntime and numpy are needed here.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict

from slant.encoder import EncodedSegment, check_trained_over
from slant.techniques.model import cpu_session
from slant.techniques.spans import breaks, char_span

MODEL_DIR = Path(__file__).parent / "models" / "sourcing"
RETRAIN = "python -m slant.train.sourcing --data ../shared/data --out src/slant/models/sourcing"
ROLES = ("Source", "Cue", "Content")
LABELS = ("O", *(f"{p}-{r}" for r in ROLES for p in ("B", "I")))
_PARAGRAPH = re.compile(r"\n\s*\n")
#: An interview turn: a line opening with a speaker's name in capitals and a colon.
_TURN = re.compile(r"^[\"“]?(?P<source>[A-Z][A-Z.'’ -]{1,40}[A-Z])(?P<cue>:)\s", re.MULTILINE)
_DASHES = ("―", "—", "--", "–")
#: A quote signed on its own line: "“...” ― Veronica Cruz".
_SIGNED = re.compile(
    r"[\"”'’]\s*(?P<cue>―|—|--|–)\s*(?P<source>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})(?=[^\S\n]*(?:,|$))", re.MULTILINE
)
#: Parts of one content this many words apart or closer are joined.
MAX_GAP_WORDS = 3
_CLAUSE_END = re.compile(rf"(?:[ \t]+[\w'’-]+){{1,{MAX_GAP_WORDS}}}(?=[,.;:!?”\"])")


class TaggerParams(BaseModel):
    """What `params.json` holds besides the network: labels, the encoder it reads, the decoding choices made on dev."""

    model_config = ConfigDict(frozen=True)

    version: str
    labels: list[str]
    #: The shared encoder's `fingerprint()` and version when the head was trained over its states.
    encoder_sha256: str
    encoder_version: str
    #: Added to the O logit before the argmax: above 0 trades recall for precision.
    o_bias: float = 0.0
    #: Added to the Source logits before the argmax: above 0 marks sources more readily (the grammar then
    #: chooses among them).
    source_bias: float = 0.0
    #: A content span needs a cue within this many characters of the same paragraph.
    max_cue_distance: int = 300
    #: A source further than this from its cue is dropped.
    max_source_distance: int = 150
    #: Content spans shorter than this (characters) are dropped.
    min_content: int = 2


class Tagged(NamedTuple):
    """A tagged span: character offsets, role, and the mean probability of that role over its pieces."""

    start: int
    end: int
    role: str
    score: float


class TaggedAttribution(NamedTuple):
    """Content ranges (several when a cue splits a quote), the cue and the source span (None when absent)."""

    content: tuple[tuple[int, int], ...]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    score: float


def tagged_spans(
    text: str, offsets: np.ndarray, logits: np.ndarray, o_bias: float = 0.0, source_bias: float = 0.0
) -> list[Tagged]:
    """Runs of pieces of one role (a B- piece starts a new run), as character spans of `text` (`offsets`: each
    piece's characters)."""
    if len(offsets) == 0:
        return []
    shifted = logits.copy()
    shifted[:, 0] += o_bias
    shifted[:, 1:3] += source_bias
    exp = np.exp(shifted - shifted.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    best = probs.argmax(axis=1)
    spans: list[Tagged] = []
    first, role = 0, 0
    for i in range(len(best) + 1):
        label = int(best[i]) if i < len(best) else 0
        current = (label + 1) // 2  # 0: O, 1: Source, 2: Cue, 3: Content
        begins = label % 2 == 1
        if role and (current != role or begins):
            score = float(probs[first:i, 2 * role - 1 : 2 * role + 1].sum(axis=1).mean())
            start, end = char_span(text, offsets, first, i)
            # A source or cue stays within its paragraph; a content may run on ("... \n\n“More,” she said").
            pieces = [(start, end)] if role == 3 else _within_paragraphs(text, start, end)
            spans += [Tagged(a, b, ROLES[role - 1], score) for a, b in pieces if b > a]
            role = 0
        if current and not role:
            first, role = i, current
    return spans


def paragraph_breaks(text: str) -> list[tuple[int, int]]:
    """Where `text` has a blank line: `[start, end)` of each break between paragraphs."""
    return [m.span() for m in _PARAGRAPH.finditer(text)]


def _within_paragraphs(
    text: str, start: int, end: int, breaks: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The parts of `[start, end)` between paragraph `breaks` (all blank lines unless given), trimmed of
    surrounding whitespace."""
    parts, at = [], start
    within = [m.span() for m in _PARAGRAPH.finditer(text, start, end)] if breaks is None else breaks
    for brk_start, brk_end in within:
        if start <= brk_start and brk_end <= end:
            parts.append((at, brk_start))
            at = brk_end
    parts.append((at, end))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), a + len(text[a:b].rstrip())) for a, b in parts]


#: Whether two tagged spans are tied by the sentence's grammar (a content and its cue, a cue and its source).
Linked = Callable[[Tagged, Tagged], int]


def group(
    text: str,
    spans: Sequence[Tagged],
    params: TaggerParams,
    linked: Linked | None = None,
    breaks: Sequence[tuple[int, int]] | None = None,
) -> list[TaggedAttribution]:
    """Attributions from tagged spans: each content joins a cue in its paragraph, each cue a source within
    `max_source_distance`; contents sharing a cue form one attribution. Of the candidates, one the grammar
    ties to the span (`linked`: the cue that governs a content, the subject of a cue) is taken first, else
    the nearest. Paragraphs end at the `breaks` (all blank lines unless given: a page hard-wrapped with blank
    lines between the lines of a sentence has fewer)."""
    spans = [*spans, *_turns(text, spans)]
    breaks = paragraph_breaks(text) if breaks is None else breaks
    starts = [start for start, _ in breaks]
    by_paragraph: dict[tuple[int, str], list[Tagged]] = {}
    for span in spans:
        by_paragraph.setdefault((bisect.bisect_right(starts, span.start), span.role), []).append(span)

    def nearest(span: Tagged, role: str, limit: int) -> Tagged | None:
        candidates = [
            c
            for c in by_paragraph.get((bisect.bisect_right(starts, span.start), role), [])
            if _distance(c, span) <= limit
        ]
        if len(candidates) < 2:
            return candidates[0] if candidates else None
        return min(
            candidates,
            key=lambda c: (not _signs(text, span, c), -(linked(span, c) if linked else 0), _distance(c, span)),
            default=None,
        )

    by_cue: dict[Tagged, list[Tagged]] = {}
    for content in (s for s in spans if s.role == "Content"):
        # A content running over paragraphs: each paragraph's part takes that paragraph's cue, else the
        # cue of the part before ("“A.” \n\n “B,” she said" are two attributions; a quote's continuation one).
        cue = None
        for start, end in _within_paragraphs(text, content.start, content.end, breaks):
            part = content._replace(start=start, end=end)
            cue = nearest(part, "Cue", params.max_cue_distance) or cue
            if cue is not None and end > start:
                by_cue.setdefault(cue, []).append(part)
    markers = sorted(s.start for s in spans if s.role != "Content")
    found = []
    for cue, contents in by_cue.items():
        source = nearest(cue, "Source", params.max_source_distance)
        ranges = _merged(text, [(c.start, c.end) for c in sorted(contents)], markers, starts)
        ranges = [(a, _clause_end(text, b, markers)) for a, b in ranges]
        ranges = [(a, b) for a, b in ranges if b - a >= params.min_content]
        if not ranges:
            continue
        found.append(
            TaggedAttribution(
                tuple(ranges),
                (cue.start, cue.end),
                (source.start, source.end) if source else None,
                float(np.mean([c.score for c in contents]) * cue.score),
            )
        )
    return sorted(found, key=lambda a: a.content[0])


def _turns(text: str, spans: Sequence[Tagged]) -> list[Tagged]:
    """The speaker and colon of interview turns ("PENCE: Well, look, ..."), and the dash and name that sign a
    quote ("“...” ― Veronica Cruz"), where the tagger did not mark them."""
    found = []
    for m in itertools.chain(_TURN.finditer(text), _SIGNED.finditer(text)):
        for (start, end), role in ((m.span("source"), "Source"), (m.span("cue"), "Cue")):
            if not any(s.role == role and s.start < end and start < s.end for s in spans):
                found.append(Tagged(start, end, role, 1.0))
    return found


def _signs(text: str, content: Tagged, cue: Tagged) -> bool:
    """Whether the cue is the colon of a turn right before the content or the dash of a signature right after
    (or at its very end, where the tagger ran the content over the dash)."""
    mark = text[cue.start : cue.end]
    return (mark == ":" and 0 <= content.start - cue.end <= 3) or (
        mark in _DASHES and content.start < cue.start and -len(mark) <= cue.start - content.end <= 3
    )


def _merged(text: str, ranges: list[tuple[int, int]], markers: list[int], breaks: list[int]) -> list[tuple[int, int]]:
    """Ranges of one content joined across short gaps (a word or two the tagger missed) that hold no cue or
    source (`markers`: where they start) and no paragraph break (`breaks`: where they start); a cue between two
    parts ("“A,” she said, “B.”") keeps them apart."""
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged:
            gap = text[merged[-1][1] : start]
            marked = bisect.bisect_left(markers, merged[-1][1]) < bisect.bisect_left(markers, start)
            broken = bisect.bisect_left(breaks, merged[-1][1]) < bisect.bisect_left(breaks, start)
            if len(gap.split()) <= MAX_GAP_WORDS and not broken and not marked:
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return merged


def _clause_end(text: str, end: int, markers: list[int]) -> int:
    """The end of a content carried over the few untagged words (`MAX_GAP_WORDS`) that finish its clause before a
    comma or a stop ("The floods will| return, the agency said"), unless a cue or source starts among them."""
    match = _CLAUSE_END.match(text, end)
    if match is None or bisect.bisect_left(markers, end) < bisect.bisect_left(markers, match.end()):
        return end
    return match.end()


def _distance(a: Tagged, b: Tagged) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


#: Most word pieces the head reads in one run: whole lines up to this many, so that its memory stays bounded on
#: long texts (a news article, as in training, is read in one run).
HEAD_PIECES = 4096

#: A head's logits (pieces, 7) from one segment's encoder states (pieces, HIDDEN).
HeadRunner = Callable[[np.ndarray], np.ndarray]


def head_runner(path: Path, threads: int = 1) -> HeadRunner:
    """The ONNX head at `path` as a function of one segment's states (`cpu_session`)."""
    session = cpu_session(path, threads)

    def run(states: np.ndarray) -> np.ndarray:
        logits: np.ndarray = session.run(["logits"], {"states": states[None]})[0][0]
        return logits

    return run


def line_runs(text: str, offsets: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Consecutive pieces `[first, last)` covering all of them: as many whole lines of `text` as fit in `limit`
    pieces (a longer line is cut every `limit` pieces)."""
    ends = [*(np.flatnonzero(breaks(text, offsets, sentences=False)) + 1).tolist(), len(offsets)]
    runs: list[tuple[int, int]] = []
    first = last = 0
    for end in ends:
        if end - first > limit and last > first:
            runs.append((first, last))
            first = last
        while end - first > limit:
            runs.append((first, first + limit))
            first += limit
        last = end
    if last > first:
        runs.append((first, last))
    return runs


class SourcingModel:
    """The shipped head over the shared encoder pass and its parameters, loaded once.

    Raises:
        ModelMismatchError: the head was trained over another technique model than the shipped one.
    """

    def __init__(self, directory: Path = MODEL_DIR, *, threads: int = 1) -> None:
        self.params = TaggerParams.model_validate(json.loads((directory / "params.json").read_text(encoding="utf-8")))
        check_trained_over(self.params.model_dump(), "sourcing", RETRAIN)
        self._run = head_runner(directory / "head.onnx", threads)

    def tag(self, text: str, segment: EncodedSegment) -> list[Tagged]:
        """The tagged source, cue and content spans of a segment's `text`, from its encoder pass."""
        states = segment.tagged.states
        if len(states) == 0:
            return []
        runs = line_runs(segment.tagged.text, segment.tagged.encoded.offsets, HEAD_PIECES)
        logits = np.concatenate([self._run(states[first:last].astype(np.float32)) for first, last in runs])
        return tagged_spans(text, segment.piece_offsets(), logits, self.params.o_bias, self.params.source_bias)
