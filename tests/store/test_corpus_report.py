"""The corpus dashboard: self-contained, escaped, with every section drawn from the store."""

import re

from store_fixtures import make_report

from slant.ingest.corpus import CorpusItem
from slant.report.corpus import render_corpus_report
from slant.store import Store
from slant.store.rows import stored_document

HOSTILE = '<script>alert("x")</script>'


def _fill(store: Store) -> None:
    reports = [
        make_report(site="Meridian Ledger", published="2024-01-10"),
        make_report(site="Meridian Ledger", published="2024-02-11"),
        make_report(site=f"Outlet {HOSTILE}", published="2024-03-12", loaded=("so-called experts", "failed")),
        make_report(site=None, published=None, summary={}),
    ]
    stored = [stored_document(CorpusItem(ref=f"r{i}", data=bytes([i])), f"k{i}", r) for i, r in enumerate(reports)]
    store.write(stored)


def test_dashboard_is_escaped_and_self_contained(tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    _fill(store)
    html = render_corpus_report(store, title=f"Report {HOSTILE}")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html), "no CDN or remote resource"
    for heading in ("Technique mix per outlet", "Verdicts per outlet", "Sourcing balance", "Top loaded terms"):
        assert heading in html
    assert "Loaded_Language" in html and "so-called experts" in html
    assert "(unknown outlet)" in html
    assert "<polyline" in html, "dated articles over three months draw a trend"
    assert "4 documents analyzed" in html


def test_empty_store_renders(tmp_path) -> None:
    html = render_corpus_report(Store(f"sqlite:///{tmp_path / 'e.db'}"))
    assert "0 documents analyzed" in html and "No techniques recorded" in html
