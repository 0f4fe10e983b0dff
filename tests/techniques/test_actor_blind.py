"""Actor-blind text: named actors get typed stand-ins in order of appearance, and offsets map both ways exactly."""

from slant.techniques.actor_blind import Actor, blind


def test_swapped_sides_blind_to_the_same_text() -> None:
    one = blind("Russian puppets in Moscow attacked Donald Trump. Trump said the Russians lied near the church.")
    other = blind(
        "American puppets in Washington attacked Vladimir Putin. Putin said the Americans lied near the mosque."
    )
    assert one.text == other.text
    assert one.text == (
        "Ruritanian puppets in Ruritania attacked Avery. Avery said the Ruritanians lied near the shrine."
    )


def test_each_actor_keeps_its_own_stand_in_within_a_text() -> None:
    text = "Kestrania and Valdoria signed. Kestrania broke the deal."
    actors = [Actor(0, 9, "GPE"), Actor(14, 22, "GPE"), Actor(31, 40, "GPE")]
    assert blind(text, actors).text == "Ruritania and Freedonia signed. Ruritania broke the deal."


def test_spans_map_back_to_the_original_words_and_forth() -> None:
    text = "The Israeli army and the left-wing press disagreed."
    blinded = blind(text, [Actor(4, 11, "NORP")])
    assert blinded.text == "The Ruritanian army and the partisan press disagreed."
    start = blinded.text.index("Ruritanian army")
    original = blinded.span_in_original(start, start + len("Ruritanian army"))
    assert text[original[0] : original[1]] == "Israeli army"
    assert blinded.span_in_blind(*original) == (start, start + len("Ruritanian army"))
    inside = blinded.text.index("partisan")
    original = blinded.span_in_original(inside + 2, inside + 4)
    assert text[original[0] : original[1]] == "left-wing"


def test_text_without_actors_is_unchanged() -> None:
    text = "The mayor said the bridge would reopen on Monday."
    blinded = blind(text)
    assert blinded.text == text
    assert blinded.span_in_original(4, 9) == (4, 9) == blinded.span_in_blind(4, 9)
