"""Run a batch on Ray: one Ray task per job, with `num_cpus` equal to the job's CP-SAT workers.

Ray does the scheduling: every job is submitted at once and Ray starts as many as the cluster's CPUs hold
(`ray.init()` on this machine, `--address`/`RAY_ADDRESS` for an existing cluster). The driver only waits for
results (`ray.wait`), writes each one durably as it arrives, and resubmits a failed job once.

A small actor, the board, is told by each task when it starts and ends (fire-and-forget calls, so a task never
blocks on it: a task blocked in `ray.get` lends its CPU to another task, which would oversubscribe the node), for
the "running" count of the progress display.

With a deadline ("done by 06:00") the driver keeps only as many jobs submitted as the cluster runs at once and
gives each one its time limit when it is submitted, which is when it starts: the time left spread over the solves
not started yet and the parallel slots (`spread`), never more than the job's own limit. Jobs that start late in
the night get less time instead of the batch running into the morning. Without a deadline every job is
submitted at once and Ray alone decides what runs where.
"""

from __future__ import annotations

import math
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import Roster

from .jobs import Prepared, execute
from .results import SCENARIOS, Outdir, StoreWriter, now_iso, summary_of

MIN_LIMIT_S = 2.0  # a spread limit never goes below this (a roster needs its construction)
DEADLINE_SHARE = 0.85  # of each share: the rest covers model build, the checker and writing
MAX_ATTEMPTS = 2  # a failed job is retried once


def spread(remaining_s: float, pending_weight: int, slots: int, wanted_s: float) -> float:
    """Time limit per solve for a job starting now: the remaining time over the waves of solves still to come
    (`pending_weight` solves, including this job's, `slots` at a time), capped by the job's own limit."""
    waves = max(1, math.ceil(pending_weight / max(1, slots)))
    return max(MIN_LIMIT_S, min(wanted_s, DEADLINE_SHARE * remaining_s / waves))


class Budget:
    """Deadline spreading: each job's time limit per solve as it starts (`limit`)."""

    def __init__(self, deadline_ts: float, slots: int, weights: dict[str, int]):
        self.deadline_ts, self.slots, self.weights = deadline_ts, slots, dict(weights)
        self.started: set[str] = set()

    def limit(self, name: str, wanted_s: float) -> float:
        pending = sum(w for n, w in self.weights.items() if n not in self.started or n == name)
        self.started.add(name)
        return spread(self.deadline_ts - time.time(), pending, self.slots, wanted_s)


class Board:
    """Which jobs are running (a Ray actor without CPUs; the plain class is tested directly)."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.finished: set[str] = set()

    def start(self, name: str) -> None:
        self.started[name] = time.time()
        self.finished.discard(name)

    def finish(self, name: str) -> None:
        self.finished.add(name)

    def running(self) -> list[str]:
        return [n for n in self.started if n not in self.finished]


def _task(payload: dict[str, Any], limit_s: float, board: Any) -> dict[str, Any]:
    """The Ray task body: tell the board, run the job with `limit_s` per solve, tell the board it is done."""
    import ray

    name = payload["name"]
    board.start.remote(name)
    try:
        return {**execute(payload, limit_s), "node": ray.get_runtime_context().get_node_id()[:12]}
    finally:
        board.finish.remote(name)


@dataclass
class Options:
    address: str | None = None
    time_limit_s: float | None = None  # replaces every job's time limit
    workers_per_job: int | None = None  # replaces every job's workers
    resume: bool = False
    retry_failed: bool = False  # with resume: jobs that failed in the earlier run run again
    ray_init: dict[str, Any] = field(default_factory=dict)  # extra ray.init() arguments (tests: num_cpus)
    stop: threading.Event | None = None  # set: cancel what runs, keep what finished (the service's DELETE)


@dataclass
class Outcome:
    run_id: str
    records: dict[str, dict[str, Any]]  # every job of the manifest that has a result (this run and earlier ones)
    ran: list[str]  # jobs run (or failed up front) in this run
    skipped: list[str]  # jobs already finished in an earlier run (resume)
    interrupted: bool = False
    cluster_cpus: float = 0.0
    wall_s: float = 0.0
    manifest_changed: bool = False


class BatchError(Exception):
    """The batch cannot start (coded problems, exit 2)."""

    def __init__(self, code: str, loc: str, message: str):
        super().__init__(message)
        self.code, self.loc, self.message = code, loc, message


EventFn = Callable[[str, dict[str, Any]], None]


_INIT = threading.Lock()  # the service may start two batches at once: one ray.init per process


def _current_cluster() -> str | None:
    """The address `ray start` noted in Ray's temp folder (RAY_TMPDIR, else /tmp), if any."""
    path = Path(os.environ.get("RAY_TMPDIR") or "/tmp") / "ray" / "ray_current_cluster"
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _reachable(address: str | None, timeout_s: float = 5.0) -> bool:
    """Whether something listens at host:port (a Ray head's GCS): `ray.init` itself would retry for minutes."""
    if not address:
        return False
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout_s):
            return True
    except (OSError, ValueError):
        return False


