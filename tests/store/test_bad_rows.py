"""Every store accepts every row ingest makes (NUL and control characters included), and a row the database
still refuses is recorded as that item's failure while the run goes on: on SQLite and on PostgreSQL."""

from dataclasses import replace

from slant.analyzers import REGISTRY
from slant.batch import BatchResult
from slant.batch.work import analyze_items, record
from slant.ingest.corpus import CorpusItem
from slant.model import Metadata
from slant.options import AnalysisOptions
from slant.pipeline import Analyzer
from slant.store import Store

NO_ANALYZERS = AnalysisOptions(skip=tuple(REGISTRY))
ARTICLE = (
    "Port Meridian council backs harbour plan\n\n"
    "The council of Port Meridian voted on Tuesday to dredge the old harbour. The mayor said that the work "
    "would take four months and that the fishermen had been consulted.\n"
)


def _item(i: int, text: str, title: str | None = None) -> CorpusItem:
    ref = f"corpus.jsonl#{i}"
    return CorpusItem(ref=ref, data=text.encode(), metadata=Metadata(source=ref, title=title), row=i)


def _record(store: Store, items: list[CorpusItem]) -> BatchResult:
    analyzer = Analyzer(NO_ANALYZERS)
    result = BatchResult()
    record(store, analyze_items(analyzer, [(item.key(analyzer.versions), item) for item in items]), result)
    return result


def test_nul_and_control_characters_are_stored(store: Store) -> None:
    dirty = ARTICLE * 40
    dirty = dirty[:4200] + "\x00" + dirty[4201:4300] + "\x1b\x7f" + dirty[4302:]
    result = _record(store, [_item(1, ARTICLE), _item(2, dirty)])
    assert (result.analyzed, result.failed) == (2, 0)
    assert store.counts() == (2, 0)
    texts = {row["ref"]: row["report"]["text"] for row in store.rows(with_report=True)}
    assert texts["corpus.jsonl#2"][4200] == " " and texts["corpus.jsonl#2"][4300:4302] == "  "
    assert len(texts["corpus.jsonl#2"]) == len(dirty)


def test_a_row_the_database_refuses_fails_alone(store: Store) -> None:
    analyzer = Analyzer(NO_ANALYZERS)
    items = [_item(i, ARTICLE.replace("four", f"{i + 2}")) for i in range(3)]
    outcomes = analyze_items(analyzer, [(item.key(analyzer.versions), item) for item in items])
    refused = outcomes[1]
    outcomes[1] = replace(refused, values={**refused.values, "words": object()})  # no database can bind it
    result = BatchResult()
    record(store, outcomes, result)
    assert (result.analyzed, result.failed) == (2, 1)
    assert store.counts() == (2, 1)
    (failure,) = store.failure_rows()
    assert failure["ref"] == "corpus.jsonl#1"
    assert failure["reason"].startswith("the database refused the result: ")
    assert {row["ref"] for row in store.rows()} == {"corpus.jsonl#0", "corpus.jsonl#2"}
