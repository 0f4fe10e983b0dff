"""The Ray engine on a local Ray: same rows, same skip logic as the local runner."""

import os
import subprocess
import sys
from pathlib import Path

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


RUN_AND_LIST = """
import os, sys, time
from pathlib import Path
from slant.analyzers import REGISTRY
from slant.options import AnalysisOptions
from slant.batch.ray import run_ray
from slant.ingest.corpus import read_corpus
from slant.store import Store

result = run_ray(read_corpus(Path(sys.argv[1])), Store(sys.argv[2]), AnalysisOptions(skip=tuple(REGISTRY)), workers=1,
                 show_progress=False)
marker = ("SLANT_RAY_TEST=" + os.environ["SLANT_RAY_TEST"]).encode()
time.sleep(2)
left = []
for environ in Path("/proc").glob("[0-9]*/environ"):
    try:
        if int(environ.parent.name) != os.getpid() and marker in environ.read_bytes().split(b"\\0"):
            left.append((environ.parent / "cmdline").read_bytes().replace(b"\\0", b" ")[:80].decode())
    except OSError:
        pass
print(result.analyzed, len(left), left)
"""


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads the processes from /proc (Linux)")
def test_a_run_that_starts_ray_ends_it(tmp_path) -> None:
    corpus = write_folder(tmp_path / "corpus", 4)
    env = {**os.environ, "SLANT_RAY_TEST": str(tmp_path)}
    args = [sys.executable, "-c", RUN_AND_LIST, str(corpus), f"sqlite:///{tmp_path / 'r.db'}"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, check=True)
    assert done.stdout.splitlines()[-1] == "4 0 []", "Ray processes outlived the run"