def _ray(options: Options):
    import ray

    address = options.address or os.environ.get("RAY_ADDRESS") or None
    if address not in (None, "local", "auto") and not _reachable(address):
        raise BatchError("ray_unavailable", address, "no Ray cluster answers at this address")
    with _INIT:
        if ray.is_initialized():  # this process is a driver already (the service's second batch, tests)
            return ray
        if address is None and not _reachable(_current_cluster()):
            address = "local"  # no address, and no live `ray start` cluster here (or a stale file): embedded
        kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": "WARNING", **options.ray_init}
        if address in (None, "local"):  # "local": a Ray of our own even when a `ray start` cluster runs here
            kwargs.setdefault("include_dashboard", False)
        try:
            ray.init(address=address, **kwargs)
        except Exception as err:  # noqa: BLE001 - no cluster at that address, a stale one, auth: one coded line
            first = (str(err).strip().splitlines() or [type(err).__name__])[0][:300]
            raise BatchError("ray_unavailable", address or "ray.init()", f"{type(err).__name__}: {first}") from None
    return ray


def _error_of(err: BaseException) -> dict[str, str]:
    """A job failure as a code and a short detail (the exception's type and first line; no data)."""
    import ray.exceptions as rx

    cause: BaseException = err.cause if isinstance(err, rx.RayTaskError) and err.cause is not None else err
    codes: dict[type, str] = {
        rx.OutOfMemoryError: "out_of_memory",
        rx.WorkerCrashedError: "worker_crashed",
        rx.NodeDiedError: "node_lost",
        rx.TaskCancelledError: "cancelled",
    }
    code = codes.get(type(cause), "job_crashed")
    if isinstance(cause, MemoryError):
        code = "out_of_memory"
    lines = str(cause).strip().splitlines()
    text = lines[-1] if lines else ""
    return {"code": code, "detail": f"{type(cause).__name__}: {text}"[:500]}


