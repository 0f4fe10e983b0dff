"""Turn a report into a store row: pure functions, run in the workers so the writer only inserts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from slant.ingest.corpus import CorpusItem
from slant.model import LoadedTermFinding, Report


@dataclass(frozen=True)
class StoredDocument:
    """One `documents` row and its technique counts (the `doc_techniques` rows)."""

    values: dict[str, Any]
    techniques: dict[str, int]

    @property
    def key(self) -> str:
        """The row's primary key."""
        return str(self.values["key"])

    @property
    def ref(self) -> str:
        """Where the item was read."""
        return str(self.values["ref"])


def stored_document(item: CorpusItem, key: str, report: Report) -> StoredDocument:
    """The row for `report`, the analysis of `item`, with the queryable columns filled from its summary."""
    meta, summary = report.metadata, report.summary
    techniques, sourcing, claims, verdict = summary.techniques, summary.sourcing, summary.claims, summary.verdict
    values = {
        "key": key,
        "content_hash": item.content_hash,
        "ref": item.ref,
        "doc_id": item.doc_id,
        "row_number": item.row,
        "outlet": outlet(meta.site, meta.url),
        "author": meta.author,
        "published": meta.published,
        "published_date": parse_date(meta.published),
        "title": meta.title,
        "url": meta.url,
        "words": techniques.words if techniques else None,
        "verdict_score": verdict.score if verdict else None,
        "verdict_level": verdict.level if verdict else None,
        "techniques_total": techniques.total if techniques else None,
        "techniques_per_100_words": techniques.per_100_words if techniques else None,
        "n_sources": sourcing.n_sources if sourcing else None,
        "dominant_share": sourcing.dominant_share if sourcing else None,
        "anonymous_share": sourcing.anonymous_share if sourcing else None,
        "one_sided": sourcing.one_sided if sourcing else None,
        "claims_total": claims.total if claims else None,
        "claims_unattributed": claims.unattributed if claims else None,
        "loaded_terms": loaded_terms(report),
        "versions": report.versions,
        "report": report.model_dump(mode="json"),
        "analyzed_at": datetime.now(UTC),
    }
    return StoredDocument(values=values, techniques=dict(techniques.counts) if techniques else {})


def loaded_terms(report: Report) -> dict[str, int]:
    """The framing analyzer's loaded terms, lower-cased, with how often each occurs."""
    terms = Counter(report.text[f.start : f.end].strip().lower() for f in report.findings_of(LoadedTermFinding))
    return dict(terms.most_common())


def outlet(site: str | None, url: str | None) -> str | None:
    """The outlet: the site as given, else the URL's host without `www.`."""
    if site:
        return site.strip()[:255]
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def parse_date(value: str | None) -> date | None:
    """Parse an ISO 8601 or RFC 2822 date (the forms news corpora use); None when it is neither."""
    if not value:
        return None
    value = value.strip()
    for parse in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            return parse(value).date()
        except (ValueError, TypeError, IndexError):
            continue
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
