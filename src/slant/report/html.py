"""HTML view of a report: one self-contained page with the article's technique spans highlighted.

The page is built from a jinja2 template with autoescaping on, so every character that came from the
article is escaped; its only script and style are slant's own, allowed by hash in a strict
Content-Security-Policy, so nothing from the input can run or load anything.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import pairwise
from typing import Any, Literal

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from slant.model import ClaimFinding, Finding, Report, Segment, SegmentKind
from slant.report.excerpt import excerpt
from slant.techniques import DEFINITIONS, TECHNIQUES

TECHNIQUES_ANALYZER = "techniques"
#: How many distinct highlight colours the stylesheet defines (classes c0 .. c13).
PALETTE_SIZE = 14
_MAX_REPLY_DEPTH = 4


@dataclass(frozen=True)
class Mark:
    """One finding as the page shows it: a technique highlight, or an underline of another analyzer's layer."""

    id: str
    label: str
    name: str
    definition: str
    score: float
    color: int
    start: int
    end: int
    layer: str = TECHNIQUES_ANALYZER


@dataclass(frozen=True)
class Piece:
    """A run of article text, or the opening or closing of a highlight around the runs it contains."""

    kind: Literal["text", "open", "close"]
    text: str = ""
    mark: Mark | None = None
    first: bool = False


@dataclass(frozen=True)
class Block:
    """One segment of the page (or a stretch of text no segment covers) with its highlights."""

    kind: str
    pieces: list[Piece]
    author: str | None = None
    posted: str | None = None
    stance: str | None = None
    stance_score: float | None = None
    depth: int = 0


@dataclass(frozen=True)
class Bar:
    """One row of the technique bar chart."""

    name: str
    count: int
    color: int
    width: float


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and JS, no external resources)."""
    css, script = _asset("report.css"), _asset("report.js")
    marks = _marks(report)
    underlines = _underlines(report)
    start_score = report.summary.techniques.display_threshold if report.summary.techniques else 0.0
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        meta=report.metadata,
        csp=_content_security_policy(css, script),
        css=Markup(css),
        script=Markup(script),
        blocks=_blocks(report, [*marks, *underlines]),
        n_marks=len(marks),
        start_score=start_score,
        n_shown=len({m.id for m in marks if m.score >= start_score}),
        layers=Counter(u.layer for u in underlines),
        bars=_bars(report, marks),
        techniques=report.summary.techniques,
        verdict=_verdict(report, marks),
        sourcing=report.summary.sourcing,
        actors=report.summary.framing.actors if report.summary.framing else [],
        claims=_claims(report),
        claims_summary=report.summary.claims,
        comments=report.summary.comments,
    )


def display_name(technique: str) -> str:
    """A technique label as a reader sees it: 'Name_Calling,Labeling' -> 'Name Calling, Labeling'."""
    return technique.replace("_", " ").replace(",", ", ")


def color_of(technique: str) -> int:
    """The palette index of a technique: its label index, or a stable hash for labels outside the 14."""
    if technique in TECHNIQUES:
        return TECHNIQUES.index(technique) % PALETTE_SIZE
    return zlib.crc32(technique.encode()) % PALETTE_SIZE


def pieces(text: str, start: int, end: int, marks: Sequence[Mark], opened: set[str] | None = None) -> list[Piece]:
    """The text `[start, end)` as properly nested highlight openings, closings and text runs.

    A boundary sweep: between consecutive span boundaries the set of covering marks is constant; marks
    are kept nested outermost-first, and a mark that crosses the end of an inner one is closed and
    reopened, so overlapping findings become several fragments of one mark. `opened` collects the ids
    already opened (pass one set for all blocks of a page) so only a mark's first fragment is `first`.
    """
    inside = sorted((m for m in marks if m.start < end and m.end > start), key=lambda m: (m.start, -m.end, m.id))
    bounds = sorted({start, end} | {max(m.start, start) for m in inside} | {min(m.end, end) for m in inside})
    result: list[Piece] = []
    stack: list[Mark] = []
    opened = set() if opened is None else opened
    for left, right in pairwise(bounds):
        wanted = [m for m in inside if m.start <= left and m.end >= right]
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        result += [Piece("close", mark=m) for m in reversed(stack[keep:])]
        for mark in wanted[keep:]:
            result.append(Piece("open", mark=mark, first=mark.id not in opened))
            opened.add(mark.id)
        stack = wanted
        result.append(Piece("text", text=text[left:right]))
    result += [Piece("close", mark=m) for m in reversed(stack)]
    return result


def _marks(report: Report) -> list[Mark]:
    return [
        Mark(
            id=f"t{i}",
            label=f.label,
            name=display_name(f.label),
            definition=DEFINITIONS.get(f.label, ""),
            score=f.score,
            color=color_of(f.label),
            start=f.start,
            end=min(f.end, len(report.text)),
        )
        for i, f in enumerate(report.findings_of(TECHNIQUES_ANALYZER))
    ]


def _underlines(report: Report) -> list[Mark]:
    """The other analyzers' findings (sources, claims, framing), shown as underlines the reader can toggle."""
    others = [f for f in report.findings if f.analyzer != TECHNIQUES_ANALYZER]
    return [
        Mark(
            id=f"u{i}",
            label=f.label,
            name=_underline_name(f),
            definition="",
            score=f.score,
            color=0,
            start=f.start,
            end=min(f.end, len(report.text)),
            layer=f.analyzer,
        )
        for i, f in enumerate(others)
    ]


