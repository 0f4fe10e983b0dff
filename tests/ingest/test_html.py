"""HTML pages: recognising them, extracting the article and each comment, refusing pages without one."""

from pathlib import Path

import pytest

from slant.errors import NoArticleError
from slant.ingest import document_from_bytes
from slant.ingest.html import comments_from_markup, extract_html
from slant.model import SegmentKind


def test_html_page_metadata_and_nested_comments(fixtures: Path) -> None:
    document = document_from_bytes((fixtures / "pages" / "html-comments.html").read_bytes(), name="page.html")
    assert document.metadata.format == "html"
    assert document.metadata.title == "Council votes to close the Merrow bridge"
    assert (document.metadata.author, document.metadata.site) == ("Ada Reyes", "Daily Fen")
    assert document.metadata.published == "2024-03-03"
    first, reply = document.segments_of(SegmentKind.COMMENT)
    assert document.segment_text(first) == (
        "About time. The bridge has been shaking under every bus for years.\n\nEleven months is optimistic though."
    )
    assert reply.parent == document.segments.index(first)
    assert "Leave a Reply" not in document.text and "Facebook" not in document.text


@pytest.mark.parametrize(
    "body",
    [
        "<nav><a href='/'>Home</a></nav>",
        "<nav><a href='/'>Home</a></nav><form><label>User</label><input></form><p>Sign in to continue.</p>",
        "",
    ],
)
def test_page_without_article_is_refused(body: str) -> None:
    page = f"<!doctype html><html><head><title>Login</title></head><body>{body}</body></html>"
    with pytest.raises(NoArticleError, match="without an article"):
        extract_html(page, source="login.html")


def test_comments_without_known_markup_give_none() -> None:
    assert comments_from_markup("<div><p>just a paragraph</p></div>") == []


WIDGET_PAGE = """<!doctype html><html><head><title>Rain closes the pass</title></head><body>
<article><h1>Rain closes the pass</h1>
<p>The mountain pass closed on Sunday after two days of heavy rain brought mud down onto the road.</p>
<p>Crews expect to reopen one lane by Wednesday if the weather holds, the roads office said.</p></article>
<div id="comments" class="comments-area"><h2 class="comments-title">2 Comments</h2>
<div class="comment-count comment">0 Comments</div>
<ol class="comment-list">
<li id="comment-7" class="comment"><div class="comment-meta"><span class="comment-author">Ola Berg says:</span>
<time>May 2, 2024 at 9:00 am</time></div>
<div class="comment-content"><p>Hi Milan,</p><p>The lane on the east side is already open.</p></div>
<div class="reply">Reply</div>
<ul class="children"><li id="comment-8" class="comment"><span class="comment-author">Milan</span>
<div class="comment-content"><p>Thanks, good to know.</p></div></li></ul></li></ol>
<div id="respond" class="comment-respond"><h3>Leave a Reply</h3><p>You must log in to post a comment.</p>
<form><textarea name="comment"></textarea><p>Loading comments...</p></form></div></div>
</body></html>"""


def test_html_comments_come_from_comment_elements_only() -> None:
    document = document_from_bytes(WIDGET_PAGE.encode(), name="page.html")
    first, reply = document.segments_of(SegmentKind.COMMENT)
    assert document.segment_text(first) == "Hi Milan,\n\nThe lane on the east side is already open."
    assert (first.author, first.posted) == ("Ola Berg", "May 2, 2024 at 9:00 am")
    assert (document.segment_text(reply), reply.author, reply.parent) == (
        "Thanks, good to know.",
        "Milan",
        document.segments.index(first),
    )
    body = " ".join(document.segment_text(s) for s in document.segments_of(SegmentKind.BODY))
    assert "heavy rain" in body and "Milan" not in body
    for widget in ("Leave a Reply", "Loading comments", "0 Comments", "You must log in"):
        assert all(widget not in document.segment_text(c) for c in document.segments_of(SegmentKind.COMMENT))
