"""The solve worker: runs in its own process (multiprocessing, spawn), one job per process.

It reads the job from the store, solves, and writes progress, every improving roster and the final result
straight into the store (guarded by the job's attempt number). Stopping is done from outside by terminating
the process; the best roster written so far then becomes the job's result (see `jobs.finalize_stopped`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

log = logging.getLogger("turnus.worker")

CHECK_EVERY_S = 1.0
HEARTBEAT_S = 1.0  # re-check (score) the best roster for GET while solving at most this often


def _watch_parent(ppid: int) -> None:
    """Exit when the server that started us is gone (kill -9 leaves orphans otherwise)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != ppid:
            os._exit(3)


def changes_between(before, after) -> dict[str, int]:
    """Cells (staff, date) that differ between two assignment lists."""
    old = {(a.staff, a.date): a.shift for a in before}
    new = {(a.staff, a.date): a.shift for a in after}
    added = sum(1 for k in new if k not in old)
    removed = sum(1 for k in old if k not in new)
    moved = sum(1 for k in new if k in old and old[k] != new[k])
    return {"changed": added + removed + moved, "added": added, "removed": removed, "moved": moved}


def run_job(db_url: str, job_id: str, attempt: int, ppid: int | None = None) -> None:
    """Process entry point."""
    from .logs import setup_logging

    setup_logging()
    if ppid is not None:
        threading.Thread(target=_watch_parent, args=(ppid,), daemon=True).start()
    from .store import JobStatus, Store

    store = Store(db_url)
    extra: dict[str, Any] = {"job_id": job_id, "attempt": attempt}
    try:
        _solve_job(store, job_id, attempt, extra)
    except Exception as exc:  # noqa: BLE001 - every failure ends the job with a reason
        from models import InstanceError

        if isinstance(exc, InstanceError):
            error = {"code": "invalid_instance", "detail": "the instance cannot be solved",
                     "errors": [p.model_dump() for p in exc.problems]}
        else:
            error = {"code": "solver_error", "detail": f"the solver failed ({type(exc).__name__})"}
        log.error("job failed", exc_info=True, extra={**extra, "code": error["code"]})
        store.finish(job_id, attempt, JobStatus.FAILED, error=error)
    finally:
        store.dispose()


def _solve_job(store, job_id: str, attempt: int, extra: dict) -> None:
    from models import Assignment, validate_instance
    from solver import SolveOptions, check, solve

    from .ops import score_summary
    from .store import JobStatus

    job = store.get(job_id)
    if job is None:
        return
    req = job["request"]
    run = (req.get("config") or {}).get("run") or {}
    inst, _ = validate_instance(req["input"])
    time_limit = float(run.get("time_limit_s") or 30.0)
    hint = None
    if job["restarts"]:  # resumed after a server restart: the remaining time, from the best roster so far
        spent = max(float(job.get("spent_s") or 0.0), float((job.get("progress") or {}).get("elapsed_s") or 0.0))
        time_limit = max(2.0, time_limit - spent)
        if job.get("best"):
            hint = [Assignment.model_validate(a) for a in job["best"]["assignments"]]
    opts = SolveOptions(time_limit_s=time_limit, workers=int(run.get("workers") or 1),
                        seed=int(run.get("seed") or 0), gap=float(run.get("gap") or 0.0), hint=hint)
    log.info("solve started", extra={**extra, "count": len(inst.staff), "time_limit_s": round(time_limit, 3)})
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(HEARTBEAT_S):
            try:
                store.heartbeat(job_id, attempt)
            except Exception:  # noqa: BLE001 - a missed heartbeat only shortens a resumed solve
                pass

    threading.Thread(target=heartbeat, daemon=True).start()
    state = {"last_check": 0.0, "progress": None}
    t0 = time.perf_counter()

    def on_progress(p) -> None:
        state["progress"] = {"elapsed_s": round(p.elapsed_s, 3), "objective": p.objective, "bound": p.bound,
                             "solutions": p.solutions, "phase": p.phase}

    def on_solution(assignments, objective: int) -> None:
        progress = state["progress"] or {"elapsed_s": round(time.perf_counter() - t0, 3), "objective": objective,
                                         "bound": None, "solutions": 1, "phase": "solve"}
        best = {"objective": objective, "assignments": [a.model_dump(mode="json") for a in assignments]}
        store.best(job_id, attempt, best, progress)
        now = time.perf_counter()
        if now - state["last_check"] >= CHECK_EVERY_S:
            state["last_check"] = now
            roster = check(inst, assignments)
            store.roster_so_far(job_id, attempt, roster.model_dump(mode="json", exclude_none=True),
                                score_summary(roster).model_dump())

    try:
        roster = solve(inst, opts, on_progress=on_progress, on_solution=on_solution)
    finally:
        done.set()
    changed = changes_between(inst.assignments, roster.assignments) if inst.assignments is not None else None
    done = store.finish(job_id, attempt, JobStatus.COMPLETED, roster=roster.model_dump(mode="json", exclude_none=True),
                        score=score_summary(roster).model_dump(), changed=changed)
    log.info("solve finished", extra={**extra, "status": JobStatus.COMPLETED if done else "superseded",
                                      "objective": roster.score.total,
                                      "elapsed_s": round(time.perf_counter() - t0, 3)})
