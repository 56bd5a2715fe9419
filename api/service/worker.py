"""The solve worker: runs in its own process (multiprocessing, spawn), one job per process.

It reads the job from the store, solves, and writes progress, every improving roster and the final result
straight into the store (guarded by the job's attempt number). Budgets: the process runs under an address-space
limit (`RLIMIT_AS`, `memory_mb`; running out fails the job with `memory_limit`), and it asks the solver to stop
at the job's time limit counted from the start of the process (model build included); the dispatcher kills it
at the limit plus a grace period if it is still running (see `jobs.py`). Stopping is done from outside by
terminating the process; the best roster written so far then becomes the job's result (see `jobs.finalize`).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from typing import Any

log = logging.getLogger("turnus.worker")

CHECK_EVERY_S = 1.0  # re-check (score) the best roster for GET while solving at most this often
HEARTBEAT_S = 1.0
EXIT_DB_DOWN = 4  # the final write failed after retries (the dispatcher finalizes from the best roster)
EXIT_MEMORY = 5  # out of memory even for the failure report
_MEMORY_HINTS = re.compile(r"memory|map segment|allocate|can't start new thread|Resource temporarily", re.I)


def _caused_by_memory(exc: BaseException) -> bool:
    """Whether a MemoryError is anywhere in the chain of `exc` (cause or context)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, MemoryError):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


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


def limit_memory(memory_mb: int) -> None:
    """Address-space limit for this process (0: none)."""
    if memory_mb and memory_mb > 0:
        import resource

        limit = int(memory_mb) * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _preload() -> None:
    import numpy  # noqa: F401
    from ortools.sat.python import cp_model  # noqa: F401

    import models  # noqa: F401
    import solver

    solver.solve, solver.check  # noqa: B018 - lazy exports: load them now
    from . import ops  # noqa: F401 - pydantic schemas and FastAPI's problem types, imported by the job itself


def memory_error(memory_mb: int) -> dict[str, str]:
    return {
        "code": "memory_limit",
        "detail": f"the solve ran out of its memory limit ({memory_mb} MB); raise "
        "TURNUS_WORKER_MEMORY_MB or submit a smaller unit (fewer staff, weeks, shift types or tasks)",
    }


def run_job(db_url: str, job_id: str, attempt: int, ppid: int | None = None, options: dict | None = None) -> None:
    """Process entry point. `options`: memory_mb, retry_s, fault_file."""
    options = options or {}
    memory_mb = int(options.get("memory_mb") or 0)
    from .logs import setup_logging

    setup_logging()
    if ppid is not None:
        threading.Thread(target=_watch_parent, args=(ppid,), daemon=True).start()
    from .store import DatabaseUnavailable, JobStatus, Store

    store = Store(db_url, retry_s=float(options.get("retry_s", 20.0)), fault_file=options.get("fault_file"))
    extra: dict[str, Any] = {"job_id": job_id, "attempt": attempt}
    error = None
    if memory_mb:
        _preload()  # the libraries' fixed cost is not the job's: the limit bounds what the solve grows to
    reserve = bytearray(4 * 1024 * 1024)  # freed on MemoryError, so the failure can still be written
    try:
        limit_memory(memory_mb)
        _solve_job(store, job_id, attempt, extra)
    except MemoryError:
        reserve = None  # noqa: F841 - room for the failure report
        error = memory_error(memory_mb)
    except (ImportError, OSError, RuntimeError, SystemError) as exc:  # a library that cannot map or start under
        # the limit; SystemError: a MemoryError raised inside a solver callback surfaces through the C++ layer
        if memory_mb and (_MEMORY_HINTS.search(str(exc)) or _caused_by_memory(exc)):
            reserve = None  # noqa: F841 - room for the failure report
            error = memory_error(memory_mb)
        else:
            error = {"code": "solver_error", "detail": f"the solver failed ({type(exc).__name__})"}
            log.error("job failed", exc_info=True, extra={**extra, "code": error["code"]})
    except DatabaseUnavailable:
        log.error("database unavailable: final write failed", extra={**extra, "code": "database_unavailable"})
        store.dispose()
        os._exit(EXIT_DB_DOWN)
    except Exception as exc:  # noqa: BLE001 - every failure ends the job with a reason
        from models import InstanceError

        if isinstance(exc, InstanceError):
            error = {
                "code": "invalid_instance",
                "detail": "the instance cannot be solved",
                "errors": [p.model_dump() for p in exc.problems],
            }
        else:
            error = {"code": "solver_error", "detail": f"the solver failed ({type(exc).__name__})"}
            log.error("job failed", exc_info=True, extra={**extra, "code": error["code"]})
    if error is not None:
        try:
            if error["code"] != "solver_error":
                log.error("job failed", extra={**extra, "code": error["code"]})
            store.finish(job_id, attempt, JobStatus.FAILED, error=error)
        except MemoryError:
            os._exit(EXIT_MEMORY)
        except DatabaseUnavailable:
            os._exit(EXIT_DB_DOWN)
    store.dispose()


