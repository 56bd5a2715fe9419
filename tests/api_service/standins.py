"""Stand-in worker entry points for the dispatcher (run in spawned processes): a solve that reports one roster
and then ignores its deadline and SIGTERM."""

from __future__ import annotations

import signal
import time

from api.service.store import Store

from .conftest import manual_roster


def hanging_job(db_url: str, job_id: str, attempt: int, ppid: int | None = None, options: dict | None = None) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # only SIGKILL ends it
    store = Store(db_url)
    best = {"objective": 123, "assignments": manual_roster()}
    store.best(
        job_id, attempt, best, {"elapsed_s": 0.1, "objective": 123, "bound": 0, "solutions": 1, "phase": "solve"}
    )
    while True:  # never returns, whatever its time limit says
        time.sleep(1)


def silent_hanging_job(
    db_url: str, job_id: str, attempt: int, ppid: int | None = None, options: dict | None = None
) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:  # no roster at all
        time.sleep(1)
