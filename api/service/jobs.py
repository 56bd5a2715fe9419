"""Job dispatch: a bounded queue in the store, at most `max_concurrent` worker processes at once.

A dispatcher thread (never the event loop) claims queued jobs and starts one spawn-context process per job.
It holds a lease on each job it runs (renewed every `lease_s / 3`), and its reaper takes over jobs whose lease
has expired (their server is gone): queued again, or failed after `max_restarts`.
Budgets are enforced from outside: a solve still running at its time limit + `kill_grace_s` is killed and ends
with the best roster it reported (`deadline_exceeded`); the worker runs under a memory limit (`memory_limit`).
DELETE terminates the process at once; the best roster the worker wrote so far is re-checked and kept.
A worker that dies on its own (crash, OOM kill) fails its job with a reason, again keeping the best roster.
When the database is down, final writes are retried until they succeed (`pending`).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from .ops import score_summary
from .settings import Settings
from .store import JobStatus, Store
from .worker import EXIT_DB_DOWN, EXIT_MEMORY, memory_error, run_job

log = logging.getLogger("turnus.jobs")

KILLED_STATUS = "KILLED_AT_DEADLINE"  # roster.solve.status of a solve killed at its deadline


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
    info = SolveInfo(
        status=status,
        objective=best.get("objective"),
        bound=progress.get("bound"),
        wall_time_s=float(progress.get("elapsed_s") or 0.0),
        time_limit_s=run.get("time_limit_s"),
        workers=run.get("workers"),
        seed=run.get("seed"),
    )
    return roster.model_copy(update={"solve": info})


def finalize(
    store: Store,
    job_id: str,
    attempt: int | None,
    status: str,
    error: dict | None = None,
    solve_status: str | None = None,
    status_without_roster: str | None = None,
) -> bool:
    """End a SOLVING job whose worker is gone, keeping the best roster it wrote. With `status_without_roster`,
    a job without any roster ends with that status instead."""
    job = store.get(job_id)
    if job is None or job["status"] != JobStatus.SOLVING or (attempt is not None and job["attempt"] != attempt):
        return False
    roster = None
    try:
        roster = roster_from_best(job, solve_status or status)
    except Exception:  # noqa: BLE001 - a broken best roster must not keep the job open
        log.error("could not re-check the best roster", exc_info=True, extra={"job_id": job_id})
    if roster is None and status_without_roster:
        status = status_without_roster
    changed = None
    if roster is not None:
        from models import Assignment

        prev = job["request"]["input"].get("assignments")
        if prev is not None:
            from .worker import changes_between

            changed = changes_between([Assignment.model_validate(a) for a in prev], roster.assignments)
    return store.finish(
        job_id,
        attempt,
        status,
        error=error,
        changed=changed,
        roster=roster.model_dump(mode="json", exclude_none=True) if roster is not None else None,
        score=score_summary(roster).model_dump() if roster is not None else None,
    )


@dataclass
class Running:
    proc: Any
    attempt: int
    deadline: float  # monotonic: kill at time limit + grace
    limit_s: float


@dataclass
class Pending:
    """A final write that failed (database down): retried on every loop until it lands."""

    attempt: int | None
    status: str
    kwargs: dict = field(default_factory=dict)


class Dispatcher:
    def __init__(self, store: Store, settings: Settings, target=None):
        self.store, self.settings = store, settings
        self.target = target or run_job  # the worker entry point (tests use stand-ins)
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.ctx = mp.get_context("spawn")
        self.running: dict[str, Running] = {}
        self.pending: dict[str, Pending] = {}
        self.lock = threading.RLock()
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self._last_renew = self._last_reap = self._last_purge = 0.0

    @property
    def _lease_every(self) -> float:
        return max(0.2, self.settings.lease_s / 3)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        try:
            self.recover()
        except Exception:  # noqa: BLE001 - the database may be down at start: the loop retries
            log.error("recovery failed; retried by the reaper", exc_info=True)
        self.thread = threading.Thread(target=self._loop, name="turnus-dispatcher", daemon=True)
        self.thread.start()

    def recover(self) -> None:
        """Take over the jobs of servers whose lease expired (never a live server's)."""
        with self.lock:
            mine = set(self.running) | set(self.pending)
        requeued, failed = self.store.recover(self.settings.max_restarts, skip=mine)
        for job_id in requeued:
            log.warning("job interrupted by a server stop: queued again", extra={"job_id": job_id})
        for job_id in failed:
            log.error("job interrupted too often: failed", extra={"job_id": job_id, "status": "FAILED"})
        self._last_reap = time.monotonic()
        if requeued:
            self.wake.set()

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def shutdown(self) -> None:
        """Stop dispatching; running solves are terminated and queued again for the next start."""
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        with self.lock:
            for job_id, run in list(self.running.items()):
                self._kill(run.proc)
                try:
                    if self.store.requeue(
                        job_id, "the server was shut down during the solve; the job was queued again"
                    ):
                        log.warning("solve interrupted by shutdown: queued again", extra={"job_id": job_id})
                except Exception:  # noqa: BLE001 - its lease expires; another start takes it over
                    log.error("could not queue a job again at shutdown", extra={"job_id": job_id})
            self.running.clear()

    def notify(self) -> None:
        self.wake.set()

    # ------------------------------------------------------------ loop
    def _loop(self) -> None:
        while not self.stopping.is_set():
            for step in (
                self._renew,
                self._enforce_deadlines,
                self._reap,
                self._retry_pending,
                self._reap_expired,
                self._purge,
                self._launch,
            ):
                try:
                    step()
                except Exception as exc:  # noqa: BLE001 - keep dispatching (e.g. the database is down)
                    log.error("dispatcher error", extra={"code": type(exc).__name__, "event_step": step.__name__})
            self.wake.wait(self.settings.poll_interval_s)
            self.wake.clear()

    def _renew(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_renew < self._lease_every:
            return
        with self.lock:
            ids = list(self.running)
        if not ids:
            self._last_renew = now
            return
        held = self.store.renew(self.owner, ids, self.settings.lease_s)
        self._last_renew = now
        for job_id in set(ids) - held:  # taken over by another server (our lease expired) or ended elsewhere
            with self.lock:
                run = self.running.pop(job_id, None)
            if run is not None:
                self._kill(run.proc)
                log.warning("lease lost: solve process ended", extra={"job_id": job_id, "attempt": run.attempt})

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        with self.lock:
            late = [(job_id, run) for job_id, run in self.running.items() if now >= run.deadline]
            for job_id, _ in late:
                del self.running[job_id]
        for job_id, run in late:
            self._kill(run.proc)
            error = {
                "code": "deadline_exceeded",
                "detail": f"the solve was still running at its time limit "
                f"({run.limit_s:g} s) + {self.settings.kill_grace_s:g} s (TURNUS_KILL_GRACE_S) and was ended; "
                "the best roster it reported is kept",
            }
            log.warning("solve killed at its deadline", extra={"job_id": job_id, "attempt": run.attempt})
            self._finalize(
                job_id,
                run.attempt,
                JobStatus.COMPLETED,
                error=error,
                solve_status=KILLED_STATUS,
                status_without_roster=JobStatus.FAILED,
            )

    def _reap(self) -> None:
        with self.lock:
            done = [(job_id, run) for job_id, run in self.running.items() if not run.proc.is_alive()]
            for job_id, _ in done:
                del self.running[job_id]
        for job_id, run in done:
            run.proc.join(timeout=1)
            code = run.proc.exitcode
            memory_mb = self.settings.worker_memory_mb
            if code == EXIT_DB_DOWN:
                error = {
                    "code": "database_unavailable",
                    "detail": "the database did not answer when the solve ended; the best roster found before is kept",
                }
            elif memory_mb and code in (EXIT_MEMORY, -6, 134):  # MemoryError, or abort() on a failed allocation
                error = memory_error(memory_mb)
            else:
                error = {
                    "code": "worker_died",
                    "detail": f"the solve process ended unexpectedly (exit code {code}); "
                    "the best roster found before is kept",
                }
            if self._finalize(job_id, run.attempt, JobStatus.FAILED, error=error):
                log.error("worker died", extra={"job_id": job_id, "exitcode": code, "code": error["code"]})

    def _finalize(self, job_id: str, attempt: int | None, status: str, **kwargs) -> bool:
        try:
            return finalize(self.store, job_id, attempt, status, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the database is down: retry until it lands
            log.error("final write failed; retried", extra={"job_id": job_id, "code": type(exc).__name__})
            self.pending[job_id] = Pending(attempt, status, kwargs)
            return False

    def _retry_pending(self) -> None:
        for job_id, p in list(self.pending.items()):
            finalize(self.store, job_id, p.attempt, p.status, **p.kwargs)  # raises while the database is down
            del self.pending[job_id]
            log.info("final write landed", extra={"job_id": job_id})

    def _reap_expired(self) -> None:
        if time.monotonic() - self._last_reap < self._lease_every:
            return
        self.recover()

    def _purge(self) -> None:
        """Retention (TURNUS_RETENTION_DAYS): finished jobs older than that are deleted with their input and
        roster; checked at start and then every tenth of the retention time (at least 1 s, at most hourly)."""
        days = self.settings.retention_days
        if not days:
            return
        keep_s = days * 86_400
        now = time.monotonic()
        if self._last_purge and now - self._last_purge < min(3600.0, max(1.0, keep_s / 10)):
            return
        self._last_purge = now
        n = self.store.purge(time.time() - keep_s)
        if n:
            log.info("finished jobs purged (retention)", extra={"count": n})

    def _launch(self) -> None:
        while not self.stopping.is_set():
            with self.lock:
                if len(self.running) >= self.settings.max_concurrent:
                    return
                claim = self.store.claim_next(self.owner, self.settings.lease_s)
                if claim is None:
                    return
                job_id, attempt = claim["id"], claim["attempt"]
                limit = float(claim.get("time_limit_s") or self.settings.default_time_limit_s)
                if claim["restarts"]:
                    limit = max(2.0, limit - float(claim.get("spent_s") or 0.0))
                options = {
                    "memory_mb": self.settings.worker_memory_mb,
                    "retry_s": self.settings.db_retry_s,
                    "fault_file": str(self.settings.fault_file) if self.settings.fault_file else None,
                }
                args = (self.store.url, job_id, attempt, os.getpid(), options)
                proc = self.ctx.Process(target=self.target, args=args, name=f"turnus-job-{job_id[:8]}", daemon=True)
                proc.start()
                self.running[job_id] = Running(
                    proc, attempt, time.monotonic() + limit + self.settings.kill_grace_s, limit
                )
            try:
                self.store.set_pid(job_id, attempt, proc.pid)
            except Exception:  # noqa: BLE001 - only informative
                pass
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
        if self.store.finish(
            job_id,
            None,
            JobStatus.STOPPED,
            from_status=(JobStatus.QUEUED,),
            error={"code": "stopped", "detail": "stopped before it started"},
        ):
            log.info("queued job cancelled", extra={"job_id": job_id})
            return
        with self.lock:
            entry = self.running.pop(job_id, None)
            if entry is not None:
                self._kill(entry.proc)
        attempt = entry.attempt if entry is not None else None
        error = {"code": "stopped", "detail": "stopped while solving; the best roster found so far is kept"}
        if finalize(self.store, job_id, attempt, JobStatus.STOPPED, error=error):  # replaces a `restarted` note
            log.info("solve stopped", extra={"job_id": job_id, "status": JobStatus.STOPPED})
        self.wake.set()
