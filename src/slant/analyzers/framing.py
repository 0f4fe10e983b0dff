"""Framing: who the main actors of an article are, and how the words applied to each portray them.

Actors are spaCy entities (people, organizations, countries, peoples) and common group nouns, grouped
by canonical name ("Russian", "Moscow" -> Russia; "Konashenkov" -> "Igor Konashenkov"). Loaded terms
from slant's side-neutral lexicon are attached to the actor they describe through the parse: the noun
phrase that names it, an apposition, a predicate, or the subject of a loaded verb ("liberated").
Clause sentiment (VADER) is the secondary signal when no loaded term is applied to an actor.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import ClassVar, NamedTuple

from spacy.tokens import Doc, Span, Token
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from slant.analyzers import PARSE, Layers, with_findings
from slant.knowledge import TITLES
from slant.lexicons import LoadedTerm, actor_aliases, group_nouns, loaded_term_index
from slant.model import (
    ARTICLE_KINDS,
    ActorPortrait,
    ActorSentimentAttributes,
    ActorSentimentFinding,
    FramingSummary,
    LoadedTermAttributes,
    LoadedTermFinding,
    Report,
)
from slant.model import Span as TextSpan
from slant.model.framing import ActorKind, Polarity, Portrayal
from slant.options import AnalysisOptions
from slant.parse import ParsedSentence, whole_names

ENTITY_KINDS: dict[str, ActorKind] = {"PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "group"}
NOUN_POS = frozenset({"NOUN", "PROPN"})
NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "NUM"})
THIRD_PERSON = frozenset({"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "hers", "theirs"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss"})
#: Dependencies through which a modifier climbs to the noun it describes.
DESCRIBES_DEPS = frozenset({"amod", "compound", "advmod", "npadvmod", "nmod"})
CLAUSE_CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "ccomp"})
DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "ites", "ite", "ese", "ic", "is", "i", "s")
MAX_ACTORS = 8
MAX_EVIDENCE = 6
STRONG_SENTIMENT = 0.5
NEUTRAL_BAND = 0.3
LEXICON = "slant-loaded-terms"
FramingFinding = LoadedTermFinding | ActorSentimentFinding


class Mention(NamedTuple):
    """One mention of an actor in a parsed sentence."""

    actor: str
    label: str  # spaCy entity label, or "GROUP" for a group noun
    span: Span


class ClauseSentiment(NamedTuple):
    """VADER's compound score of one clause about an actor, and where the clause is."""

    compound: float
    start: int
    end: int


class Attachment(NamedTuple):
    """A loaded term and the actor it is applied to (None when it describes no known actor)."""

    term: LoadedTerm
    span: Span
    actor: str | None


