"""Server-sent events for a job: `progress` (objective, bound, elapsed) whenever it changes, `status` on each
status change, and a final `done` event; the stream ends when the job ends. The store is polled from a worker
thread, so the event loop never waits on the database."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio

from .store import TERMINAL, Store

HEARTBEAT_S = 15.0


def format_event(event: str, data: dict[str, Any], event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"


async def job_events(store: Store, job_id: str, poll_s: float = 0.25, max_s: float | None = None) -> AsyncIterator[str]:
    last_status, last_progress, n = None, None, 0
    t0 = last_sent = time.monotonic()
    while True:
        job = await anyio.to_thread.run_sync(store.get, job_id, True)
        if job is None:
            return
        if job["status"] != last_status:
            last_status = job["status"]
            n += 1
            yield format_event("status", {"id": job_id, "status": last_status}, n)
            last_sent = time.monotonic()
        progress = job.get("progress")
        if progress and progress != last_progress:
            last_progress = progress
            n += 1
            yield format_event("progress", {"id": job_id, **progress}, n)
            last_sent = time.monotonic()
        if job["status"] in TERMINAL:
            n += 1
            yield format_event(
                "done", {"id": job_id, "status": job["status"], "score": job.get("score"), "error": job.get("error")}, n
            )
            return
        if max_s is not None and time.monotonic() - t0 > max_s:
            return
        if time.monotonic() - last_sent > HEARTBEAT_S:
            yield ": keep-alive\n\n"
            last_sent = time.monotonic()
        await anyio.sleep(poll_s)
