"""Admission: a queue as long as `max_wait_s` of work, a hard cap, and a Retry-After that follows the queue."""

import pytest

from slant.web.admission import Admission, ServerBusyError


def test_the_queue_holds_max_wait_of_work_within_the_cap() -> None:
    admission = Admission(workers=2, max_wait_s=3.0, max_in_flight=8)
    assert admission.capacity(None) == 2 + 6  # 1 s per job assumed before the first: 3 s of work per worker
    assert admission.capacity(1.5) == 2 + 4
    assert admission.capacity(30.0) == 2 + 2  # never less than one waiting job per worker
    assert Admission(workers=2, max_wait_s=60.0, max_in_flight=5).capacity(0.1) == 5


def test_a_full_queue_refuses_with_the_wait_until_a_place_frees() -> None:
    admission = Admission(workers=1, max_wait_s=2.0, max_in_flight=8)
    with admission.slot(1.5), admission.slot(1.5):  # one running, one waiting: 2 s of work queued
        with pytest.raises(ServerBusyError, match="2 analyses running or queued") as refused, admission.slot(1.5):
            pass
        assert refused.value.retry_after == 2  # the running job's 1.5 s, rounded up
    assert admission.in_pool == 0
    with admission.slot(1.5):
        assert admission.in_pool == 1