class FramingAnalyzer:
    """Finds the main actors of each article and how loaded terms and sentiment portray them."""

    name: ClassVar[str] = "framing"
    reads: ClassVar[frozenset[str]] = frozenset({PARSE})
    version = "1"

    def __init__(self, options: AnalysisOptions) -> None:
        self.options = options
        self.aliases = actor_aliases(options.actors_file)
        self.group_nouns = group_nouns()
        self.terms = loaded_term_index()
        self.vader = SentimentIntensityAnalyzer()

    def analyze(self, reports: Sequence[Report], layers: Layers) -> list[Report]:
        """Add loaded-term and actor-sentiment findings and the `framing` summary section to each report."""
        return [
            self._analyze_one(report, [p for p in sentences if p.segment.kind in ARTICLE_KINDS])
            for report, sentences in zip(reports, layers.parses, strict=True)
        ]

    def _analyze_one(self, report: Report, sentences: list[ParsedSentence]) -> Report:
        mentions = self._mentions([p.doc for p in sentences])
        counts = Counter(m.actor for doc_mentions in mentions for m in doc_mentions)
        labels: dict[str, Counter[str]] = defaultdict(Counter)
        for doc_mentions in mentions:
            for m in doc_mentions:
                labels[m.actor][m.label] += 1
        findings: list[FramingFinding] = []
        sentiments: dict[str, list[ClauseSentiment]] = defaultdict(list)
        scores: dict[str, float] = {}
        for parsed, doc_mentions in zip(sentences, mentions, strict=True):
            offset = parsed.start
            by_token = {t.i: m.actor for m in doc_mentions for t in m.span}
            findings += [_term_finding(a, offset) for a in self._attachments(parsed.doc, by_token)]
            for actor, clause in self._clause_sentiments(doc_mentions, offset, scores):
                sentiments[actor].append(clause)
                if abs(clause.compound) >= STRONG_SENTIMENT:
                    findings.append(_sentiment_finding(actor, clause))
        findings = _deduplicated(findings)
        main = sorted(counts, key=lambda a: (-counts[a], a))[:MAX_ACTORS]
        actors = [_portrait(actor, counts[actor], labels[actor], findings, sentiments[actor]) for actor in main]
        return with_findings(report, findings, section="framing", summary=FramingSummary(actors=actors))

    # Actors -------------------------------------------------------------------------------------------

    def _mentions(self, docs: list[Doc]) -> list[list[Mention]]:
        """The actor mentions of each sentence, with names made canonical across the whole article."""
        entities = [
            [span for ent in whole_names(doc.ents) if ent.label_ in ENTITY_KINDS and (span := _trim(ent))]
            for doc in docs
        ]
        raw = [[(self._name(span), span.label_, span) for span in spans] for spans in entities]
        names = {name for doc_raw in raw for name, _, _ in doc_raw}
        canonical = _canonical_names(names, raw)
        mentions = [[Mention(canonical[name], label, span) for name, label, span in doc_raw] for doc_raw in raw]
        groups = [list(self._group_mentions(doc, own)) for doc, own in zip(docs, mentions, strict=True)]
        group_counts = Counter(m.actor for doc_groups in groups for m in doc_groups)
        return [
            own + [m for m in doc_groups if _is_main_group(m, group_counts)]
            for own, doc_groups in zip(mentions, groups, strict=True)
        ]

    def _name(self, span: Span) -> str:
        """The canonical name of a trimmed entity span, through the alias table (plurals too: "Americans")."""
        name = span.text.strip()
        key = name.lower()
        return self.aliases.get(key) or (key.endswith("s") and self.aliases.get(key[:-1])) or name

    def _group_mentions(self, doc: Doc, mentions: list[Mention]) -> Iterator[Mention]:
        """Group nouns ("rebels", "the government") not already owned by a named actor ("Syrian forces")."""
        by_token = {t.i: m.actor for m in mentions for t in m.span}
        for token in doc:
            if (
                token.pos_ in NOUN_POS
                and token.i not in by_token
                and token.lemma_.lower() in self.group_nouns
                and _modifier_actor(token, by_token) is None
            ):
                yield Mention(token.lemma_.lower(), "GROUP", doc[token.i : token.i + 1])

    # Loaded terms -------------------------------------------------------------------------------------

    def _attachments(self, doc: Doc, by_token: dict[int, str]) -> Iterator[Attachment]:
        for span, term in self.terms.find(doc):
            named = next((by_token[t.i] for t in span if t.i in by_token), None)
            yield Attachment(term, span, named or _described_actor(span.root, by_token))

    # Sentiment ----------------------------------------------------------------------------------------

    def _clause_sentiments(
        self, mentions: list[Mention], offset: int, scores: dict[str, float]
    ) -> Iterator[tuple[str, ClauseSentiment]]:
        """VADER's compound score of the clause around each mention, once per actor and clause (`scores`
        keeps the article's clause texts already scored: a clause about two actors is scored once)."""
        seen: set[tuple[str, int, int]] = set()
        for m in mentions:
            clause = _clause(m.span.root)
            key = (m.actor, clause.start, clause.end)
            if key in seen:
                continue
            seen.add(key)
            text = clause.text
            if text not in scores:
                scores[text] = self.vader.polarity_scores(text)["compound"]
            compound = scores[text]
            yield m.actor, ClauseSentiment(compound, offset + clause.start_char, offset + clause.end_char)


