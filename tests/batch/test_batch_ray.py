"""The Ray engine on a local Ray: same rows, same skip logic as the local runner."""

import pytest
from batch_fixtures import NO_ANALYZERS, write_folder

from slant.batch.local import run_local
from slant.ingest.corpus import read_corpus
from slant.store import Store

ray = pytest.importorskip("ray", reason="the Ray engine needs ray[data] (the ray extra)")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def _rows(store: Store) -> list[tuple]:
    return [(row["key"], row["ref"], row["title"]) for row in store.rows()]


def test_ray_matches_local_and_resumes(local_ray, tmp_path) -> None:
    from slant.batch.ray import run_ray

    corpus = write_folder(tmp_path / "corpus", 10)
    (corpus / "empty.txt").write_text("")
    on_ray = Store(f"sqlite:///{tmp_path / 'ray.db'}")
    local = Store(f"sqlite:///{tmp_path / 'local.db'}")

    first = run_ray(read_corpus(corpus), on_ray, NO_ANALYZERS, workers=2, show_progress=False)
    run_local(read_corpus(corpus), local, NO_ANALYZERS, show_progress=False)
    assert (first.analyzed, first.failed) == (10, 1)
    assert _rows(on_ray) == _rows(local)
    assert on_ray.counts() == local.counts() == (10, 1)

    again = run_ray(read_corpus(corpus), on_ray, NO_ANALYZERS, workers=2, show_progress=False)
    assert (again.analyzed, again.skipped, again.failed) == (0, 10, 1)
    assert on_ray.counts() == (10, 1)
