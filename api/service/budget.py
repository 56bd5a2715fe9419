"""Budgets of synchronous requests (issue 18, item 2): validate, score, re-plan and recommendations run in the
web process, so each gets a slot (at most `TURNUS_SYNC_CONCURRENCY` at once) and a time budget
(`TURNUS_SYNC_BUDGET_S`).

Why both: the size caps (`ops.size_problems`, body limit) bound validation and one checker run to well under a
second, but a recommendation re-checks the roster once per candidate and grows with staff × roster size (62 s for
357 staff × 12 weeks). The budget is checked between candidates, so a request that would run past it stops with
a coded 422 instead of holding a thread; the slots keep the GIL-bound work from starving the event loop, so
/healthz (async, never on the thread pool) and light requests stay fast.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .problems import ProblemError


class Deadline:
    """The end of one request's time budget; `check` raises the coded 422 once it has passed."""

    def __init__(self, budget_s: float):
        self.budget_s = budget_s
        self.end = time.monotonic() + budget_s

    def check(self, what: str) -> None:
        if time.monotonic() > self.end:
            raise ProblemError(
                422,
                "over_time_budget",
                f"{what} needs more than this server's time budget of {self.budget_s:g} s for one request "
                "(setting TURNUS_SYNC_BUDGET_S); send a smaller unit or raise the setting",
            )


class SyncSlots:
    """At most `concurrency` heavy synchronous requests at once; a request waits for a slot up to the budget,
    then gets 429 `server_busy` with Retry-After."""

    def __init__(self, concurrency: int, budget_s: float, retry_after_s: int):
        self.sem = threading.BoundedSemaphore(concurrency)
        self.concurrency, self.budget_s, self.retry_after_s = concurrency, budget_s, retry_after_s

    @contextmanager
    def slot(self) -> Iterator[Deadline]:
        if not self.sem.acquire(timeout=self.budget_s):
            raise ProblemError(
                429,
                "server_busy",
                f"{self.concurrency} heavy request(s) are already running (setting TURNUS_SYNC_CONCURRENCY); "
                "retry later",
                headers={"Retry-After": str(self.retry_after_s)},
            )
        try:
            yield Deadline(self.budget_s)
        finally:
            self.sem.release()
