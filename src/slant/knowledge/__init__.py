"""Actor knowledge: what kind of source a mention is and whose side it speaks for.

The shipped `actors.toml` documents its tables and the symmetry rule; a user file given as
`AnalysisOptions.actors_file` is merged over it (its entries add to or replace the shipped ones).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from slant.errors import InputError

#: Words that title a name ("Dr", "President", "Defense Minister"), lower case without a period.
TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "general",
        "gen",
        "colonel",
        "col",
        "president",
        "minister",
        "spokesman",
        "spokeswoman",
        "senator",
        "sen",
        "rep",
        "prime",
        "foreign",
        "deputy",
        "defense",
        "defence",
        "king",
        "queen",
        "prince",
        "sheikh",
        "judge",
        "lieutenant",
        "major",
        "captain",
        "commander",
        "chief",
        "secretary",
        "governor",
    }
)

#: The source kinds, in the order reports list them.
KINDS = (
    "government",
    "military",
    "state_media",
    "independent_media",
    "international_org",
    "expert",
    "anonymous",
    "witness",
    "company",
    "other",
)


@dataclass(frozen=True)
class Actor:
    """A named organization: its canonical name, kind and affiliation, and whether it is a side in a conflict."""

    name: str
    kind: str
    affiliation: str | None = None
    party: bool = False


@dataclass(frozen=True)
class Match:
    """Where a name from the knowledge tables occurs in a text, and what it resolves to."""

    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Knowledge:
    """Countries (demonyms, names, capitals), role phrases, anonymous heads, named actors and their aliases."""

    countries: dict[str, str]
    roles: dict[str, str]
    anonymous_heads: frozenset[str]
    group_words: frozenset[str]
    actors: dict[str, Actor]
    aliases: dict[str, str]

    @cached_property
    def _actor_matcher(self) -> _Matcher:
        return _Matcher(self.aliases)

    @cached_property
    def _country_matcher(self) -> _Matcher:
        return _Matcher(self.countries)

    @cached_property
    def _role_matcher(self) -> _Matcher:
        return _Matcher(self.roles, ignore_case=True, plurals=True)

    @cached_property
    def parties(self) -> frozenset[str]:
        """Affiliations that are sides in a conflict: every country and every actor marked `party`."""
        groups = {a.affiliation for a in self.actors.values() if a.party and a.affiliation}
        return frozenset(self.countries.values()) | groups

    @cached_property
    def bodies(self) -> frozenset[str]:
        """Affiliations that are organizations above the sides, like the United Nations."""
        return frozenset(a.affiliation for a in self.actors.values() if a.affiliation and not a.party) - self.parties

    def actors_in(self, text: str) -> list[tuple[Match, Actor]]:
        """The known actors named in `text`, longest names first where they overlap."""
        return [(m, self.actors[m.value]) for m in self._actor_matcher.find(text)]

    def countries_in(self, text: str) -> list[Match]:
        """The countries named in `text` by demonym, name or capital."""
        return self._country_matcher.find(text)

    def role_kind(self, text: str) -> str | None:
        """The kind of the first role phrase in `text`: the body before the rank ("defense ministry spokesman
        General X" -> military, "police commander" -> government)."""
        matches = self._role_matcher.find(text)
        return matches[0].value if matches else None


class _Matcher:
    """Whole-word matching of many phrases at once; acronyms match case-sensitively, other phrases not."""

    def __init__(self, table: dict[str, str], *, ignore_case: bool = False, plurals: bool = False) -> None:
        self.table = {k.lower(): v for k, v in table.items()}
        exact = sorted((k for k in table if not ignore_case and not any(c.islower() for c in k)), key=len, reverse=True)
        folded = sorted((k for k in table if ignore_case or any(c.islower() for c in k)), key=len, reverse=True)
        self.patterns = [
            re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, keys))}){'s?' if plurals else ''}(?!\w)", flags)
            for keys, flags in ((exact, 0), (folded, re.IGNORECASE))
            if keys
        ]

    def find(self, text: str) -> list[Match]:
        found = sorted(
            (m for p in self.patterns for m in p.finditer(text)), key=lambda m: (m.start(), -(m.end() - m.start()))
        )
        matches: list[Match] = []
        for m in found:
            if matches and m.start() < matches[-1].end:
                continue
            key = m.group().lower()
            matches.append(Match(m.start(), m.end(), self.table.get(key) or self.table[key[:-1]]))
        return matches


SHIPPED = files("slant.knowledge") / "actors.toml"


@lru_cache(maxsize=8)
def load_knowledge(actors_file: Path | None = None) -> Knowledge:
    """The shipped actor knowledge, with `actors_file` (a TOML file of the same tables) merged over it.

    Raises:
        InputError: the user file cannot be read, is not TOML, or names an unknown kind.
    """
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    if actors_file is not None:
        try:
            extra = tomllib.loads(Path(actors_file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise InputError(f"cannot read the actors file {actors_file}: {error}") from error
        data = _merged(data, extra)
    return _knowledge(data, where=str(actors_file or SHIPPED))


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for table, value in extra.items():
        if table in ("anonymous", "groups"):
            field = "heads" if table == "anonymous" else "words"
            merged[table] = {field: [*base.get(table, {}).get(field, []), *value.get(field, [])]}
        elif isinstance(value, dict):
            merged[table] = {**base.get(table, {}), **value}
    return merged


def _knowledge(data: dict[str, Any], *, where: str) -> Knowledge:
    actors: dict[str, Actor] = {}
    aliases: dict[str, str] = {}
    for name, entry in data.get("actors", {}).items():
        actor = Actor(name, _kind(entry.get("kind"), where), entry.get("affiliation"), bool(entry.get("party", False)))
        actors[name] = actor
        for alias in [name, *entry.get("aliases", [])]:
            aliases[alias] = name
    for kind in data.get("roles", {}).values():
        _kind(kind, where)
    return Knowledge(
        countries=dict(data.get("countries", {})),
        roles={k.lower(): v for k, v in data.get("roles", {}).items()},
        anonymous_heads=frozenset(h.lower() for h in data.get("anonymous", {}).get("heads", [])),
        group_words=frozenset(w.lower() for w in data.get("groups", {}).get("words", [])),
        actors=actors,
        aliases=aliases,
    )


def _kind(kind: object, where: str) -> str:
    if kind not in KINDS:
        raise InputError(f"{where}: unknown source kind {kind!r}; use one of {', '.join(KINDS)}")
    return str(kind)
