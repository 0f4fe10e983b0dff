"""The framing analyzer on invented articles: actors, loaded terms, portrayals, and even-handedness."""

from typing import NamedTuple

import pytest

from slant.analyzers import run_alone
from slant.analyzers.framing import FramingAnalyzer, portrayal
from slant.knowledge import load_knowledge
from slant.lexicons import group_nouns, loaded_terms
from slant.model import Document, LoadedTermAttributes, LoadedTermFinding, Report, Segment, SegmentKind
from slant.options import AnalysisOptions

TEMPLATE = """Fighting Near the Border

{a.adj} troops shelled the village of Lisk on Monday, the regional governor said.
The {a.adj} soldiers are terrorists who terrorized the valley for months.
{b.adj} soldiers were greeted as heroes by the villagers.
The brave {b.people} liberated the school and rescued forty children.
{a.capital} and its puppet regime deny everything.
"""


class Side(NamedTuple):
    """How an article names one side (`country` is the actor name slant should group it under)."""

    country: str
    adj: str
    people: str
    capital: str


RUSSIA = Side("Russia", "Russian", "Russians", "Moscow")
UNITED_STATES = Side("United States", "American", "Americans", "Washington")
ISRAEL = Side("Israel", "Israeli", "Israelis", "Jerusalem")
PALESTINE = Side("Palestine", "Palestinian", "Palestinians", "Ramallah")
DEMOCRATS = Side("Democrat", "Democratic", "Democrats", "")
REPUBLICANS = Side("Republican", "Republican", "Republicans", "")
ARTICLE = TEMPLATE.format(a=RUSSIA, b=UNITED_STATES)


def report_of(text: str) -> Report:
    """A report whose first line is the title and the rest the body."""
    title_end = text.index("\n")
    segments = (
        Segment(kind=SegmentKind.TITLE, start=0, end=title_end),
        Segment(kind=SegmentKind.BODY, start=title_end + 2, end=len(text)),
    )
    return Report(**dict(Document(text=text, segments=segments)))


@pytest.fixture(scope="module")
def analyzer() -> FramingAnalyzer:
    return FramingAnalyzer(AnalysisOptions())


def actors_of(analyzer: FramingAnalyzer, text: str) -> dict[str, dict]:
    report = run_alone(analyzer, [report_of(text)])[0]
    return {actor.name: actor for actor in report.summary.framing.actors}


def test_terrorists_and_heroes_get_negative_and_positive(analyzer: FramingAnalyzer) -> None:
    report = run_alone(analyzer, [report_of(ARTICLE)])[0]
    actors = {actor.name: actor for actor in report.summary.framing.actors}
    assert actors["Russia"].portrayal == "negative"
    assert actors["United States"].portrayal == "positive"
    assert {"terrorist", "terrorize", "regime"} <= set(actors["Russia"].loaded_terms)
    assert {"hero", "brave", "liberate"} <= set(actors["United States"].loaded_terms)
    assert actors["Russia"].kind == "country"
    assert actors["Russia"].mentions >= 3  # "Russian" twice and "Moscow", grouped under one name
    for actor in actors.values():
        for span in actor.evidence:
            assert 0 <= span.start < span.end <= len(report.text)


def test_loaded_term_findings_point_at_the_words(analyzer: FramingAnalyzer) -> None:
    report = run_alone(analyzer, [report_of(ARTICLE)])[0]
    by_word = {report.text[f.start : f.end]: f for f in report.findings_of(LoadedTermFinding)}
    assert by_word["terrorists"].attributes == LoadedTermAttributes(
        actor="Russia", polarity="negative", category="violence_label", term="terrorist", lexicon="slant-loaded-terms"
    )
    assert by_word["heroes"].attributes.actor == "United States"
    assert by_word["regime"].attributes.actor == "Russia"


PARTY_TEMPLATE = """Senate Vote Ends in Chaos

The {a.people} blocked the bill on Tuesday, the clerk said.
The {a.people} are thugs who bullied the chamber for months.
{b.adj} senators were hailed as heroes by the voters.
The brave {b.people} defended the budget and saved the hospital fund.
The {a.people} and their puppet masters deny everything.
"""


