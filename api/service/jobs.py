"""Job dispatch: a bounded queue in the store, at most `max_concurrent` worker processes at once.

A dispatcher thread (never the event loop) claims queued jobs and starts one spawn-context process per job.
DELETE terminates the process at once; the best roster the worker wrote so far is re-checked and kept.
A worker that dies on its own (crash, OOM kill) fails its job with a reason, again keeping the best roster.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import threading
from typing import Any

from .ops import score_summary
from .settings import Settings
from .store import JobStatus, Store
from .worker import run_job

log = logging.getLogger("turnus.jobs")


def roster_from_best(job: dict[str, Any], status: str):
    """The job's best solution so far as a checked roster (None without one)."""
    from models import Assignment, SolveInfo, validate_instance
    from solver import check

    best = job.get("best")
    if not best:
        return None
    inst, _ = validate_instance(job["request"]["input"])
    roster = check(inst, [Assignment.model_validate(a) for a in best["assignments"]])
    run = (job["request"].get("config") or {}).get("run") or {}
    progress = job.get("progress") or {}
    info = SolveInfo(status=status, objective=best.get("objective"), bound=progress.get("bound"),
                     wall_time_s=float(progress.get("elapsed_s") or 0.0), time_limit_s=run.get("time_limit_s"),
                     workers=run.get("workers"), seed=run.get("seed"))
    return roster.model_copy(update={"solve": info})


def finalize(store: Store, job_id: str, attempt: int | None, status: str, error: dict | None = None) -> bool:
    """End a SOLVING job whose worker is gone, keeping the best roster it wrote."""
    job = store.get(job_id)
    if job is None or job["status"] != JobStatus.SOLVING:
        return False
    roster = None
    try:
        roster = roster_from_best(job, status)
    except Exception:  # noqa: BLE001 - a broken best roster must not keep the job open
        log.error("could not re-check the best roster", exc_info=True, extra={"job_id": job_id})
    changed = None
    if roster is not None:
        from models import Assignment

        prev = job["request"]["input"].get("assignments")
        if prev is not None:
            from .worker import changes_between

            changed = changes_between([Assignment.model_validate(a) for a in prev], roster.assignments)
    return store.finish(job_id, attempt, status, error=error, changed=changed,
                        roster=roster.model_dump(mode="json", exclude_none=True) if roster is not None else None,
                        score=score_summary(roster).model_dump() if roster is not None else None)


class Dispatcher:
    def __init__(self, store: Store, settings: Settings):
        self.store, self.settings = store, settings
        self.ctx = mp.get_context("spawn")
        self.running: dict[str, tuple[Any, int]] = {}
        self.lock = threading.RLock()
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        requeued, failed = self.store.recover(self.settings.max_restarts)
        for job_id in requeued:
            log.warning("job interrupted by a server stop: queued again", extra={"job_id": job_id})
        for job_id in failed:
            log.error("job interrupted too often: failed", extra={"job_id": job_id, "status": "FAILED"})
        self.thread = threading.Thread(target=self._loop, name="turnus-dispatcher", daemon=True)
        self.thread.start()

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def shutdown(self) -> None:
        """Stop dispatching; running solves are terminated and queued again for the next start."""
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        with self.lock:
            for job_id, (proc, attempt) in list(self.running.items()):
                self._kill(proc)
                if self.store.requeue(job_id, "the server was shut down during the solve; the job was queued again"):
                    log.warning("solve interrupted by shutdown: queued again", extra={"job_id": job_id})
            self.running.clear()

    def notify(self) -> None:
        self.wake.set()

    # ------------------------------------------------------------ loop
    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                self._reap()
                self._launch()
            except Exception:  # noqa: BLE001 - keep dispatching (e.g. a transient database error)
                log.error("dispatcher error", exc_info=True)
            self.wake.wait(self.settings.poll_interval_s)
            self.wake.clear()

    def _reap(self) -> None:
        with self.lock:
            done = [(job_id, proc, attempt) for job_id, (proc, attempt) in self.running.items()
                    if not proc.is_alive()]
            for job_id, _, _ in done:
                del self.running[job_id]
        for job_id, proc, attempt in done:
            proc.join(timeout=1)
            code = proc.exitcode
            if finalize(self.store, job_id, attempt, JobStatus.FAILED, error={
                    "code": "worker_died", "detail": f"the solve process ended unexpectedly (exit code {code}); "
                    "the best roster found before is kept"}):
                log.error("worker died", extra={"job_id": job_id, "exitcode": code})

    def _launch(self) -> None:
        while not self.stopping.is_set():
            with self.lock:
                if len(self.running) >= self.settings.max_concurrent:
                    return
                claim = self.store.claim_next()
                if claim is None:
                    return
                job_id, attempt = claim["id"], claim["attempt"]
                proc = self.ctx.Process(target=run_job, args=(self.store.url, job_id, attempt, os.getpid()),
                                        name=f"turnus-job-{job_id[:8]}", daemon=True)
                proc.start()
                self.running[job_id] = (proc, attempt)
            self.store.set_pid(job_id, attempt, proc.pid)
            log.info("solve dispatched", extra={"job_id": job_id, "attempt": attempt, "pid": proc.pid})

    # ------------------------------------------------------------ stop
    @staticmethod
    def _kill(proc) -> None:
        proc.terminate()
        proc.join(timeout=3)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=3)

    def stop(self, job_id: str) -> None:
        """Stop a job now: a queued job is cancelled, a running solve is terminated (best roster kept)."""
        if self.store.finish(job_id, None, JobStatus.STOPPED, from_status=(JobStatus.QUEUED,),
                             error={"code": "stopped", "detail": "stopped before it started"}):
            log.info("queued job cancelled", extra={"job_id": job_id})
            return
        with self.lock:
            entry = self.running.pop(job_id, None)
            if entry is not None:
                self._kill(entry[0])
        attempt = entry[1] if entry is not None else None
        if finalize(self.store, job_id, attempt, JobStatus.STOPPED):
            log.info("solve stopped", extra={"job_id": job_id, "status": JobStatus.STOPPED})
        self.wake.set()