def run_batch(
    batch: Any,
    prepared: list[Prepared],
    outdir: Outdir,
    options: Options,
    *,
    store: Any = None,
    tenant: str | None = None,
    on_event: EventFn = lambda kind, data: None,
) -> Outcome:
    """Run every prepared job not finished yet; write each result as it arrives. `batch` is the loaded
    manifest (`manifest.Batch`). Raises `BatchError` before any job starts."""
    t_start = time.time()
    for p in prepared:
        if options.time_limit_s is not None:
            p.spec.time_limit_s = options.time_limit_s
            if p.payload is not None:
                p.payload["time_limit_s"] = options.time_limit_s
        if options.workers_per_job is not None:
            p.spec.workers = options.workers_per_job
            if p.payload is not None:
                p.payload["workers"] = options.workers_per_job
    if outdir.in_use() and not options.resume:
        raise BatchError("outdir_in_use", str(outdir.path), "holds an earlier batch run: add --resume or use another")
    done = outdir.results() if options.resume else {}
    names = {p.spec.name for p in prepared}
    again = options.retry_failed
    keep = {n: r for n, r in done.items() if n in names and (r.get("status") == "COMPLETED" or not again)}
    todo = [p for p in prepared if p.spec.name not in keep]
    runnable = [p for p in todo if p.ok]
    cpus = 0.0
    if runnable:  # Ray first: a cluster that does not answer (or is too small) stops the batch before any write
        ray = _ray(options)
        nodes = [n for n in ray.nodes() if n.get("Alive")]
        per_node = max((n.get("Resources", {}).get("CPU", 0.0) for n in nodes), default=0.0)
        cpus = float(ray.cluster_resources().get("CPU", 0.0))
        too_big = sorted({p.spec.workers for p in runnable if p.spec.workers > per_node})
        if too_big:
            raise BatchError(
                "workers_unavailable",
                "workers",
                f"jobs want {too_big[-1]} CPUs but the largest Ray node has {per_node:g}: lower --workers-per-job",
            )
    run_id, changed = outdir.open(batch.digest, batch.manifest.name, options.resume)
    label = batch.label
    writer = StoreWriter(store, run_id, label, tenant) if store is not None else None
    records: dict[str, dict[str, Any]] = dict(keep)
    outcome = Outcome(run_id, records, [], sorted(keep), manifest_changed=changed, cluster_cpus=cpus)

    def finish(record: dict[str, Any]) -> None:
        outdir.write_record(record)
        records[record["name"]] = record
        outcome.ran.append(record["name"])
        on_event("job", record)

    on_event("start", {"total": len(prepared), "skipped": len(keep), "to_run": len(runnable), "run_id": run_id})
    # bad input: recorded at once, never run
    for p in [p for p in todo if not p.ok]:
        invalid: dict[str, Any] = {
            "code": "invalid_input",
            "detail": f"{len(p.problems)} problem(s) in the input",
            "errors": [q.model_dump() for q in p.problems],
        }
        finish(_failed(p, invalid, 0, t_start, writer))
    if not runnable:
        outcome.wall_s = time.time() - t_start
        return outcome

    mean_workers = sum(p.spec.workers for p in runnable) / len(runnable)
    slots = max(1, int(cpus // mean_workers))
    budget = (
        Budget(batch.deadline.timestamp(), slots, {p.spec.name: p.weight for p in runnable})
        if batch.deadline is not None
        else None
    )
    board = ray.remote(num_cpus=0)(Board).remote()
    remote = ray.remote(_task)
    by_ref: dict[Any, tuple[Prepared, int]] = {}
    waiting: list[tuple[Prepared, int]] = [(p, 1) for p in runnable]
    first_error: dict[str, dict[str, str]] = {}

    def submit_ready() -> None:
        """Submit what may start: everything without a deadline; with one, only what runs at once."""
        while waiting and (budget is None or len(by_ref) < slots):
            p, attempt = waiting.pop(0)
            wanted = float(p.spec.time_limit_s)
            limit = budget.limit(p.spec.name, wanted) if budget is not None else wanted
            ref = remote.options(num_cpus=p.spec.workers, max_retries=0, name=f"turnus-batch:{p.spec.name}").remote(
                p.payload, limit, board
            )
            by_ref[ref] = (p, attempt)

    limits = {p.spec.name: p.spec.time_limit_s * p.weight for p in runnable}
    spent: list[tuple[float, float]] = []  # (wall s, time limit × solves) of the jobs completed in this run
    last_tick = 0.0
    try:
        submit_ready()
        while by_ref:
            if options.stop is not None and options.stop.is_set():
                raise KeyboardInterrupt
            ready, _ = ray.wait(list(by_ref), num_returns=1, timeout=0.5)
            for ref in ready:
                p, attempt = by_ref.pop(ref)
                try:
                    result = ray.get(ref)
                except Exception as err:  # noqa: BLE001 - any job failure is recorded, never raised
                    error = _error_of(err)
                    if attempt < MAX_ATTEMPTS:
                        first_error[p.spec.name] = error
                        on_event("retry", {"name": p.spec.name, "code": error["code"], "attempt": attempt + 1})
                        waiting.insert(0, (p, attempt + 1))
                    else:
                        finish(_failed(p, error, attempt, t_start, writer, first_error.get(p.spec.name)))
                    continue
                spent.append((result["wall_s"], limits[p.spec.name]))
                finish(_completed(p, result, attempt, outdir, writer, first_error.get(p.spec.name)))
            submit_ready()
            if time.time() - last_tick >= 1.0 or ready:
                last_tick = time.time()
                running = ray.get(board.running.remote())
                left = [n for n in limits if n not in records]
                ratio = sum(w for w, _ in spent) / sum(lim for _, lim in spent) if spent else 1.1
                eta = sum(limits[n] for n in left) * ratio / slots
                on_event(
                    "tick",
                    {
                        "done": sum(1 for r in records.values() if r["status"] == "COMPLETED"),
                        "failed": sum(1 for r in records.values() if r["status"] == "FAILED"),
                        "running": len(running),
                        "total": len(prepared),
                        "eta_s": round(eta, 1),
                    },
                )
    except KeyboardInterrupt:  # Ctrl-C, or a stop: what finished is written already
        outcome.interrupted = True
        for ref in by_ref:
            ray.cancel(ref, force=True)
    finally:
        ray.kill(board)
    outcome.wall_s = time.time() - t_start
    return outcome


def _base_record(p: Prepared, attempts: int) -> dict[str, Any]:
    return {
        "name": p.spec.name,
        "kind": p.spec.kind,
        "source": p.spec.source,
        "attempts": attempts,
        "time_limit_s": p.spec.time_limit_s,
        "workers": p.spec.workers,
        "seed": p.spec.seed,
        "finished_at": now_iso(),
    }


def _failed(
    p: Prepared,
    error: dict[str, Any],
    attempts: int,
    started: float,
    writer: StoreWriter | None,
    first: dict[str, str] | None = None,
) -> dict[str, Any]:
    rec = {**_base_record(p, attempts), "status": "FAILED", "error": error, "wall_s": 0.0}
    if first is not None:
        rec["first_error"] = first
    if writer is not None and p.spec.kind != "scenarios":
        store_error = {k: v for k, v in error.items() if k in ("code", "detail", "errors")}
        rec["store_id"] = writer.write(
            p.spec.name,
            operation="replan" if p.spec.kind == "replan" else "solve",
            data=p.raw_input,
            run=_run(p),
            status="FAILED",
            started=started,
            finished=time.time(),
            error=store_error,
        )
    return rec


def _run(p: Prepared, limit: float | None = None) -> dict[str, Any]:
    return {"time_limit_s": limit or p.spec.time_limit_s, "workers": p.spec.workers, "seed": p.spec.seed}


def _completed(
    p: Prepared,
    result: dict[str, Any],
    attempts: int,
    outdir: Outdir,
    writer: StoreWriter | None,
    first: dict[str, str] | None,
) -> dict[str, Any]:
    rec = {**_base_record(p, attempts), "status": "COMPLETED", "wall_s": round(result["wall_s"], 2)}
    rec["node"] = result.get("node")  # the Ray node that ran it
    rec["time_limit_s"] = round(result["limit_s"], 2)
    if first is not None:
        rec["first_error"] = first
    started, finished = result["started"], result["started"] + result["wall_s"]
    if result["kind"] == "scenarios":
        rec.update(_scenario_part(p, result, outdir, writer, started, finished))
        return rec
    roster = Roster.model_validate(result["roster"])
    rec["roster_file"] = outdir.write_roster(p.spec.name, result["roster"])
    rec.update(summary_of(roster))
    if result.get("changed") is not None:
        rec["changed"] = result["changed"]
    if p.payload and p.payload.get("frozen") is not None:
        rec["frozen"] = p.payload["frozen"]
    if writer is not None:
        rec["store_id"] = writer.write(
            p.spec.name,
            operation="replan" if p.spec.kind == "replan" else "solve",
            data=p.payload["input"] if p.payload else None,
            run=_run(p, result["limit_s"]),
            status="COMPLETED",
            started=started,
            finished=finished,
            roster=result["roster"],
            score=rec["score"],
            changed=result.get("changed"),
        )
    return rec


def _scenario_part(
    p: Prepared, result: dict[str, Any], outdir: Outdir, writer: StoreWriter | None, started: float, finished: float
) -> dict[str, Any]:
    """A scenario file's report (the scenarios module's own) and one row per variant; each variant's roster is
    a store job of its own (`<job>/<variant>`)."""
    from scenarios.report import write_report
    from scenarios.spec import ScenarioFile

    assert p.payload is not None
    sfile = ScenarioFile.model_validate(p.payload["spec"])
    folder = outdir.path / (p.spec.name + SCENARIOS)
    write_report(
        sfile,
        result["results"],
        folder,
        time_limit_s=result["limit_s"],
        workers=p.spec.workers,
        source=f"Scenario file {p.spec.source} (batch job {p.spec.name}).",
    )
    for f in folder.rglob("*"):
        os.chmod(f, 0o700 if f.is_dir() else 0o600)
    os.chmod(folder, 0o700)
    variants = []
    for r in result["results"]:
        row = {
            "variant": r.name,
            "kind": r.kind,
            "status": r.status,
            "error": r.error,
            "wall_s": round(r.wall_s, 2),
            "solver_limited": r.solver_limited,
            "scenario_kpis": {k: round(v, 4) for k, v in r.kpis.items()},
        }
        row.update(summary_of(r.roster))
        if writer is not None and not r.error:
            row["store_id"] = writer.write(
                f"{p.spec.name}/{r.name}",
                operation="solve",
                data=r.instance.model_dump(mode="json", exclude_none=True),
                run=_run(p, result["limit_s"]),
                status="COMPLETED",
                started=started,
                finished=finished,
                roster=r.roster.model_dump(mode="json", exclude_none=True),
                score=row["score"],
            )
        variants.append(row)
    ok = [v for v in variants if not v["error"]]
    base = ok[0] if ok else None
    return {
        "report": f"{folder.name}/report.html",
        "variants": variants,
        "score": base["score"] if base else None,
        "unfilled": base["unfilled"] if base else None,
        "lawful": all(v["lawful"] for v in ok) if ok else False,
        "kpis": base["kpis"] if base else {},
        "solve_status": base["solve_status"] if base else None,
        "failed_variants": len(variants) - len(ok),
    }
