"""The web page in a real browser: submit, count highlights, filter by confidence, tooltips, hostile input."""

from importlib.resources import files

import pytest

from slant.ingest import document_from_bytes
from slant.pipeline import Analyzer

pytestmark = pytest.mark.browser

DEMO = (files("slant") / "examples" / "demo-page.txt").read_text(encoding="utf-8")
HOSTILE = """Harbour Board Opens the New Pier

The harbour board opened the new pier on Monday, the mayor said, after two years of work by the town.
<script>window.pwned = "script"; alert("script")</script>
"><img src=x onerror="window.pwned = 'img'; alert('img')">
<a href="javascript:alert('link')">read more</a> and javascript:alert('bare') for the rest of the story.
<svg onload="alert('svg')"></svg><iframe src="javascript:alert('frame')"></iframe>
</textarea><style>body{display:none}</style>
The brave workers finished two months late, and the thugs who stole the cranes were never found by the police.
"""
VISIBLE_IDS = "new Set([...document.querySelectorAll('mark.t:not(.off)')].map(m => m.dataset.id)).size"


def submit(page, server_url: str, text: str | None = None, upload: bytes | None = None):
    """Open the page, give the article, press Analyze; return the report frame once it has loaded."""
    page.goto(server_url)
    if text is not None:
        page.fill("#text", text)
    if upload is not None:
        page.set_input_files("#file", files=[{"name": "article.txt", "mimeType": "text/plain", "buffer": upload}])
    with page.expect_response(lambda response: response.url.endswith("/report")) as response:
        page.click("button[type=submit]")
    assert response.value.status == 200
    frame = page.frame(name="report")
    frame.wait_for_selector("#shown")
    return frame


def scores(analyzer: Analyzer, text: str) -> list[float]:
    """The scores of the technique findings the server's analyzer gives this text."""
    report = analyzer.analyze_documents([document_from_bytes(text.encode(), name="text")])[0]
    return [f.score for f in report.findings_of("techniques")]


def test_highlights_match_findings_and_the_slider_hides_spans(page, server_url, keyword_analyzer, screenshots) -> None:
    expected = scores(keyword_analyzer, DEMO)
    frame = submit(page, server_url, DEMO)
    assert frame.evaluate(VISIBLE_IDS) == len(expected) > 4
    assert frame.inner_text("#shown") == str(len(expected))
    page.screenshot(path=str(screenshots / "1-report.png"), full_page=True)

    frame.focus("#min-score")
    for _ in range(50):  # 50 steps of 0.01: the slider at 0.50, by keyboard
        page.keyboard.press("ArrowRight")
    assert frame.inner_text("#min-score-value") == "0.50"
    above = sum(score >= 0.5 for score in expected)
    assert 0 < above < len(expected)
    assert frame.evaluate(VISIBLE_IDS) == above
    assert frame.inner_text("#shown") == str(above)
    assert frame.locator("mark.t.off").count() > 0
    page.screenshot(path=str(screenshots / "2-slider-at-0.50.png"), full_page=True)


def test_hover_and_keyboard_focus_show_the_technique(page, server_url, screenshots) -> None:
    frame = submit(page, server_url, DEMO)
    frame.hover("mark.t[data-name='Black-and-White Fallacy']")
    tip = frame.locator("#tip")
    assert tip.is_visible()
    assert "Black-and-White Fallacy · confidence 0.70" in tip.inner_text()
    assert "two options" in tip.inner_text()
    page.screenshot(path=str(screenshots / "3-hover-tooltip.png"), full_page=True)

    frame.focus("#min-score")
    page.keyboard.press("Tab")
    focused = frame.evaluate("[document.activeElement.tagName, document.activeElement.dataset.name]")
    assert focused[0] == "MARK"
    assert tip.is_visible() and focused[1] in tip.inner_text()
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def test_uploaded_file_is_analyzed(page, server_url, keyword_analyzer) -> None:
    frame = submit(page, server_url, upload=DEMO.encode())
    assert frame.evaluate(VISIBLE_IDS) == len(scores(keyword_analyzer, DEMO))
    assert "Port Dravny" in frame.inner_text("main")


def test_hostile_article_runs_nothing_and_shows_literally(page, server_url, screenshots) -> None:
    frame = submit(page, server_url, HOSTILE)
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    page.screenshot(path=str(screenshots / "4-hostile.png"), full_page=True)
    assert page.dialogs == []
    assert frame.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("typeof window.pwned") == "undefined"
    counts = frame.evaluate(
        """({
            img: document.querySelectorAll('img').length,
            frames: document.querySelectorAll('iframe').length,
            handlers: document.querySelectorAll('[onload], [onerror]').length,
            links: document.querySelectorAll('a[href^="javascript"]').length,
            scripts: document.scripts.length,
        })"""
    )
    assert counts == {"img": 0, "frames": 0, "handlers": 0, "links": 0, "scripts": 1}
    shown = frame.inner_text("main")
    assert '<script>window.pwned = "script"; alert("script")</script>' in shown
    assert '"><img src=x onerror=' in shown and "<a href=\"javascript:alert('link')\">" in shown
    assert frame.locator("mark.t").count() >= 2  # the page still works: highlights are there