def _trim(ent: Span) -> Span | None:
    """The entity without leading articles and titles or trailing possessives, verbs and other non-name words."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].pos_ not in NAME_POS or doc[start].lower_.rstrip(".") in TITLES):
        start += 1
    while end > start and doc[end - 1].pos_ not in NAME_POS:
        end -= 1
    return Span(doc, start, end, label=ent.label_) if end > start else None


def _canonical_names(names: set[str], raw: list[list[tuple[str, str, Span]]]) -> dict[str, str]:
    """Map each name to its actor: any casing to the capitalized spelling, a person's last name to their
    full name, demonyms to the name in the article ("Orvanian" -> "Orvania"), and plural peoples to the
    singular ("Democrats" -> "Democrat")."""
    written: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (not n[:1].isupper(), n)):
        written.setdefault(name.lower(), name)
    peoples = {name.lower() for doc_raw in raw for name, label, _ in doc_raw if label == "NORP"}
    singular = {}
    for name in names:
        own = written[name.lower()]
        plural = own.lower() in peoples and " " not in own and own.endswith("s") and not own.endswith("ss")
        singular[name] = own[:-1] if plural else own
    known = {own.lower(): own for own in singular.values()}
    full_names: dict[str, str] = {}  # last name -> the first full name of a person with it
    for doc_raw in raw:
        for name, label, _ in doc_raw:
            if label == "PERSON" and " " in name:
                full_names.setdefault(name.split()[-1], name)
    canonical: dict[str, str] = {}
    for name, own in singular.items():
        canonical[name] = own
        if " " in own:
            continue
        if full := full_names.get(own):
            canonical[name] = full
        elif base := next((known[b.lower()] for b in _demonym_bases(own) if b.lower() in known), None):
            canonical[name] = base
    return canonical


def _demonym_bases(word: str) -> Iterator[str]:
    """Names a demonym or adjective may come from: "Orvanian" -> "Orvan", "Orvana", "Orvania"; "Democratic"
    -> "Democrat"."""
    for suffix in DEMONYM_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: -len(suffix)]
            yield from (base, base + "a", base + "ia")


def _is_main_group(mention: Mention, counts: Counter[str]) -> bool:
    """A group noun is an actor when written with a capital ("the Rebels") or used at least twice."""
    return mention.span[0].text[:1].isupper() or counts[mention.actor] >= 2


def _modifier_actor(token: Token, by_token: dict[int, str]) -> str | None:
    """The actor named by a direct modifier of `token` ("Syrian forces", "Kessel's leaders")."""
    return next((by_token[c.i] for c in token.children if c.dep_ in MODIFIER_DEPS and c.i in by_token), None)


def _actor_of(token: Token, by_token: dict[int, str]) -> str | None:
    """The actor a noun refers to: itself a mention, modified by one, or what a pronoun's antecedent describes."""
    if token.i in by_token:
        return by_token[token.i]
    if token.tag_ in ("WDT", "WP") and token.head.dep_ == "relcl":
        antecedent = token.head.head
        return _actor_of(antecedent, by_token) or _described_actor(antecedent, by_token)
    if token.pos_ == "PRON" or token.tag_ == "PRP$":
        return _antecedent(token, by_token)
    return _modifier_actor(token, by_token) or _possessive_pronoun_actor(token, by_token)


def _possessive_pronoun_actor(token: Token, by_token: dict[int, str]) -> str | None:
    """For "its rogue allies", the actor "its" refers to (the nearest one before it in the sentence)."""
    pronoun = next((c for c in token.children if c.dep_ == "poss" and c.tag_ == "PRP$"), None)
    return _antecedent(pronoun, by_token) if pronoun is not None else None


def _antecedent(pronoun: Token, by_token: dict[int, str]) -> str | None:
    """The nearest actor mentioned before a third-person pronoun in its sentence (a deliberately short reach)."""
    if pronoun.lower_ not in THIRD_PERSON:
        return None
    return next((by_token[i] for i in range(pronoun.i - 1, pronoun.sent.start - 1, -1) if i in by_token), None)


def _described_actor(token: Token, by_token: dict[int, str]) -> str | None:
    """The actor a loaded word is applied to, following the parse from the word."""
    if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("amod", "acl"):
        return _doer(token, by_token)
    noun = token
    while noun.dep_ in DESCRIBES_DEPS and noun.head.i != noun.i and noun.head.pos_ in NOUN_POS:
        noun = noun.head
    if actor := _actor_of(noun, by_token):
        return actor
    for _ in range(4):
        if noun.dep_ == "appos":
            return _actor_of(noun.head, by_token)
        if noun.dep_ in ("attr", "acomp", "oprd"):
            return _subject_actor(noun.head, by_token, ("nsubj", "nsubjpass"))
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep":
            governor = noun.head.head
            if governor.pos_ not in ("VERB", "AUX"):
                noun = governor
                continue
            if noun.head.lower_ in ("like", "as"):
                return _subject_actor(governor, by_token, ("nsubj", "nsubjpass"))
            return None
        if noun.dep_ == "acl" and noun.head.pos_ in NOUN_POS:
            return _actor_of(noun.head, by_token)
        return None
    return None


