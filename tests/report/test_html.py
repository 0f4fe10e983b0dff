"""The HTML report: highlights by offsets, escaping of hostile text, the panel's sections, the CSP."""

import base64
import hashlib
import html
import re
from html.parser import HTMLParser

import pytest
from tests.factories import claim as claim_finding
from tests.factories import source as source_finding
from tests.factories import sourcing_summary, techniques_summary
from tests.factories import technique as technique_finding

from slant.model import Finding, Metadata, Report, Segment, SegmentKind, SourceEntry, Stance
from slant.report import Format, render
from slant.report.html import Mark, pieces, render_html

TITLE = "Valiant Rangers Rescue Mill Town From Marsh Bandits"
BODY = (
    "The valiant rangers drove the bandits out of Tellby at dawn, the regional office said. "
    "Either you back the rangers or you back chaos."
)
COMMENT = "Nobody asked the townsfolk what they wanted."
FOOTER = "Subscribe to our newsletter"


def article(findings=(), summary=None, metadata=None) -> Report:
    """An invented article: title, body, boilerplate and one reader comment, with the given layers."""
    text = f"{TITLE}\n\n{BODY}\n\n{FOOTER}\n\n{COMMENT}\n"
    body_start = text.index(BODY)
    segments = (
        Segment(kind=SegmentKind.TITLE, start=0, end=len(TITLE)),
        Segment(kind=SegmentKind.BODY, start=body_start, end=body_start + len(BODY)),
        Segment(kind=SegmentKind.BOILERPLATE, start=text.index(FOOTER), end=text.index(FOOTER) + len(FOOTER)),
        Segment(
            kind=SegmentKind.COMMENT,
            start=text.index(COMMENT),
            end=text.index(COMMENT) + len(COMMENT),
            author="Ilse M.",
            posted="May 2 at 10:15",
            stance=Stance.DISPUTES,
            stance_score=0.81,
        ),
    )
    return Report(
        text=text,
        segments=segments,
        findings=tuple(findings),
        summary=summary or {},
        metadata=metadata or Metadata(title=TITLE),
    )


def technique(text: str, phrase: str, label: str, score: float) -> Finding:
    start = text.index(phrase)
    return technique_finding(start, start + len(phrase), label, score)


