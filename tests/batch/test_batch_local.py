"""The local runner: in process and with a spawn pool, resumable, failures recorded then retried."""

import pytest
from batch_fixtures import NO_ANALYZERS, article, write_folder

from slant.batch.local import run_local
from slant.ingest.corpus import read_corpus
from slant.store import Store


@pytest.fixture
def corpus(tmp_path):
    folder = write_folder(tmp_path / "corpus", 6)
    (folder / "empty.txt").write_text("  \n")
    (folder / "fremd.txt").write_text("Der Hund ist nicht in dem Haus und die Katze ist auch nicht mehr da.")
    return folder


@pytest.mark.parametrize("workers", [1, 2])
def test_run_rerun_and_retry(corpus, tmp_path, workers: int) -> None:
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    first = run_local(read_corpus(corpus), store, NO_ANALYZERS, workers=workers, total=8, show_progress=False)
    assert (first.analyzed, first.skipped, first.failed) == (6, 0, 2)
    reasons = {row["ref"].rsplit("/", 1)[1]: row["reason"] for row in store.failure_rows()}
    assert "empty" in reasons["empty.txt"] and "English" in reasons["fremd.txt"]

    (corpus / "empty.txt").write_text(article(99))
    second = run_local(read_corpus(corpus), store, NO_ANALYZERS, workers=workers, show_progress=False)
    assert (second.analyzed, second.skipped, second.failed) == (1, 6, 1)
    assert store.counts() == (7, 1)
    assert [row["attempts"] for row in store.failure_rows()] == [2]
    assert sorted(row["doc_id"] for row in store.rows())[:2] == ["1000", "1001"]
