"""Crash safety for real: kill -9 a running batch, rerun it, and find every row once; no worker outlives its
parent; a document past its time limit is stopped and fails alone."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_fixtures import article, write_folder
from sqlalchemy import func, select

from slant.store import Store
from slant.store.schema import documents

SCRIPT = Path(__file__).with_name("slow_batch.py")
N = 120


def _run(corpus: Path, url: str, *limit: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(SCRIPT), str(corpus), url, "2", *limit], start_new_session=True)


def _descendants(pid: int) -> set[int]:
    """The processes below `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in "ZX"  # a zombie has exited; only its parent's wait is missing


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


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc (Linux)")
def test_workers_end_when_the_runner_is_killed(tmp_path) -> None:
    corpus = write_folder(tmp_path / "corpus", N)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    store = Store(url)
    process = _run(corpus, url)
    deadline = time.monotonic() + 120
    while store.counts()[0] < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _descendants(process.pid)
    assert len(workers) >= 2, "two workers (and the resource tracker) should be running"
    os.kill(process.pid, signal.SIGKILL)  # the runner alone, as `kill -9 PID` does
    process.wait()
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _running(pid)], "a worker outlived the killed runner"


def test_a_document_past_the_time_limit_fails_alone(tmp_path) -> None:
    corpus = write_folder(tmp_path / "corpus", 6)
    (corpus / "stall.txt").write_text(article(99).replace("Tuesday", "Tuesday STALL"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 't.db'}"
    started = time.monotonic()
    assert _run(corpus, url, "3").wait(timeout=300) == 0
    assert time.monotonic() - started < 55, "the stalled document should be stopped, not waited for"
    store = Store(url)
    assert store.counts() == (6, 1)
    (failure,) = store.failure_rows()
    assert failure["ref"].endswith("stall.txt")
    assert "took longer than 3 s and was stopped" in failure["reason"]
