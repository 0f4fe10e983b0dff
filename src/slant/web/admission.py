"""Admission: a bounded queue in front of a fixed pool, so that a flood of clients is served at full throughput.

A request is admitted while the work already waiting would keep the pool busy for less than `max_wait_s`
(at least one waiting request per worker, so the pool never idles between a finish and the next arrival).
Beyond that it is refused at once with `Retry-After` set to when a place should be free, so clients that
honour it come back as places open instead of spinning, and nobody waits longer than the bound.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds one job is assumed to take before the first has finished.
_FIRST_GUESS_S = 1.0


class ServerBusyError(Exception):
    """The queue is full (503); `retry_after` says in how many seconds to come back."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Admission:
    """Counts the requests in the pool (running or queued) and refuses those that would wait too long.

    Args:
        workers: the pool's size (jobs run at once).
        max_wait_s: the longest a request should wait in the queue before it starts.
        max_in_flight: a hard cap on the requests admitted at once, running or queued.
    """

    def __init__(self, workers: int, max_wait_s: float, max_in_flight: int) -> None:
        self.workers = workers
        self.max_wait_s = max_wait_s
        self.max_in_flight = max_in_flight
        self.in_pool = 0
        self._lock = threading.Lock()

    def capacity(self, mean_job_s: float | None) -> int:
        """Requests admitted at once: the workers plus the queue that `max_wait_s` of work allows, within the cap."""
        job_s = mean_job_s or _FIRST_GUESS_S
        queue = max(self.workers, math.floor(self.max_wait_s * self.workers / job_s))
        return min(self.max_in_flight, self.workers + queue)

    def retry_after(self, mean_job_s: float | None) -> int:
        """Whole seconds until a place should be free: the queue ahead, run by the workers, rounded up."""
        ahead = max(0, self.in_pool - self.capacity(mean_job_s) + 1)
        return max(1, math.ceil(ahead * (mean_job_s or _FIRST_GUESS_S) / self.workers))

    @contextmanager
    def slot(self, mean_job_s: float | None) -> Iterator[None]:
        """Hold a place for one request for the duration of the block.

        Raises:
            ServerBusyError: no place is free.
        """
        with self._lock:
            if self.in_pool >= self.capacity(mean_job_s):
                wait = self.retry_after(mean_job_s)
                raise ServerBusyError(
                    f"the server is busy ({self.in_pool} analyses running or queued); retry in {wait} s", wait
                )
            self.in_pool += 1
        try:
            yield
        finally:
            with self._lock:
                self.in_pool -= 1
