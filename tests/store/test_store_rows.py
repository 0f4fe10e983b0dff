"""Report -> store row: the queryable columns come from the summary sections, missing ones stay empty."""

from datetime import date

from store_fixtures import make_report

from slant.ingest.corpus import CorpusItem
from slant.model import Metadata
from slant.store.rows import outlet, parse_date, stored_document


def test_columns_come_from_summary_sections() -> None:
    item = CorpusItem(ref="news.csv#3", data=b"x", metadata=Metadata(site="Meridian Ledger"), doc_id="a-3", row=3)
    stored = stored_document(item, "k1", make_report())
    values = stored.values
    assert (values["key"], values["ref"], values["doc_id"], values["row_number"]) == ("k1", "news.csv#3", "a-3", 3)
    assert values["outlet"] == "Meridian Ledger"
    assert values["published_date"] == date(2024, 3, 5)
    assert (values["verdict_score"], values["verdict_level"]) == (0.72, "high")
    assert (values["techniques_total"], values["words"], values["techniques_per_100_words"]) == (3, 14, 21.4)
    assert (values["n_sources"], values["dominant_share"], values["one_sided"]) == (2, 0.5, False)
    assert (values["claims_total"], values["claims_unattributed"]) == (2, 1)
    assert values["loaded_terms"] == {"so-called experts": 1}
    assert values["report"]["summary"]["verdict"]["level"] == "high"
    assert stored.techniques == {"Loaded_Language": 2, "Doubt": 1}


def test_absent_sections_leave_columns_empty() -> None:
    item = CorpusItem(ref="a.txt", data=b"x")
    values = stored_document(item, "k", make_report(summary={}, loaded=())).values
    assert values["verdict_score"] is None and values["verdict_level"] is None
    assert values["n_sources"] is None and values["techniques_total"] is None
    assert values["loaded_terms"] == {}


def test_dates_in_the_forms_corpora_use() -> None:
    assert parse_date("2016-12-09") == date(2016, 12, 9)
    assert parse_date("2016-12-09T10:11:12Z") == date(2016, 12, 9)
    assert parse_date("2016-12-09 10:11:12.000+03:00") == date(2016, 12, 9)
    assert parse_date("Fri, 09 Dec 2016 10:11:12 +0000") == date(2016, 12, 9)
    assert parse_date("last Tuesday") is None
    assert parse_date(None) is None


def test_outlet_is_the_site_or_the_url_host() -> None:
    assert outlet("Meridian Ledger", "https://www.ledger.example/a") == "Meridian Ledger"
    assert outlet(None, "https://www.ledger.example/a") == "ledger.example"
    assert outlet(None, None) is None
