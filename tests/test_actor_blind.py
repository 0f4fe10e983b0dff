"""Actor-blind text: every side's name gets the same stand-in, and offsets map back exactly."""

from slant.actor_blind import blind


def test_swapped_sides_blind_to_the_same_text() -> None:
    one = blind("Russian puppets in Moscow attacked Christians near the church.")
    other = blind("American puppets in Washington attacked Muslims near the mosque.")
    assert one.text == other.text
    assert "Russian" not in one.text and "Moscow" not in one.text


def test_spans_map_back_to_the_original_words() -> None:
    text = "The Israeli army and the left-wing press disagreed."
    blinded = blind(text)
    start = blinded.text.index("Ruritanian army")
    original = blinded.span_in_original(start, start + len("Ruritanian army"))
    assert text[original[0] : original[1]] == "Israeli army"
    inside = blinded.text.index("partisan")
    original = blinded.span_in_original(inside + 2, inside + 4)
    assert text[original[0] : original[1]] == "left-wing"


def test_text_without_sides_is_unchanged() -> None:
    text = "The mayor said the bridge would reopen on Monday."
    blinded = blind(text)
    assert blinded.text == text
    assert blinded.span_in_original(4, 9) == (4, 9)


def test_names_inside_other_words_are_kept_but_hyphenated_compounds_blinded() -> None:
    assert blind("Russiana said").text == "Russiana said"
    assert blind("American-backed and pro-Russian gangs").text == blind("Russian-backed and pro-American gangs").text
