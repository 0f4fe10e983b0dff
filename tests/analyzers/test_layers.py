"""The shared layers: parsed in parts while the encoder runs line by line, they are exactly the one-pass layers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib.resources import files

import numpy as np
import pytest

from slant import analyzers, encoder
from slant.analyzers import layers_for, load
from slant.encoder import LinePasses, actor_lexicons, blind, technique_model
from slant.lexicons import actor_aliases
from slant.model import Report, Segment, SegmentKind
from slant.options import AnalysisOptions
from slant.parse import PARSED_KINDS, parse_documents
from slant.techniques.model import Tagged

#: A name the NER misses in the first line (in capitals) and finds in the last: the first line, run ahead
#: unblinded, must run again blinded.
LINES = (
    "No deal yet for the envoys of TALVIK or their allies, the ministers said on Monday.",
    "Prices of bread and fuel rose again in the northern districts this week.",
    "Farmers say the late rains have ruined much of the harvest in the valley.",
    "The mayor of Kavarna, Ana Talvik, said on Tuesday that the talks would go on.",
)


def body(text: str) -> Report:
    return Report(text=text, segments=(Segment(kind=SegmentKind.BODY, start=0, end=len(text)),))


def demo() -> Report:
    from slant.ingest import document_from_text

    return Report(**dict(document_from_text(files("slant").joinpath("examples/demo-page.txt").read_text("utf-8"))))


def assert_same(got: Sequence[Tagged], expected: Sequence[Tagged]) -> None:
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        assert a.text == b.text
        pairs = [(a.encoded.ids, b.encoded.ids), (a.encoded.offsets, b.encoded.offsets)]
        if len(b.encoded.ids):  # a text without pieces has no outputs either way (only their width can differ)
            pairs += [(a.logits, b.logits), (a.states, b.states)]
        for x, y in pairs:
            assert x.dtype == y.dtype and np.array_equal(x, y)


@pytest.mark.parametrize("run_chars", [encoder.RUN_CHARS, 50])
def test_a_text_tagged_line_by_line_is_tagged_as_a_whole(monkeypatch: pytest.MonkeyPatch, run_chars: int) -> None:
    monkeypatch.setattr(encoder, "RUN_CHARS", run_chars)  # 50: a run a line, each asking its streams
    model = technique_model(2)
    texts = [
        "Brave Forces Free Port Dravny",
        "\n".join(LINES) + "\n\n" + LINES[1] + "\n",  # a repeated line, blank lines, a final break
        " ".join(LINES * 6),  # one line of several windows
        "",
    ]
    streams = iter([1, None] * 20)
    assert_same(LinePasses(model, lambda: next(streams)).tag(texts), model.tag(texts))


def test_a_batch_parsed_in_parts_has_the_layers_of_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analyzers, "PART_CHARS", 60)  # about a sentence a part
    monkeypatch.setattr(analyzers, "LAST_PART_CHARS", 60)
    run: list[str] = []
    run_lines = LinePasses.run_lines

    def spy(self: LinePasses, texts: Iterable[str]) -> None:
        texts = list(texts)
        run.extend(line for text in texts for line in text.split("\n") if line not in self._lines)
        run_lines(self, texts)

    monkeypatch.setattr(encoder.LinePasses, "run_lines", spy)
    reports = [body("\n\n".join(LINES) + "\n"), demo(), body("  \n")]
    techniques = load("techniques", AnalysisOptions())
    layers = layers_for([techniques], reports, actor_aliases())

    parses = parse_documents(reports, actor_aliases())
    assert [[(p.segment, p.start, p.doc.to_bytes()) for p in own] for own in layers.parses] == [
        [(p.segment, p.start, p.doc.to_bytes()) for p in own] for own in parses
    ]
    model = technique_model(AnalysisOptions().threads)
    for report, lexicon, encoded in zip(reports, actor_lexicons(reports, parses), layers.encoded, strict=True):
        segments = report.segments_of(*PARSED_KINDS)
        blinded = [blind(report.segment_text(segment), lexicon) for segment in segments]
        assert list(encoded) == [segment.start for segment in segments]
        for got, expected in zip(encoded.values(), blinded, strict=True):
            assert got.blinded.text == expected.text
            assert np.array_equal(got.blinded.starts, expected.starts)
            assert np.array_equal(got.blinded.ends, expected.ends)
        assert_same([e.tagged for e in encoded.values()], model.tag([b.text for b in blinded]))
    assert LINES[0] in run  # run ahead before the name was found ...
    assert LINES[0].replace("TALVIK", "Ruritania") in run  # ... and again once it was