def _doer(verb: Token, by_token: dict[int, str]) -> str | None:
    """Who performs a verb: its active subject, or the agent of a passive ("liberated by X")."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is not None:
        return next((_actor_of(c, by_token) for c in agent.children if c.dep_ == "pobj"), None)
    return _subject_actor(verb, by_token, ("nsubj",))


def _subject_actor(verb: Token, by_token: dict[int, str], deps: tuple[str, ...]) -> str | None:
    """The actor that is the subject of `verb`, climbing to governing clauses when it has none."""
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ in deps), None)
        if subject is not None:
            return _actor_of(subject, by_token)
        if verb.dep_ == "acl" and verb.head.pos_ in NOUN_POS:
            return _actor_of(verb.head, by_token)
        if verb.dep_ not in CLAUSE_CLIMB_DEPS or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _clause(token: Token) -> Span:
    """The clause a mention belongs to: the subtree of its nearest verb, within its sentence."""
    node = token
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    if node.pos_ not in ("VERB", "AUX"):
        return token.sent
    subtree = list(node.subtree)
    return token.doc[subtree[0].i : subtree[-1].i + 1]


def _term_finding(attachment: Attachment, offset: int) -> LoadedTermFinding:
    term, span = attachment.term, attachment.span
    return LoadedTermFinding(
        start=offset + span.start_char,
        end=offset + span.end_char,
        score=0.8 if attachment.actor else 0.5,
        attributes=LoadedTermAttributes(
            actor=attachment.actor,
            polarity=_polarity(term.polarity),
            category=term.category,
            term=term.term,
            lexicon=LEXICON,
        ),
    )


def _sentiment_finding(actor: str, clause: ClauseSentiment) -> ActorSentimentFinding:
    return ActorSentimentFinding(
        start=clause.start,
        end=clause.end,
        score=round(abs(clause.compound), 3),
        attributes=ActorSentimentAttributes(
            actor=actor, sentiment=clause.compound, polarity="positive" if clause.compound > 0 else "negative"
        ),
    )


def _polarity(value: str) -> Polarity:
    return "positive" if value == "positive" else "negative"


def _deduplicated(findings: list[FramingFinding]) -> list[FramingFinding]:
    """One finding per (label, span, actor): an actor mentioned twice in one clause is scored once."""
    unique = {(f.label, f.start, f.end, f.attributes.actor): f for f in findings}
    return list(unique.values())


def _portrait(
    actor: str, mentions: int, labels: Counter[str], findings: list[FramingFinding], clauses: list[ClauseSentiment]
) -> ActorPortrait:
    """The `framing` summary entry of one actor; its evidence is the loaded terms applied to it, else the
    clauses whose sentiment agrees with its portrayal, strongest first."""
    terms = [f for f in findings if isinstance(f, LoadedTermFinding) and f.attributes.actor == actor]
    positive = sum(f.attributes.polarity == "positive" for f in terms)
    negative = len(terms) - positive
    sentiment = round(sum(c.compound for c in clauses) / len(clauses), 3) if clauses else 0.0
    portrayed = portrayal(positive, negative, sentiment)
    sign = {"positive": 1, "negative": -1}.get(portrayed, 0)
    agreeing = sorted((c for c in clauses if sign and c.compound * sign > 0), key=lambda c: -abs(c.compound))
    evidence = [(f.start, f.end) for f in terms] or [(c.start, c.end) for c in agreeing]
    return ActorPortrait(
        name=actor,
        kind=_kind(labels),
        mentions=mentions,
        portrayal=portrayed,
        sentiment=sentiment,
        loaded_terms=list(dict.fromkeys(f.attributes.term for f in terms)),
        evidence=[TextSpan(start=start, end=end) for start, end in evidence[:MAX_EVIDENCE]],
    )


def portrayal(positive: int, negative: int, sentiment: float) -> Portrayal:
    """Loaded terms decide when any are applied (mixed unless one polarity has more than twice the other's
    count); otherwise the mean clause sentiment does.

    Example:
        >>> portrayal(3, 0, 0.0), portrayal(1, 1, 0.0), portrayal(0, 0, -0.6)
        ('positive', 'mixed', 'negative')
    """
    if positive or negative:
        if min(positive, negative) * 2 >= max(positive, negative):
            return "mixed"
        return "positive" if positive > negative else "negative"
    if sentiment >= NEUTRAL_BAND:
        return "positive"
    if sentiment <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def _kind(labels: Counter[str]) -> ActorKind:
    """person | organization | country | group: a country when named as a place at least once ("Syria" and
    "Syrian"), else by its most frequent kind of mention."""
    if labels["GPE"]:
        return "country"
    kinds: Counter[ActorKind] = Counter()
    for label, n in labels.items():
        kinds[ENTITY_KINDS.get(label, "group")] += n
    return kinds.most_common(1)[0][0]
