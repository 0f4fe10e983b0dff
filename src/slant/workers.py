"""Analyses in worker processes that can be stopped: the bound on work that every entry point shares.

A `WorkerPool` keeps `size` processes, each holding one `Analyzer` loaded once. A job runs in one of them
under a deadline; a job that overruns is stopped by killing its worker, which is replaced (its models
loaded again) before the next job, so the work is stopped, not abandoned to run on. A worker ends when its
parent dies, whatever killed it (the kernel's parent-death signal on Linux, a watching thread elsewhere), so
no worker outlives the run that started it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from slant.errors import AnalysisTimeoutError, WorkerCrashedError

if TYPE_CHECKING:  # the pipeline loads spaCy: import it where a worker runs, not where a command starts
    from slant.model import Document, Report
    from slant.options import AnalysisOptions
    from slant.pipeline import Analyzer

A = TypeVar("A")
R = TypeVar("R")
Job = Callable[["Analyzer", A], R]
#: How often a worker checks that its parent is alive (seconds), where the kernel cannot be asked to tell it.
_PARENT_CHECK_S = 0.5
_PR_SET_PDEATHSIG = 1
#: Weight of the newest job in the running mean of job times.
_MEAN_WEIGHT = 0.2


@dataclass
class _Task(Generic[A, R]):
    job: Job[A, R]
    argument: A
    timeout: float | None
    future: Future[R]


class WorkerPool:
    """A fixed pool of analysis processes; `submit` returns a `Future` that fails with `AnalysisTimeoutError`
    when the job runs past its timeout, and with `WorkerCrashedError` when its worker dies.

    Args:
        build: a picklable, argument-free callable that loads the worker's `Analyzer` (called in the worker).
        size: the number of worker processes.
    """

    def __init__(self, build: Callable[[], Analyzer], size: int = 1) -> None:
        self._build = build
        self._tasks: queue.SimpleQueue[_Task[Any, Any] | None] = queue.SimpleQueue()
        self._workers: list[_Worker | None] = [None] * size
        self.size = size
        #: Running mean of the seconds a job takes in a worker (None before the first), for queue estimates.
        self.mean_job_s: float | None = None
        self._threads = [
            threading.Thread(target=self._serve, args=(i,), name=f"slant-worker-{i}", daemon=True) for i in range(size)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, job: Job[A, R], argument: A, *, timeout: float | None = None) -> Future[R]:
        """Run `job(analyzer, argument)` in a worker, stopped after `timeout` seconds (None: no limit).

        `job` must be a module-level function so that it can be sent to the worker.
        """
        future: Future[R] = Future()
        self._tasks.put(_Task(job, argument, timeout, future))
        return future

    def close(self) -> None:
        """Stop every worker once the jobs already submitted are done."""
        for _ in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join()

    def terminate(self) -> None:
        """Cancel the queued jobs and kill the workers now (their running jobs fail)."""
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task.future.cancel()
        for worker in self._workers:
            if worker is not None:
                worker.process.kill()
        self.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()

    def _serve(self, slot: int) -> None:
        """One worker's loop in the parent: start the process when needed, hand it tasks, enforce timeouts."""
        try:
            while (task := self._tasks.get()) is not None:
                if not task.future.set_running_or_notify_cancel():
                    continue
                try:
                    worker = self._workers[slot]
                    if worker is None or not worker.alive:
                        worker = self._workers[slot] = _Worker(self._build)
                        worker.wait_ready()
                    started = time.monotonic()
                    result = worker.run(task.job, task.argument, task.timeout)
                    self._count(time.monotonic() - started)
                    task.future.set_result(result)
                except (AnalysisTimeoutError, WorkerCrashedError) as error:
                    self._stop(slot)
                    task.future.set_exception(error)
                except BaseException as error:  # the job's own error, raised in the worker: sent back
                    task.future.set_exception(error)
        finally:
            self._stop(slot)

    def _count(self, seconds: float) -> None:
        mean = self.mean_job_s
        self.mean_job_s = seconds if mean is None else mean + _MEAN_WEIGHT * (seconds - mean)

    def _stop(self, slot: int) -> None:
        worker, self._workers[slot] = self._workers[slot], None
        if worker is not None:
            worker.stop()


def analyze_in_worker(documents: list[Document], options: AnalysisOptions) -> list[Report]:
    """Analyze documents in a fresh worker process, stopped past `options.limits.time_budget_s` per document.

    Raises:
        AnalysisTimeoutError: the analysis ran past the budget (the worker was killed).
        WorkerCrashedError: the worker died.
    """
    from slant.pipeline import Analyzer

    with WorkerPool(partial(Analyzer, options), 1) as pool:
        budget = options.limits.time_budget_s * len(documents)
        return pool.submit(analyze_documents, documents, timeout=budget).result()


def analyze_documents(analyzer: Analyzer, documents: list[Document]) -> list[Report]:
    """A job: `analyzer.analyze_documents(documents)`."""
    return analyzer.analyze_documents(documents)


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, build: Callable[[], Analyzer]) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        # `build` travels pickled, to be loaded (importing the pipeline, seconds) once the worker is tied to us.
        self.process: BaseProcess = context.Process(
            target=_worker_main, args=(pickle.dumps(build), child, os.getpid()), name="slant-worker", daemon=True
        )
        self.process.start()
        child.close()  # so that the worker's death reads as EOF here

    def wait_ready(self) -> None:
        """Wait until the worker's models are loaded.

        Raises:
            Exception: what loading them raised in the worker.
        """
        try:
            self._receive(None)
        except BaseException:
            self.stop()
            raise

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def run(self, job: Job[A, R], argument: A, timeout: float | None) -> R:
        self.connection.send((job, argument))
        return self._receive(timeout)

    def _receive(self, timeout: float | None) -> Any:
        started = time.monotonic()
        try:
            ready = self.connection.poll(timeout)
            if not ready:
                raise AnalysisTimeoutError(
                    f"the analysis took longer than {timeout:g} s and was stopped (the time budget is "
                    "limits.time_budget_s per document)"
                )
            status, value = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(5)
            code = self.process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            raise WorkerCrashedError(
                f"the analysis worker died after {time.monotonic() - started:.1f} s ({how}); "
                "the document may be too large for the memory available"
            ) from None
        if status == "error":
            raise value
        return value

    def stop(self) -> None:
        """Kill the process and wait for it (a job past its deadline gets no chance to run on)."""
        self.process.kill()
        self.process.join()
        self.connection.close()


def _worker_main(build: bytes, connection: Connection, parent: int) -> None:
    """A worker process: load the analyzer, then run jobs until told to stop or the parent is gone."""
    _end_with_parent(parent)
    try:
        analyzer = pickle.loads(build)()
    except BaseException as error:
        _send(connection, "error", error)
        return
    _send(connection, "ready", None)
    while True:
        try:
            job, argument = connection.recv()
        except (EOFError, OSError):  # the parent closed the pipe or died
            return
        try:
            result = job(analyzer, argument)
        except Exception as error:
            _send(connection, "error", error)
        else:
            _send(connection, "ok", result)


def _send(connection: Connection, status: str, value: object) -> None:
    if status == "error":
        try:
            pickle.dumps(value)
        except Exception:  # an exception that cannot travel: send its message
            value = RuntimeError(f"{type(value).__name__}: {value}")
    connection.send((status, value))


def _end_with_parent(parent: int) -> None:
    """Make this process end when its parent does: on Linux the kernel kills it at once (even while native
    code holds the GIL); elsewhere a thread polls for the parent."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)
    else:
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """Exit when the parent process is gone (the worker is then re-parented)."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_S)
    os._exit(1)
