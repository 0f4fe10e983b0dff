"""Sentence spans over hard-wrapped scraped text."""

from slant.ingest.sentences import split_sentences


def _sentences(text: str, start: int = 0, end: int | None = None) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, start, end)]


def test_a_sentence_wrapped_across_a_blank_line_and_indentation_is_one_sentence() -> None:
    text = "  1. The army said it took full\n\n    control over the district. Fighting goes on.\n"
    assert _sentences(text, 5) == ["The army said it took full\n\n    control over the district.", "Fighting goes on."]


def test_offsets_point_into_the_original_text() -> None:
    text = "Intro. The first line\n   continues here. Last one!"
    for start, end in split_sentences(text):
        assert text[start:end] == text[start:end].strip()
    assert _sentences(text) == ["Intro.", "The first line\n   continues here.", "Last one!"]


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = "Mr. Okafor met Gen. Lee and Nadia R. Holm in the U.S. capital. They talked."
    assert _sentences(text) == ["Mr. Okafor met Gen. Lee and Nadia R. Holm in the U.S. capital.", "They talked."]


def test_an_unpunctuated_line_before_a_blank_line_and_a_capital_ends_a_sentence() -> None:
    text = "and the forces captured the surrounding\n\n\nThe army is now clearing the district.\n"
    assert _sentences(text) == ["and the forces captured the surrounding", "The army is now clearing the district."]


def test_a_line_ending_in_a_function_word_continues() -> None:
    text = "the media manipulation across the region, especially in\n\n    Gaza. Also elsewhere."
    assert _sentences(text) == [
        "the media manipulation across the region, especially in\n\n    Gaza.",
        "Also elsewhere.",
    ]


def test_quotes_close_a_sentence() -> None:
    assert _sentences('He said "we will win." Nobody believed it.') == ['He said "we will win."', "Nobody believed it."]


def test_blank_range_has_no_sentences() -> None:
    assert split_sentences("   \n\n ") == []


def test_a_day_before_its_month_ends_no_sentence() -> None:
    text = "Julia  16. March, 2023 at 16:59  Well done."
    assert [text[s:e] for s, e in split_sentences(text)] == ["Julia  16. March, 2023 at 16:59  Well done."]


def test_each_table_row_is_a_sentence() -> None:
    text = "| Constituency | Member |\n\n|---|---|\n\n| Aberconwy | Robin Millar |\n| Aldershot | Leo Docherty |"
    assert _sentences(text) == [
        "| Constituency | Member |",
        "|---|---|",
        "| Aberconwy | Robin Millar |",
        "| Aldershot | Leo Docherty |",
    ]


def test_a_sentence_past_the_length_bound_ends_at_its_next_line_break() -> None:
    line = "salt and pepper " * 40  # 640 characters without punctuation
    text = f"{line}\n{line}\n{line}\nand the last line"
    assert _sentences(text) == [f"{line}\n{line}".rstrip(), f"{line}\nand the last line"]