class Marks(HTMLParser):
    """Collects the technique highlights of a page and checks that highlights and underlines nest properly."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.marks: list[dict[str, str | None]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self.marks.append(dict(attrs))
        if tag in ("mark", "span"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("mark", "span"):
            assert self.stack.pop() == tag


def parse(page: str) -> Marks:
    parser = Marks()
    parser.feed(page)
    assert parser.stack == []
    return parser


@pytest.fixture
def overlapping() -> Report:
    text = article().text
    return article(
        [
            technique(text, "Valiant", "Loaded_Language", 0.35),
            technique(text, "bandits out of Tellby", "Name_Calling,Labeling", 0.9),
            technique(text, "drove the bandits", "Exaggeration,Minimisation", 0.6),
            technique(text, "Either you back the rangers or you back chaos", "Black-and-White_Fallacy", 0.75),
            technique(text, "chaos", "Loaded_Language", 0.5),
            technique(text, "Nobody asked", "Doubt", 0.2),
        ]
    )


def test_every_technique_finding_is_one_highlight_with_its_score(overlapping: Report) -> None:
    marks = parse(render_html(overlapping)).marks
    first_fragments = [m for m in marks if m.get("tabindex") == "0"]
    assert len({m["data-id"] for m in marks}) == len(first_fragments) == len(overlapping.findings)
    assert sorted(float(m["data-score"]) for m in first_fragments) == sorted(f.score for f in overlapping.findings)
    doubt = next(m for m in first_fragments if m["data-name"] == "Doubt")
    assert "credibility" in doubt["data-def"]
    assert doubt["aria-label"] == "Doubt, confidence 0.20"


def test_crossing_spans_become_nested_fragments_that_keep_the_text() -> None:
    text = "one two three four"
    a = Mark("t0", "Doubt", "Doubt", "", 0.5, 5, 0, 7)
    b = Mark("t1", "Slogans", "Slogans", "", 0.5, 11, 4, 13)
    result = pieces(text, 0, len(text), [a, b])
    assert "".join(p.text for p in result if p.kind == "text") == text
    opens = [(p.mark.id, p.first) for p in result if p.kind == "open"]
    assert opens == [("t0", True), ("t1", True), ("t1", False)]
    depth = 0
    for piece in result:
        depth += {"open": 1, "close": -1, "text": 0}[piece.kind]
        assert depth >= 0
    assert depth == 0


def test_the_article_text_is_shown_whole(overlapping: Report) -> None:
    page = render_html(overlapping)
    visible = re.sub(r"<[^>]+>", "", page)
    for part in (TITLE, BODY, COMMENT, FOOTER):
        assert part in visible


def test_hostile_text_is_escaped_and_only_slants_script_runs() -> None:
    hostile = (
        'Rangers <script>window.pwned=1</script> win. "><img src=x onerror=alert(1)> '
        '<a href="javascript:alert(2)">click</a> javascript:alert(3) </textarea></style>'
    )
    report = Report(
        text=hostile,
        segments=(Segment(kind=SegmentKind.BODY, start=0, end=len(hostile)),),
        findings=(technique(hostile, "<script>", "Loaded_Language", 0.9),),
        metadata=Metadata(title="<b>bold</b>", url="javascript:alert(4)", author='"><svg onload=alert(5)>'),
    )
    page = render_html(report)
    parser = parse(page)
    assert parser.scripts == 1
    assert "<img" not in page and "<svg onload" not in page and '<a href="javascript' not in page
    assert 'href="javascript:' not in page and "<b>bold" not in page
    shown = re.sub(r"<[^>]+>", "", page)
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in shown
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in shown


def test_content_security_policy_allows_only_the_inline_script_and_style_by_hash(overlapping: Report) -> None:
    page = render_html(overlapping)
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, flags=re.DOTALL).group(1)
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in csp


def test_segments_are_distinct(overlapping: Report) -> None:
    page = render_html(overlapping)
    assert '<h1 class="seg seg-title">' in page
    assert re.search(r'<details class="seg seg-boilerplate"><summary>[^<]+</summary><div class="text">Subscribe', page)
    comment = re.search(r'<article class="seg seg-comment[^>]*>(.*?)</article>', page, flags=re.DOTALL).group(1)
    assert "Ilse M." in comment and "May 2 at 10:15" in comment and "disputes 0.81" in comment


def test_absent_sections_are_omitted(overlapping: Report) -> None:
    page = render_html(overlapping)
    for heading in ("Verdict", "Sources", "Actors", "Claims", "Reader comments"):
        assert f"<h2>{heading}" not in page
    assert "<h2>Techniques</h2>" in page


def test_panel_shows_every_summary_section() -> None:
    text = article().text
    summary = {
        "verdict": {
            "score": 0.72,
            "level": "high",
            "reasons": [
                {
                    "text": "Only one side is quoted.",
                    "evidence": [{"analyzer": "techniques", "label": "Loaded_Language", "start": 0, "end": 7}],
                }
            ],
        },
        "techniques": {"total": 1, "counts": {"Loaded_Language": 1}, "words": 40, "per_100_words": 2.5},
        "sourcing": sourcing_summary(
            one_sided=True, dominant_share=1.0, reason="every source is on one side", n_sources=1
        ).model_copy(
            update={
                "sources": [
                    SourceEntry(name="regional office", kind="official", affiliation="Tellby", count=1, direct_quotes=0)
                ]
            }
        ),
        "framing": {
            "actors": [
                {
                    "name": "rangers",
                    "kind": "group",
                    "mentions": 2,
                    "portrayal": "positive",
                    "sentiment": 0.5,
                    "loaded_terms": ["valiant"],
                    "evidence": [],
                }
            ]
        },
        "claims": {"total": 1, "attributed": 1, "unattributed": 0, "hedged": 0},
        "comments": {"total": 1, "stances": {"disputes": 1}},
    }
    claim = claim_finding(text.index("The valiant"), text.index(" at dawn"), attributed=True, source="regional office")
    page = render_html(article([technique(text, "Valiant", "Loaded_Language", 0.9), claim], summary))
    assert "Verdict: high" in page and "Only one side is quoted." in page and 'href="#t0"' in page
    assert "2.5 per 100 words" in page and '<svg class="bars"' in page
    assert "<td>regional office</td>" in page and "One-sided: every source is on one side" in page
    assert "<strong>rangers</strong>" in page and "portrayal-positive" in page and "valiant" in page
    assert "1 attributed" in page and "source: regional office" in page
    assert "<h2>Reader comments</h2>" in page


def test_other_layers_are_toggleable_underlines_not_technique_highlights(overlapping: Report) -> None:
    text = overlapping.text
    start = text.index("the regional office said")
    source = source_finding(start, start + 24, "the regional office", score=1.0)
    crossing = claim_finding(text.index("out of Tellby"), start + 10, attributed=False, score=0.6)
    page = render_html(overlapping.model_copy(update={"findings": (*overlapping.findings, source, crossing)}))
    parser = parse(page)
    assert len({m["data-id"] for m in parser.marks}) == len(overlapping.findings)
    assert '<input type="checkbox" class="layer" value="sourcing"> underline sourcing (1)' in page
    assert 'data-layer="sourcing" data-name="sourcing: official (the regional office)"' in page
    assert 'data-layer="claims"' in page


def test_unsegmented_report_is_one_body() -> None:
    text = "Brave words. Plain words."
    page = render_html(Report(text=text, findings=(technique(text, "Brave", "Loaded_Language", 0.8),)))
    assert re.search(r'<div class="seg seg-body"><mark [^>]+>Brave</mark> words. Plain words.</div>', page)


def test_render_html_format_is_the_same_page(overlapping: Report) -> None:
    assert render(overlapping, Format.HTML) == render_html(overlapping)


def test_slider_starts_at_the_models_display_threshold() -> None:
    text = article().text
    spans = [
        technique(text, "Valiant", "Loaded_Language", 0.9),
        technique(text, "rangers", "Name_Calling,Labeling", 0.2),
    ]
    summary = {"techniques": techniques_summary(spans, 40).model_copy(update={"display_threshold": 0.38})}
    page = render_html(article(spans, summary))
    assert 'id="min-score" min="0" max="1" step="0.01" value="0.38"' in page
    assert '<span id="shown">1</span> of 2 technique spans highlighted' in page
