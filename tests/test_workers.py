"""The worker pool: results and errors come back, a job past its time limit is stopped, a dead worker is
replaced, and the pool's processes end with it."""

import os
import time
from functools import partial
from pathlib import Path

import pytest

from slant.analyzers import REGISTRY
from slant.errors import InputError
from slant.pipeline import Analyzer
from slant.workers import AnalysisTimeoutError, WorkerCrashedError, WorkerPool

NO_MODELS = partial(Analyzer, skip=tuple(REGISTRY))


def nap(analyzer: Analyzer, seconds: float) -> tuple[int, list[str]]:
    time.sleep(seconds)
    return os.getpid(), [plugin.name for plugin in analyzer.plugins]


def refuse(_: Analyzer, message: str) -> None:
    raise InputError(message)


def die(_: Analyzer, code: int) -> None:
    os._exit(code)


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(NO_MODELS, 1) as workers:
        yield workers


def test_results_and_errors_come_back(pool: WorkerPool) -> None:
    pid, plugins = pool.submit(nap, 0.0).result(timeout=120)
    assert pid != os.getpid() and plugins == []
    with pytest.raises(InputError, match="^too short$"):
        pool.submit(refuse, "too short").result(timeout=60)
    assert pool.mean_job_s is not None


def test_a_job_past_its_limit_is_stopped_and_its_worker_replaced(pool: WorkerPool) -> None:
    first, _ = pool.submit(nap, 0.0).result(timeout=120)
    started = time.monotonic()
    with pytest.raises(AnalysisTimeoutError, match="longer than 0.5 s"):
        pool.submit(nap, 60.0, timeout=0.5).result(timeout=60)
    assert time.monotonic() - started < 10
    stat = Path(f"/proc/{first}/stat")
    assert not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z", "the overrun worker runs on"
    second, _ = pool.submit(nap, 0.0).result(timeout=120)
    assert second != first


def test_a_worker_that_dies_fails_its_job_and_is_replaced(pool: WorkerPool) -> None:
    with pytest.raises(WorkerCrashedError, match="exit code 3"):
        pool.submit(die, 3).result(timeout=120)
    assert pool.submit(nap, 0.0).result(timeout=120)[1] == []


def test_terminate_cancels_queued_jobs() -> None:
    with pytest.raises(KeyboardInterrupt), WorkerPool(NO_MODELS, 1) as workers:
        running = workers.submit(nap, 60.0)
        queued = workers.submit(nap, 0.0)
        time.sleep(0.2)
        raise KeyboardInterrupt
    assert queued.cancelled()
    with pytest.raises((WorkerCrashedError, AnalysisTimeoutError)):
        running.result(timeout=10)
