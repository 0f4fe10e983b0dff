"""Segmentation of scraped pages: the fixture pages, the demo page, and the rules one at a time."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from tests.ingest.pages import PAGES, char_accuracy, page_paths, predicted_kinds, read_page

from slant.errors import NoArticleError, UnsupportedLanguageError
from slant.ingest import document_from_text
from slant.ingest.language import check_article
from slant.ingest.segment import segment
from slant.ingest.text import normalize
from slant.model import SegmentKind

MIN_ACCURACY = 0.97


@pytest.mark.parametrize("path", page_paths(), ids=lambda p: p.name)
def test_fixture_page_segments_as_expected(path: Path) -> None:
    page = read_page(path)
    document = page.document
    accuracy = char_accuracy(document.text, page.expected, predicted_kinds(document))
    assert accuracy >= MIN_ACCURACY, f"{page.name}: {accuracy:.3f} of characters have the expected kind"
    found = document.segments_of(SegmentKind.COMMENT)
    assert len(found) == len(page.comments)
    ordinal = {document.segments.index(c): i for i, c in enumerate(found)}
    for got, want in zip(found, page.comments, strict=True):
        assert want.start <= got.start < got.end <= want.end
        assert (got.author, got.posted) == (want.author, want.posted)
        assert (None if got.parent is None else ordinal[got.parent]) == want.parent


@pytest.mark.parametrize("path", page_paths(), ids=lambda p: p.name)
def test_segments_are_ordered_disjoint_and_within_the_text(path: Path) -> None:
    document = read_page(path).document
    end = 0
    for seg in document.segments:
        assert end <= seg.start < seg.end <= len(document.text)
        assert document.segment_text(seg) == document.segment_text(seg).strip()
        end = seg.end


def test_demo_page_has_three_comments_with_authors_and_times() -> None:
    text = (files("slant") / "examples" / "demo-page.txt").read_text(encoding="utf-8")
    document = document_from_text(text)
    comments = document.segments_of(SegmentKind.COMMENT)
    assert [(c.author, c.posted) for c in comments] == [
        ("Nadia R.", "March 3 at 9:14 am"),
        ("Tom Becker", "March 3 at 11:02 am"),
        ("Lena Okafor", "March 4 at 8:40 am"),
    ]
    assert document.segment_text(comments[0]).startswith("The Red Cross said")
    body = document.segments_of(SegmentKind.BODY)
    assert len(body) == 1 and document.segment_text(body[0]).startswith("Port Dravny is finally breathing again.")
    assert "lives in Lisbon" not in document.segment_text(body[0])
    assert document.metadata.title == "Brave Orvanian Forces Free Port Dravny From Kesselite Thugs"
    assert document.metadata.author == "Martin Ashgrove"


def test_scraped_example_page(shared_data: Path) -> None:
    page = shared_data.parent / "examples" / "aleppo-scraped-page.txt"
    if not page.is_file():
        pytest.skip(f"needs {page}")
    document = document_from_text(page.read_text(encoding="utf-8"))
    kinds = [s.kind for s in document.segments]
    assert kinds.count(SegmentKind.COMMENT) == 2
    assert {SegmentKind.TITLE, SegmentKind.BYLINE, SegmentKind.BIO, SegmentKind.COMMENTS_HEADER} <= set(kinds)
    body = document.segment_text(document.segments_of(SegmentKind.BODY)[0])
    assert body.startswith("Significant progress") and "lives in Chicago" not in body
    assert "Source Article" not in body and "Leave a Reply" not in body


def test_repeated_title_is_boilerplate_so_it_is_analyzed_once() -> None:
    text = "Rain Closes the Pass\n\nRain Closes the Pass\n\nThe mountain pass closed on Sunday after heavy rain.\n"
    assert [s.kind for s in segment(text)] == [SegmentKind.TITLE, SegmentKind.BOILERPLATE, SegmentKind.BODY]


def test_says_inside_the_body_does_not_open_comments() -> None:
    text = (
        "Budget Talks Stall\n\nThe finance minister says: the budget will balance next year.\n\n"
        "Opposition leaders were not convinced by the promise and called for a vote.\n"
    )
    assert [s.kind for s in segment(text)] == [SegmentKind.TITLE, SegmentKind.BODY]


def test_a_paragraph_starting_with_by_is_not_a_byline() -> None:
    text = "Flood Warning\n\nBy the time the river peaked, the town had emptied, officials said.\n"
    assert [s.kind for s in segment(text)] == [SegmentKind.TITLE, SegmentKind.BODY]


def test_wire_opener_is_a_dateline_and_its_paragraph_is_body() -> None:
    text = "Rates Rise\n\nOSLO (Reuters) - The central bank raised rates on Thursday.\n"
    segments = segment(text)
    assert [s.kind for s in segments] == [SegmentKind.TITLE, SegmentKind.DATELINE, SegmentKind.BODY]
    assert text[segments[1].start : segments[1].end] == "OSLO (Reuters) -"
    assert text[segments[2].start : segments[2].end].startswith("The central bank")


def test_hard_wrapped_numbered_comment_stays_one_segment() -> None:
    text = (
        "Port Reopens\n\nThe port reopened on Monday after a week of storms.\n\n2 Comments\n\n"
        "  1. The harbour master said that the outer quay would stay closed until\n\n"
        "    the divers had checked it, which the article leaves out.\n\n"
        "  2. Good news for the fishermen.\n"
    )
    comments = [s for s in segment(text) if s.kind is SegmentKind.COMMENT]
    assert len(comments) == 2
    assert text[comments[0].start : comments[0].end].endswith("which the article leaves out.")


def test_empty_and_blank_text_have_no_segments() -> None:
    assert segment("") == ()
    assert segment("\n  \n") == ()


def _kinds(text: str) -> list[SegmentKind]:
    return [s.kind for s in segment(text)]


BODY = (
    "The council voted on Tuesday to close the old bridge for repairs that will take most of next year.\n\n"
    "Engineers found cracks in two of the piers last spring, and the mayor said the town had no other choice.\n"
)


@pytest.mark.parametrize(
    "line",
    [
        "Comment on Council Closes the Bridge by Ann Lee",
        "Comments",
        "Join the conversation",
        "Discussion",
        "What do you think?",
    ],
)
def test_words_at_the_start_of_a_line_do_not_open_comments(line: str) -> None:
    text = f"Council Closes the Bridge\n\n{line}\n\n{BODY}"
    kinds = _kinds(text)
    assert SegmentKind.COMMENT not in kinds and SegmentKind.COMMENTS_HEADER not in kinds
    assert kinds[-1] is SegmentKind.BODY


def test_quoted_speech_does_not_open_comments() -> None:
    text = f"Council Closes the Bridge\n\n{BODY}\nPresident Trump wrote:\n\n{BODY}"
    kinds = _kinds(text)
    assert SegmentKind.COMMENT not in kinds and kinds.count(SegmentKind.BODY) == 1


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Source: https://example.org/story/123", SegmentKind.BOILERPLATE),
        ("License DMCA", SegmentKind.BOILERPLATE),
        ("71% of readers think this story is Fact. Add your two cents.", SegmentKind.BOILERPLATE),
        ("Region: USA in the World", SegmentKind.BOILERPLATE),
        ("This piece was reprinted by a partner site with permission.", SegmentKind.BOILERPLATE),
        ("Ann Lee is a freelance journalist who covers the valley.", SegmentKind.BIO),
    ],
)
def test_clutter_after_the_body_is_not_body(line: str, kind: SegmentKind) -> None:
    segments = segment(f"Council Closes the Bridge\n\n{BODY}\n{line}\n")
    assert [s.kind for s in segments] == [SegmentKind.TITLE, SegmentKind.BODY, kind]


@pytest.mark.parametrize(
    "line",
    [
        "Get the Valley Daily by email and never miss our top stories. Free Sign Up",
        "Please subscribe to read the full story.",
        "Advertising disclosure: we may be paid when you buy through our links.",
        "This post contains affiliate links.",
        "Please understand that comments are moderated before they appear.",
        "View this post on Instagram",
        "Media playback is unsupported on your device",
        "Citation: Bridge to close (2019, May 3) retrieved 4 May 2019 from https://example.org/a",
        "Explore further",
        "Most Read",
        "Tagged: bridge, council, repairs",
        "The mayor at the old bridge on Monday. (AP Photo/Ann Lee)",
        "Engineers inspect a pier of the bridge. (Tom Ray/Valley News)",
        "No part of this article may be reproduced without the written permission of the publisher.",
        "As an Amazon Associate we earn from qualifying purchases, at no additional cost to you.",
        "FacebookTwitterPinterestEmail",
        "21:01Frances Watkins",
    ],
)
def test_promotions_notices_embeds_and_credited_captions_inside_the_article_are_furniture(line: str) -> None:
    text = f"Council Closes the Bridge\n\n{BODY}\n{line}\n\n{BODY}"
    assert _kinds(text) == [SegmentKind.TITLE, SegmentKind.BODY, SegmentKind.BOILERPLATE, SegmentKind.BODY]


def test_a_late_byline_after_clutter_is_a_byline() -> None:
    text = f"Council Closes the Bridge\n\nShare this article:\n\nBy Lisa Haven\n\n{BODY}"
    segments = segment(text)
    assert [s.kind for s in segments] == [
        SegmentKind.TITLE,
        SegmentKind.BOILERPLATE,
        SegmentKind.BYLINE,
        SegmentKind.BODY,
    ]
    assert segments[2].author == "Lisa Haven"


def test_a_text_without_line_breaks_is_cut_into_sentences_so_the_bio_stays_out() -> None:
    bio = "ABOUT THE AUTHOR Ann Lee lives in Chicago. Visit her blog site for more."
    text = " ".join([BODY.replace("\n", " ").strip()] * 3 + [bio])
    segments = segment(text)
    assert [s.kind for s in segments] == [SegmentKind.BODY, SegmentKind.BIO]
    assert text[segments[1].start : segments[1].end] == bio


def test_a_megabyte_of_text_segments_in_one_pass() -> None:
    """Guard against quadratic work: a 1 MB page of paragraphs and threaded comments, and 1 MB on one line."""
    comment = "Nadia R. says:\nMarch 3 at 9:14 am\n\n  I read the report and it says nothing of the kind, as usual.\n\n"
    page = "Council Closes the Bridge\n\n" + BODY * 3000 + "\n2 Comments\n\n" + comment * 5000
    assert len(page) > 1_000_000
    kinds = _kinds(page)
    assert kinds.count(SegmentKind.COMMENT) == 5000
    flat = BODY.replace("\n", " ") * 5000
    assert len(flat) > 1_000_000 and _kinds(flat) == [SegmentKind.BODY]


@pytest.mark.parametrize(
    "text",
    [
        "#BREAKING Paris hostage-taker 'knows' one Charlie Hebdo killer: source",
        "Box score\n\nHome 3, Away 1\n\nGoals: Berg 12', Lind 40', Ost 77'\n\nShots: 14-6\n\nCorners: 7-2\n",
    ],
)
def test_english_headlines_and_list_pages_are_accepted(text: str) -> None:
    check_article(document_from_text(text))


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Main Error Message Here\n\nThe page you requested could not be found.\n", NoArticleError),
        ("Menu\n\nHome\n\nSubscribe\n", NoArticleError),
        ((PAGES.parent / "non-english.txt").read_text(encoding="utf-8"), UnsupportedLanguageError),
    ],
)
def test_error_pages_pages_without_prose_and_other_languages_are_refused(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        check_article(document_from_text(text))


def _comments_of(text: str) -> list[tuple[str | None, str | None, str]]:
    return [(s.author, s.posted, text[s.start : s.end]) for s in segment(text) if s.kind is SegmentKind.COMMENT]


def test_name_and_time_on_one_line_open_comments_even_glued() -> None:
    text = (
        f"Council Closes the Bridge\n\n{BODY}\n2 comments:\n\n"
        "Ann LeeMay 30, 2019 at 1:06 PM\n\nGood riddance to that bridge.\n\nReplyDelete\n\n"
        "tomk 17 September 2020 14:17\n\nIt was fine last week.\n\nLikeLiked by 5 people\n"
    )
    assert _comments_of(text) == [
        ("Ann Lee", "May 30, 2019 at 1:06 PM", "Good riddance to that bridge."),
        ("tomk", "17 September 2020 14:17", "It was fine last week."),
    ]


def test_a_name_over_a_day_dot_month_date_opens_a_comment() -> None:
    text = f"Council Closes the Bridge\n\n{BODY}\nComments\n\nJulia\n16. March, 2023 at 16:59\n\nWell done.\n"
    assert _comments_of(text) == [("Julia", "16. March, 2023 at 16:59", "Well done.")]


def test_name_lines_alone_part_comments_under_a_header_after_a_long_article() -> None:
    text = (
        f"Council Closes the Bridge\n\n{BODY * 8}\nComments\n\nsumathi s\n\nA clear and useful piece, thanks.\n\n"
        "Leop0ld\n\nMay I translate this article into Korean for my readers?\n"
    )
    assert [(a, t) for a, _, t in _comments_of(text)] == [
        ("sumathi s", "A clear and useful piece, thanks."),
        ("Leop0ld", "May I translate this article into Korean for my readers?"),
    ]


def test_a_comment_count_under_the_headline_opens_nothing() -> None:
    text = f"Council Closes the Bridge\n\nJanuary 28, 2018\n\n80 Comments\n\nShare It!\n\n{BODY}"
    kinds = _kinds(text)
    assert SegmentKind.COMMENT not in kinds and kinds[-1] is SegmentKind.BODY


def test_comments_after_the_reply_form_are_found() -> None:
    text = (
        f"Council Closes the Bridge\n\n{BODY}\nLeave a Comment\n\nName *\n\nEmail *\n\n"
        "Kristine says:\nOctober 22, 2020 at 5:17 pm\n\nCan the bridge be walked?\n\nReply\n"
    )
    assert _comments_of(text) == [("Kristine", "October 22, 2020 at 5:17 pm", "Can the bridge be walked?")]


@pytest.mark.parametrize(
    "line",
    [
        "By Ann Lee • 15 January 2020",
        "— Ann Lee (@annlee) January 7, 2020",
        "Written by Ann Lee on April 29, 2018",
        "Bridge Repairs Begin In Spring - October 19, 2020",
    ],
)
def test_bylines_signatures_and_dated_headlines_are_no_commenters(line: str) -> None:
    text = f"Council Closes the Bridge\n\n{BODY}\n{line}\n\n{BODY}"
    assert SegmentKind.COMMENT not in _kinds(text)


def test_a_gallery_of_captions_and_credits_loses_to_the_article() -> None:
    caption = "A man walks past a mosaic on a wall in the old town, where the council plans new repairs this year"
    gallery = "".join(f"{day} October 2020\n\n{caption}.\n\nReuters\n\nNews in pictures\n\n" for day in range(1, 30))
    text = f"Council Closes the Bridge\n\n{BODY}\nNews in pictures\n\n{gallery}"
    segments = segment(text)
    body = [text[s.start : s.end] for s in segments if s.kind is SegmentKind.BODY]
    assert body == [BODY.strip()]


def test_mis_decoded_quotes_do_not_break_a_flat_comment_in_two() -> None:
    """UTF-8 read as Latin-1 ("itâ\\x80\\x99s") holds C1 controls: they become U+FFFD, not a paragraph break."""
    assert normalize("it\u00e2\x80\x99s") == "it\u00e2\ufffd\ufffds"
    comment = "I think it\u00e2\x80\x99s a fine plan for the bridge and the town, and I said so at the meeting."
    body = (BODY.replace("\n", " ") * 3).strip()
    text = f"{body}  2 Comments  Nadia R. says:  March 3 at 9:14 am  {comment}"
    document = document_from_text(text)
    comments = document.segments_of(SegmentKind.COMMENT)
    assert [document.segment_text(c) for c in comments] == [normalize(comment)]


def test_a_short_paragraph_costs_the_main_run_once_however_it_is_wrapped() -> None:
    """Hard-wrapped code lines between paragraphs are one paragraph each, not one gap per wrapped line."""
    code = "".join(f"total_{n} = add_the_weights(values, weights)\nprint(total_{n})\n\n" for n in range(5))
    last = "The engineers will report again in the spring, when the council decides how much of the bridge to rebuild."
    text = f"Council Closes the Bridge\n\n{BODY}\n{code}{last}\n"
    segments = segment(text)
    assert [s.kind for s in segments] == [SegmentKind.TITLE, SegmentKind.BODY]
    assert text[segments[1].start : segments[1].end].endswith(last)


def test_a_sentence_about_a_newsletter_or_a_photo_credit_in_the_text_stays_body() -> None:
    line = "Residents will receive the council newsletter by email each month (the mayor/council said)."
    assert _kinds(f"Council Closes the Bridge\n\n{BODY}\n{line}\n\n{BODY}") == [SegmentKind.TITLE, SegmentKind.BODY]


def test_a_hard_wrapped_notice_is_furniture_on_every_line() -> None:
    notice = (
        "This post contains references to products from one or more of our\nadvertisers, who may pay us when you click."
    )
    text = f"Council Closes the Bridge\n\n{BODY}\n{notice}\n\n{BODY}"
    segments = segment(text)
    assert [s.kind for s in segments] == [
        SegmentKind.TITLE,
        SegmentKind.BODY,
        SegmentKind.BOILERPLATE,
        SegmentKind.BODY,
    ]
    assert text[segments[2].start : segments[2].end] == notice
