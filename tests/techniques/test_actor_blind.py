"""Actor-blind text: every mention of a name the NER finds becomes the one stand-in, and offsets map both ways."""

import os
import subprocess
import sys

from slant.techniques.actor_blind import STAND_IN, Actor, actor_names, blind


def test_swapped_sides_blind_to_the_same_text() -> None:
    one = blind("Russian puppets in Moscow attacked Donald Trump. Trump said the Russians lied near the church.")
    other = blind(
        "American puppets in Washington attacked Vladimir Putin. Putin said the Americans lied near the mosque."
    )
    assert one.text == other.text
    assert (
        one.text
        == "Ruritania puppets in Ruritania attacked Ruritania. Ruritania said the Ruritania lied near the shrine."
    )


def test_a_name_found_once_is_masked_everywhere_whatever_its_type() -> None:
    text = "Kestrania signed. KESTRANIA broke the deal, said Obama, and Kestrania's Obama agreed."
    # The NER typed the same man twice differently and missed the other mentions: all of them are masked alike.
    names = actor_names(text, [Actor(0, 9, "GPE"), Actor(49, 54, "PERSON"), Actor(72, 77, "ORG")])
    assert names == {"Kestrania": "GPE", "Obama": "PERSON"}
    assert (
        blind(text, names).text
        == f"{STAND_IN} signed. {STAND_IN} broke the deal, said {STAND_IN}, and {STAND_IN} agreed."
    )


def test_a_person_is_also_found_by_surname() -> None:
    text = "Vladimir Putin spoke. Putin left."
    assert actor_names(text, [Actor(0, 14, "PERSON")]) == {"Vladimir Putin": "PERSON", "Putin": "PERSON"}
    assert blind(text, {"Vladimir Putin", "Putin"}).text == f"{STAND_IN} spoke. {STAND_IN} left."


def test_spans_map_back_to_the_original_words_and_forth() -> None:
    text = "The Israeli army and the left-wing press disagreed."
    blinded = blind(text, {"Israeli"})
    assert blinded.text == "The Ruritania army and the partisan press disagreed."
    start = blinded.text.index("Ruritania army")
    original = blinded.span_in_original(start, start + len("Ruritania army"))
    assert text[original[0] : original[1]] == "Israeli army"
    assert blinded.span_in_blind(*original) == (start, start + len("Ruritania army"))
    inside = blinded.text.index("partisan")
    original = blinded.span_in_original(inside + 2, inside + 4)
    assert text[original[0] : original[1]] == "left-wing"


def test_text_without_actors_is_unchanged() -> None:
    text = "The mayor said the bridge would reopen on Monday."
    blinded = blind(text)
    assert blinded.text == text
    assert blinded.span_in_original(4, 9) == (4, 9) == blinded.span_in_blind(4, 9)


def test_the_lexicon_lists_names_in_the_same_order_whatever_the_hash_seed() -> None:
    # Training draws each name's swap in lexicon order: a set's order would change the training data run to run.
    program = (
        "from slant.techniques.actor_blind import Actor, actor_names\n"
        "text = 'Ana Talvik met Piotr Varga and Lena Holm in Kavarna.'\n"
        "print(list(actor_names(text, [Actor(0, 10, 'PERSON'), Actor(15, 26, 'PERSON'), Actor(31, 40, 'PERSON')])))"
    )
    orders = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout  # fmt: skip
        for seed in range(4)
    }
    assert orders == {"['Ana Talvik', 'Talvik', 'Piotr Varga', 'Varga', 'Lena Holm', 'Holm']\n"}
