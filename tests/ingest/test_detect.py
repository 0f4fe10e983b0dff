"""HTML is told from text by a page's structure, not by how many tags the text quotes."""

import pytest

from slant.ingest.detect import is_html


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><body><p>Hi</p></body></html>",
        "  <html lang='en'><p>x</p></html>",
        "\n  <?xml version='1.0'?><!-- saved page --><html lang='en'>",
        "<body><p>A body without a root</p></body>",
        "Saved from the web:\n<BODY class='x'>text</BODY>\n",
    ],
)
def test_pages_are_html(text: str) -> None:
    assert is_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "Use <p> and </p>, <div> and </div>, <a href='x'> and </a>, <b>bold</b> and <i>italic</i>.",
        "The <body> tag holds what a page shows.",
        "The mayor said <b> tags are fine.",
        "Prices rose 3% <and> fell 2%.\nNo markup here.",
        "<!-- not closed " + "<body" * 50_000,
    ],
)
def test_text_quoting_tags_is_not_html(text: str) -> None:
    assert not is_html(text)