def _solve_job(store, job_id: str, attempt: int, extra: dict) -> None:
    from models import Assignment, validate_instance
    from solver import SolveOptions, check, solve

    from .ops import score_summary
    from .store import JobStatus

    t_start = time.monotonic()  # the job's budget starts here (imports done): reading, model build, solve
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
    # model build and warm start are part of the budget
    remaining = max(0.5, time_limit - (time.monotonic() - t_start))
    opts = SolveOptions(
        time_limit_s=remaining,
        workers=int(run.get("workers") or 1),
        seed=int(run.get("seed") or 0),
        gap=float(run.get("gap") or 0.0),
        hint=hint,
    )
    log.info("solve started", extra={**extra, "count": len(inst.staff), "time_limit_s": round(remaining, 3)})
    done = threading.Event()
    stop = threading.Event()
    deadline = t_start + time_limit

    def heartbeat() -> None:
        while not done.wait(HEARTBEAT_S):
            if time.monotonic() >= deadline:
                stop.set()  # every phase is asked to stop at the deadline; the dispatcher enforces it
            try:
                store.heartbeat(job_id, attempt)
            except Exception:  # noqa: BLE001 - a missed heartbeat only shortens a resumed solve
                pass

    threading.Thread(target=heartbeat, daemon=True).start()
    state = {"last_check": 0.0, "progress": None}
    t0 = time.perf_counter()

    def on_progress(p) -> None:
        state["progress"] = {
            "elapsed_s": round(p.elapsed_s, 3),
            "objective": p.objective,
            "bound": p.bound,
            "solutions": p.solutions,
            "phase": p.phase,
        }

    def on_solution(assignments, objective: int) -> None:
        progress = state["progress"] or {
            "elapsed_s": round(time.perf_counter() - t0, 3),
            "objective": objective,
            "bound": None,
            "solutions": 1,
            "phase": "solve",
        }
        best = {"objective": objective, "assignments": [a.model_dump(mode="json") for a in assignments]}
        now = time.perf_counter()
        roster = None
        if now - state["last_check"] >= CHECK_EVERY_S:  # always for the first solution
            state["last_check"] = now
            roster = check(inst, assignments)
        try:
            if roster is not None:
                store.best(
                    job_id,
                    attempt,
                    best,
                    progress,
                    roster.model_dump(mode="json", exclude_none=True),
                    score_summary(roster).model_dump(),
                )
            else:
                store.best(job_id, attempt, best, progress)
        except Exception:  # noqa: BLE001 - the database is down: keep solving, the final write retries
            state["last_check"] = 0.0
            log.warning("could not write the best roster", extra={**extra, "code": "database_unavailable"})

    try:
        roster = solve(inst, opts, on_progress=on_progress, on_solution=on_solution, stop=stop)
    finally:
        done.set()
    changed = changes_between(inst.assignments, roster.assignments) if inst.assignments is not None else None
    written = store.finish(
        job_id,
        attempt,
        JobStatus.COMPLETED,
        roster=roster.model_dump(mode="json", exclude_none=True),
        score=score_summary(roster).model_dump(),
        changed=changed,
    )
    log.info(
        "solve finished",
        extra={
            **extra,
            "status": JobStatus.COMPLETED if written else "superseded",
            "objective": roster.score.total,
            "elapsed_s": round(time.perf_counter() - t0, 3),
        },
    )