def _underline_name(finding: Finding) -> str:
    """'sourcing: military (the ministry)': the layer, the label, and who it is about when known."""
    about = finding.attributes.subject()
    name = f"{finding.analyzer}: {display_name(finding.label)}"
    return f"{name} ({about})" if about else name


def _blocks(report: Report, marks: Sequence[Mark]) -> list[Block]:
    """Every segment in text order, plus any uncovered stretch holding more than whitespace.

    A report without segmentation (e.g. read from a corpus) is shown as one body.
    """
    text = report.text
    if not report.segments:
        return [Block(SegmentKind.BODY.value, pieces(text, 0, len(text), marks))]
    segments = sorted(report.segments, key=lambda s: (s.start, s.end))
    blocks: list[Block] = []
    opened: set[str] = set()
    position = 0
    for segment in segments:
        if text[position : segment.start].strip():
            blocks.append(_uncovered(text, position, segment.start, marks, opened))
        if segment.start < position:  # overlapping segments: show each character once
            segment = segment.model_copy(update={"start": min(position, segment.end)})
        blocks.append(_block(report, segment, marks, opened))
        position = max(position, segment.end)
    if text[position:].strip():
        blocks.append(_uncovered(text, position, len(text), marks, opened))
    return blocks


def _uncovered(text: str, start: int, end: int, marks: Sequence[Mark], opened: set[str]) -> Block:
    """Text between segments, without its surrounding blank lines."""
    stretch = text[start:end]
    start, end = start + len(stretch) - len(stretch.lstrip()), end - (len(stretch) - len(stretch.rstrip()))
    return Block("unsegmented", pieces(text, start, end, marks, opened))


def _block(report: Report, segment: Segment, marks: Sequence[Mark], opened: set[str]) -> Block:
    return Block(
        kind=segment.kind.value,
        pieces=pieces(report.text, segment.start, segment.end, marks, opened),
        author=segment.author,
        posted=segment.posted,
        stance=segment.stance.value if segment.stance else None,
        stance_score=segment.stance_score,
        depth=_reply_depth(report.segments, segment),
    )


def _reply_depth(segments: Sequence[Segment], segment: Segment) -> int:
    depth, parent = 0, segment.parent
    while parent is not None and 0 <= parent < len(segments) and depth < _MAX_REPLY_DEPTH:
        depth, parent = depth + 1, segments[parent].parent
    return depth


def _bars(report: Report, marks: Sequence[Mark]) -> list[Bar]:
    """Technique counts for the bar chart: the article summary's, or the highlighted findings'."""
    section = report.summary.techniques
    counts = section.counts if section else Counter(m.label for m in marks)
    rows = sorted(((k, v) for k, v in counts.items() if v > 0), key=lambda r: -r[1])
    top = max((count for _, count in rows), default=1)
    return [Bar(display_name(t), count, color_of(t), round(100 * count / top, 1)) for t, count in rows]


def _verdict(report: Report, marks: Sequence[Mark]) -> dict[str, Any]:
    """The verdict with each reason's evidence quoted (and linked to its highlight when shown)."""
    verdict = report.summary.verdict
    if verdict is None:
        return {}
    anchors = {(m.label, m.start, m.end): m.id for m in marks}
    reasons = [
        {
            "text": reason.text,
            "evidence": [
                {
                    "quote": excerpt(report, item, 80),
                    "label": item.label,
                    "anchor": anchors.get((item.label, item.start, item.end))
                    if item.analyzer == TECHNIQUES_ANALYZER
                    else None,
                }
                for item in reason.evidence
                if item.end <= len(report.text)
            ],
        }
        for reason in verdict.reasons
    ]
    return {"level": verdict.level, "score": verdict.score, "reasons": reasons}


def _claims(report: Report) -> list[dict[str, Any]]:
    """The claims findings: the words, the score, and tags for their type, source and hedging."""
    claims = report.findings_of(ClaimFinding)
    return [{"quote": excerpt(report, f, 160), "score": f.score, "tags": _claim_tags(f)} for f in claims]


def _claim_tags(claim: ClaimFinding) -> list[str]:
    attributes = claim.attributes
    tags = [attributes.type]
    if attributes.attributed:
        tags.append(f"source: {attributes.source}" if attributes.source else "attributed")
    else:
        tags.append("unattributed")
    if attributes.hedged:
        tags.append("hedged")
    return tags


def _content_security_policy(css: str, script: str) -> str:
    """Allow only slant's own inline style and script (by hash); no network, no forms, no frames."""
    return (
        f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(script)}'; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def _sha256(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


@cache
def _asset(name: str) -> str:
    return (files("slant.report") / "templates" / name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("slant.report", "templates"), autoescape=True)
    env.filters["display_name"] = display_name
    return env
