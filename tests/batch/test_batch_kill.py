"""Crash safety for real: kill -9 a running batch, rerun it, and find every row once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from batch_fixtures import write_folder
from sqlalchemy import func, select

from slant.store import Store
from slant.store.schema import documents

SCRIPT = Path(__file__).with_name("slow_batch.py")
N = 120


def _run(corpus: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(SCRIPT), str(corpus), url, "2"], start_new_session=True)


def test_killed_run_resumes_without_duplicates_or_gaps(tmp_path) -> None:
    corpus = write_folder(tmp_path / "corpus", N)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    store = Store(url)
    process = _run(corpus, url)
    deadline = time.monotonic() + 120
    while store.counts()[0] < 12 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)  # the runner and its workers, mid-run
    process.wait()
    stored_after_kill = store.counts()[0]
    assert 0 < stored_after_kill < N, "the kill should land mid-run"

    rerun = _run(corpus, url)
    assert rerun.wait(timeout=300) == 0
    with store.engine.connect() as connection:
        total, keys, refs = connection.execute(
            select(func.count(), func.count(documents.c.key.distinct()), func.count(documents.c.ref.distinct()))
        ).one()
    assert total == keys == refs == N
    assert store.counts() == (N, 0)
