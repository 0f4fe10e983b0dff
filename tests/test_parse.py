"""The shared parse: what every parse-reading analyzer sees stays exactly what it was when the parse was made fast.

`fixtures/parse/expected.json` holds, for the demo page and a few PTC dev articles, their segments, a digest of
every parsed sentence (each token's text, offset, tag, POS, morphology, dependency, head, lemma, entity and
sentence start), and the claims and framing findings (in full for the demo page, as digests for PTC: no
third-party text is stored). Its parse digests were first written by the slower parse this one replaced (commit
9161ad3) and matched unchanged when it was last rewritten (claims head retrained over the
even-handed technique model), with

    PYTHONPATH=<checkout>/src python3 tests/test_parse.py --write

and is rewritten the same way only when a change of the parse or of those analyzers is meant to change them.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from slant.analyzers import run_alone
from slant.analyzers.claims import ClaimsAnalyzer
from slant.analyzers.framing import FramingAnalyzer
from slant.ingest import document_from_text
from slant.lexicons import actor_aliases
from slant.model import Document, Report, Segment
from slant.options import AnalysisOptions
from slant.parse import ParsedSentence, parse_documents, proper_names, sentence_case

EXPECTED = Path(__file__).parent / "fixtures" / "parse" / "expected.json"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
#: PTC dev articles whose parse and findings are pinned (a mix of lengths, with titles in Title Case).
PTC_ARTICLES = ("781672902", "776126299", "999001323", "789753303", "999000878", "730081389")


def demo_text() -> str:
    """The demo page shipped with slant."""
    return files("slant").joinpath("examples/demo-page.txt").read_text(encoding="utf-8")


def ptc_texts(data: Path) -> list[str]:
    """The pinned PTC dev articles."""
    folder = data / "ptc-semeval2020" / "dev-articles"
    return [(folder / f"article{i}.txt").read_text(encoding="utf-8") for i in PTC_ARTICLES]


def documents(texts: Sequence[str], segments: Sequence[Sequence[list[Any]]] | None) -> list[Document]:
    """The texts segmented as stored in the fixture (so that a change of segmentation does not show here),
    or by slant's segmenter when writing the fixture."""
    if segments is None:
        return [document_from_text(text) for text in texts]
    return [
        Document(text=text, segments=tuple(Segment(kind=kind, start=start, end=end) for kind, start, end in own))
        for text, own in zip(texts, segments, strict=True)
    ]


def sentence_digest(parsed: ParsedSentence) -> list[Any]:
    """The sentence's offset, kind and a digest of every token annotation an analyzer can read."""
    tokens = [
        (
            t.text,
            t.idx,
            t.tag_,
            t.pos_,
            str(t.morph),
            t.dep_,
            t.head.i,
            t.lemma_,
            t.ent_iob_,
            t.ent_type_,
            t.is_sent_start,
        )  # fmt: skip
        for t in parsed.doc
    ]
    return [parsed.start, parsed.segment.kind.value, _digest(tokens)]


def findings(reports: Sequence[Report]) -> list[list[dict[str, Any]]]:
    """Each report's claims (claims run alone, without sourcing) and framing findings, and framing summary."""
    claims = run_alone(ClaimsAnalyzer(AnalysisOptions()), reports)
    framing = run_alone(FramingAnalyzer(AnalysisOptions()), reports)
    return [
        [f.model_dump(mode="json") for f in (*c.findings, *f.findings)] + [f.summary.model_dump(mode="json")["framing"]]
        for c, f in zip(claims, framing, strict=True)
    ]


def observed(documents: Sequence[Document], digest_findings: bool) -> dict[str, Any]:
    """The segments, parse digests and findings of `documents`, as stored in the fixture."""
    reports = [Report(**dict(d)) for d in documents]
    parses = parse_documents(reports, actor_aliases())
    found = findings(reports)
    return {
        "segments": [[[s.kind.value, s.start, s.end] for s in r.segments] for r in reports],
        "sentences": [[sentence_digest(p) for p in own] for own in parses],
        "findings": [_digest(f) for f in found] if digest_findings else found,
    }


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_demo_page_parse_and_findings_are_unchanged(expected: dict[str, Any]) -> None:
    got = observed(documents([demo_text()], expected["demo"]["segments"]), digest_findings=False)
    assert got["sentences"] == expected["demo"]["sentences"]
    assert got["findings"] == expected["demo"]["findings"]


def test_ptc_articles_parse_and_findings_are_unchanged(expected: dict[str, Any]) -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the third-party data folder {SHARED_DATA}, which is absent here")
    got = observed(documents(ptc_texts(SHARED_DATA), expected["ptc"]["segments"]), digest_findings=True)
    for article, sentences, wanted in zip(PTC_ARTICLES, got["sentences"], expected["ptc"]["sentences"], strict=True):
        assert sentences == wanted, f"article{article}: its parse changed"
    assert got["findings"] == expected["ptc"]["findings"]


def test_a_batch_parses_each_document_as_alone() -> None:
    texts = [demo_text(), "Troops Enter The Town\n\nSoldiers entered Lisk on Monday.\n"]
    reports = [Report(**dict(d)) for d in documents(texts, None)]
    together = parse_documents(reports, actor_aliases())
    alone = [parse_documents([r], actor_aliases())[0] for r in reports]
    assert [[sentence_digest(p) for p in own] for own in together] == [
        [sentence_digest(p) for p in own] for own in alone
    ]
    assert [p.doc.text for p in together[1]] == ["Troops enter the town", "Soldiers entered Lisk on Monday."]


def test_sentence_case_keeps_names_found_anywhere_in_the_text() -> None:
    text = "Forces Of Dravny Seize Port From Rebels\n\nThe port fell after Dravny sent ships."
    assert proper_names(text) == frozenset({"Dravny"})
    assert sentence_case(text.splitlines()[0], proper_names(text)) == "Forces of Dravny seize port from rebels"


def write() -> None:
    """Write the fixture from the parse and analyzers of the checkout on PYTHONPATH, keeping the fixture's
    segments (so a segmentation change does not move the parse the fixture pins)."""
    kept = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.is_file() else {}
    expected = {
        "demo": observed(documents([demo_text()], kept.get("demo", {}).get("segments")), digest_findings=False),
        "ptc": observed(documents(ptc_texts(SHARED_DATA), kept.get("ptc", {}).get("segments")), digest_findings=True),
    }
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_text(json.dumps(expected, separators=(",", ":")).replace("]],", "]],\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: tests/test_parse.py --write")
    write()