@pytest.mark.parametrize(("a", "b"), [(RUSSIA, UNITED_STATES), (ISRAEL, PALESTINE)], ids=["RU-US", "IL-PS"])
def test_swapping_the_sides_mirrors_the_portrayals(analyzer: FramingAnalyzer, a: Side, b: Side) -> None:
    first = actors_of(analyzer, TEMPLATE.format(a=a, b=b))
    mirrored = actors_of(analyzer, TEMPLATE.format(a=b, b=a))
    assert first[a.country].portrayal == mirrored[b.country].portrayal == "negative"
    assert first[b.country].portrayal == mirrored[a.country].portrayal == "positive"
    assert first[a.country].loaded_terms == mirrored[b.country].loaded_terms
    assert first[b.country].loaded_terms == mirrored[a.country].loaded_terms
    assert first[a.country].mentions == mirrored[b.country].mentions


@pytest.mark.parametrize("parties", [(DEMOCRATS, REPUBLICANS), (REPUBLICANS, DEMOCRATS)], ids=["D-R", "R-D"])
def test_swapping_parties_mirrors_the_portrayals(analyzer: FramingAnalyzer, parties: tuple[Side, Side]) -> None:
    a, b = parties
    actors = actors_of(analyzer, PARTY_TEMPLATE.format(a=a, b=b))
    assert actors[a.country].portrayal == "negative"
    assert actors[b.country].portrayal == "positive"
    assert actors[a.country].loaded_terms == ["thug", "bully", "puppet master"]
    assert actors[b.country].loaded_terms == ["hero", "brave"]


def test_lexicons_name_no_side() -> None:
    """No country, people, capital, religion, party or ideology carries a polarity or is a group noun."""
    knowledge = load_knowledge()
    sides = {name.lower() for name in [*knowledge.countries, *knowledge.countries.values(), *knowledge.aliases]}
    beliefs = {
        "muslim",
        "islam",
        "islamic",
        "islamist",
        "jihadist",
        "christian",
        "jew",
        "jewish",
        "zionist",
        "hindu",
        "buddhist",
        "catholic",
        "communist",
        "socialist",
        "capitalist",
        "liberal",
        "conservative",
        "democrat",
        "republican",
        "fascist",
        "nazi",
        "marxist",
        "nationalist",
        "leftist",
        "right-wing",
        "left-wing",
        "woke",
    }
    words = {entry.term for entry in loaded_terms()} | group_nouns()
    assert not {w for w in words if set(w.split()) & (sides | beliefs) or w in sides}


def test_the_lexicon_has_both_polarities_and_no_duplicates() -> None:
    terms = [entry.term for entry in loaded_terms()]
    assert len(terms) == len(set(terms))
    assert {entry.polarity for entry in loaded_terms()} == {"positive", "negative"}


def test_portrayal_rules() -> None:
    assert portrayal(0, 3, 0.4) == "negative"  # loaded terms outweigh sentiment
    assert portrayal(2, 1, 0.0) == "mixed"
    assert portrayal(3, 1, 0.0) == "positive"
    assert portrayal(0, 0, 0.1) == "neutral"
    assert portrayal(0, 0, 0.5) == "positive"


def test_a_long_name_the_ner_splits_in_two_is_one_actor(analyzer: FramingAnalyzer) -> None:
    text = (
        "Qatar Speaks\n\nOn Sunday, Qatari Foreign Minister Mohammed bin Abdulrahman bin Jassim Al-Thani, part of the "
        "family-run dictatorship, said his regime will continue aiding terrorists in Syria.\n"
    )
    report = run_alone(analyzer, [report_of(text)])[0]
    actors = {f.attributes.actor for f in report.findings_of(LoadedTermFinding) if f.attributes.actor}
    assert actors == {"Mohammed bin Abdulrahman bin Jassim Al-Thani"}
