"""Batches through the HTTP service: `POST /v1/batches` (a manifest body, 202), `GET /v1/batches/{id}` (progress
and per-job links to `/v1/rosters/{id}`), `GET /v1/batches/{id}/summary.html`, `DELETE /v1/batches/{id}` (stop,
keeping what finished). The same code path as `turnus batch`: `parse_manifest`, `prepare`, `run_batch`, the summary.

A served manifest holds its inputs inline (`unit`, `scenarios`, `replan`, `roster` as JSON objects): the server
never reads a path a client names. Each batch runs in a thread of the server process as a Ray driver (the local Ray
the first batch starts, or the cluster of `RAY_ADDRESS`); its folder is `<data_dir>/batches/<id>/` (0700) and its
rosters are jobs of the tenant that made it.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import APIRouter, Body, Depends, Request, Response
from fastapi.responses import HTMLResponse

from api.service.auth import current_tenant, require_key
from api.service.problems import ProblemError
from models import InstanceError, Problem

from .jobs import Prepared, prepare
from .manifest import Batch, parse_manifest
from .results import Outdir, write_private
from .runner import BatchError, Options, run_batch
from .summary import write_summary

_ID = re.compile(r"^[0-9a-f]{32}$")
SERVICE = "service.json"
MAX_RUNNING = 4  # batches at once per server (each one is a Ray driver thread)


class BatchRuns:
    """The server's batches: a thread each; their state on disk, so GET still answers after a restart."""

    def __init__(self, settings: Any):
        self.settings = settings
        self.root = Path(settings.data_dir) / "batches"
        self.threads: dict[str, tuple[threading.Thread, threading.Event]] = {}
        self.lock = threading.Lock()

    def _folder(self, batch_id: str) -> Path:
        return self.root / batch_id

    def _meta(self, batch_id: str) -> dict[str, Any] | None:
        try:
            data = json.loads((self._folder(batch_id) / SERVICE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_meta(self, batch_id: str, meta: dict[str, Any]) -> None:
        write_private(self._folder(batch_id) / SERVICE, json.dumps(meta, indent=1))

    def start(self, batch: Batch, prepared: list[Prepared], tenant: str) -> str:
        with self.lock:
            alive = sum(1 for t, _ in self.threads.values() if t.is_alive())
            if alive >= MAX_RUNNING:
                raise ProblemError(
                    429,
                    "too_many_batches",
                    f"{alive} batches are running; try later",
                    headers={"Retry-After": str(self.settings.retry_after_s)},
                )
            batch_id = uuid.uuid4().hex
            folder = self._folder(batch_id)
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            folder.mkdir(mode=0o700)
            meta = {
                "id": batch_id,
                "tenant": tenant,
                "label": batch.label,
                "jobs": [p.spec.name for p in prepared],
                "status": "RUNNING",
                "created_at": time.time(),
            }
            self._write_meta(batch_id, meta)
            stop = threading.Event()
            thread = threading.Thread(
                target=self._run, args=(batch_id, batch, prepared, tenant, stop), daemon=True, name=f"batch-{batch_id}"
            )
            self.threads[batch_id] = (thread, stop)
            thread.start()
        return batch_id

    def _run(self, batch_id: str, batch: Batch, prepared: list[Prepared], tenant: str, stop: threading.Event) -> None:
        from api.service.store import Store

        folder = self._folder(batch_id)
        store = Store(self.settings.database_url, retry_s=self.settings.db_retry_s)
        meta = self._meta(batch_id) or {}
        try:
            outcome = run_batch(batch, prepared, Outdir(folder), Options(stop=stop), store=store, tenant=tenant)
            status = "STOPPED" if outcome.interrupted else "COMPLETED"
            write_summary(
                Outdir(folder).results(),
                folder,
                title=f"Batch {batch.label}",
                order=meta.get("jobs", []),
                wall_s=outcome.wall_s,
                cpus=outcome.cluster_cpus,
                deadline=batch.deadline.isoformat(timespec="minutes") if batch.deadline else None,
            )
            error = None
        except BatchError as err:
            status, error = "FAILED", {"code": err.code, "detail": err.message}
        except Exception as err:  # noqa: BLE001 - the batch is marked failed; its finished jobs stay
            status, error = "FAILED", {"code": "batch_crashed", "detail": type(err).__name__}
        finally:
            store.dispose()
        self._write_meta(batch_id, {**meta, "status": status, "finished_at": time.time(), "error": error})

    def view(self, batch_id: str, tenant: str) -> dict[str, Any]:
        meta = self._meta(batch_id) if _ID.match(batch_id) else None
        if meta is None or meta.get("tenant") != tenant:  # unknown, or another tenant's: the same answer
            raise ProblemError(404, "batch_not_found", "no batch with this id")
        running = batch_id in self.threads and self.threads[batch_id][0].is_alive()
        status = meta["status"]
        if status == "RUNNING" and not running:
            status = "INTERRUPTED"  # the server stopped while it ran; its finished jobs are kept
        records = Outdir(self._folder(batch_id)).results()
        jobs = []
        for name in meta.get("jobs", []):
            rec = records.get(name)
            job: dict[str, Any] = {"name": name, "status": rec["status"] if rec else "PENDING"}
            if rec:
                job.update(
                    kind=rec.get("kind"),
                    score=rec.get("score"),
                    unfilled=rec.get("unfilled"),
                    lawful=rec.get("lawful"),
                    wall_s=rec.get("wall_s"),
                    attempts=rec.get("attempts"),
                    error=rec.get("error"),
                )
                if rec.get("store_id"):
                    job["roster"] = f"/v1/rosters/{rec['store_id']}"
                if rec.get("variants"):
                    job["variants"] = [
                        {
                            "variant": v["variant"],
                            "status": v["status"],
                            "score": v.get("score"),
                            **({"roster": f"/v1/rosters/{v['store_id']}"} if v.get("store_id") else {}),
                        }
                        for v in rec["variants"]
                    ]
            jobs.append(job)
        done = sum(1 for j in jobs if j["status"] == "COMPLETED")
        failed = sum(1 for j in jobs if j["status"] == "FAILED")
        out = {
            "id": batch_id,
            "name": meta.get("label"),
            "status": status,
            "total": len(jobs),
            "completed": done,
            "failed": failed,
            "pending": len(jobs) - done - failed,
            "jobs": jobs,
            "error": meta.get("error"),
        }
        if (self._folder(batch_id) / "summary.html").exists():
            out["summary"] = f"/v1/batches/{batch_id}/summary.html"
        return out

    def stop(self, batch_id: str, tenant: str, wait_s: float = 10.0) -> dict[str, Any]:
        self.view(batch_id, tenant)  # 404 unless the tenant's
        entry = self.threads.get(batch_id)
        if entry is not None:
            entry[1].set()
            entry[0].join(wait_s)
        return self.view(batch_id, tenant)

    def summary(self, batch_id: str, tenant: str) -> str:
        self.view(batch_id, tenant)
        path = self._folder(batch_id) / "summary.html"
        if not path.exists():
            raise ProblemError(409, "no_summary", "the batch has no summary yet (it is still running)")
        return path.read_text(encoding="utf-8")

    def shutdown(self) -> None:
        for _thread, stop in list(self.threads.values()):
            stop.set()
        for thread, _ in list(self.threads.values()):
            thread.join(10.0)


def _runs(request: Request) -> BatchRuns:
    runs = getattr(request.app.state, "batches", None)
    if runs is None:
        runs = request.app.state.batches = BatchRuns(request.app.state.settings)
    return runs


def check_limits(batch: Batch, settings: Any) -> list[Problem]:
    """The server's bounds on a served batch: time limit and workers of every job."""
    problems = []
    for job in batch.jobs:
        if job.time_limit_s > settings.max_time_limit_s:
            problems.append(
                Problem(
                    code="out_of_range",
                    loc=f"jobs[{job.entry}].time_limit_s",
                    message=f"{job.time_limit_s:g} s is above this server's limit of {settings.max_time_limit_s:g} s",
                )
            )
        if job.workers > settings.max_workers:
            problems.append(
                Problem(
                    code="out_of_range",
                    loc=f"jobs[{job.entry}].workers",
                    message=f"{job.workers} workers is above this server's limit of {settings.max_workers}",
                )
            )
    return problems


def _invalid(problems: list[Problem]) -> ProblemError:
    return ProblemError(
        422,
        "invalid_manifest",
        f"the manifest has {len(problems)} problem(s)",
        errors=[{"code": p.code, "loc": p.loc, "message": p.message} for p in problems],
    )


def build_batch_router() -> APIRouter:
    from api.service.app import BODY_ERRORS, ERRORS
    from api.service.schemas import ProblemDetails

    def doc(code: int, text: str) -> dict[int | str, dict[str, Any]]:
        return {code: {"model": ProblemDetails, "description": text}}

    unknown = doc(404, "`batch_not_found`: unknown batch id (or another tenant's)")
    errors = cast(dict[int | str, dict[str, Any]], ERRORS)
    r = APIRouter(prefix="/v1", dependencies=[Depends(require_key)], tags=["batches"], responses=errors)

    @r.post(
        "/batches",
        status_code=202,
        responses={
            **cast(dict[int | str, dict[str, Any]], BODY_ERRORS),
            **doc(422, "`invalid_manifest`: every problem of the manifest in `errors`"),
            **doc(429, "`too_many_batches`: see Retry-After"),
        },
    )
    def create_batch(request: Request, response: Response, body: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        """Start a batch: a manifest (`turnus batch`'s keys) whose jobs hold their inputs inline. Units that are not
        valid are reported here (`rejected`) and in the batch as failed jobs; the others run."""
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        try:
            batch = parse_manifest(body, digest, "batch", None)
        except InstanceError as err:
            raise _invalid(err.problems) from None
        problems = check_limits(batch, request.app.state.settings)
        if problems:
            raise _invalid(problems)
        prepared = [prepare(spec) for spec in batch.jobs]
        batch_id = _runs(request).start(batch, prepared, current_tenant(request))
        response.headers["Location"] = f"/v1/batches/{batch_id}"
        return {
            "id": batch_id,
            "status": "RUNNING",
            "jobs": [p.spec.name for p in prepared],
            "rejected": [
                {
                    "name": p.spec.name,
                    "errors": [{"code": q.code, "loc": q.loc, "message": q.message} for q in p.problems],
                }
                for p in prepared
                if not p.ok
            ],
        }

    @r.get("/batches/{batch_id}", responses=unknown)
    def get_batch(batch_id: str, request: Request) -> dict[str, Any]:
        """Progress (completed, failed, pending) and every job with its score and a link to its roster job."""
        return _runs(request).view(batch_id, current_tenant(request))

    @r.get(
        "/batches/{batch_id}/summary.html",
        response_class=Response,
        responses={
            **{200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "the summary page"}},
            **unknown,
            **doc(409, "`no_summary`: the batch is still running"),
        },
    )
    def batch_summary(batch_id: str, request: Request) -> HTMLResponse:
        """The batch's summary page (as `turnus batch` writes it), once the batch has ended."""
        return HTMLResponse(_runs(request).summary(batch_id, current_tenant(request)))

    @r.delete("/batches/{batch_id}", responses=unknown)
    def stop_batch(batch_id: str, request: Request) -> dict[str, Any]:
        """Stop the batch: running jobs are cancelled, finished ones (and their rosters) are kept."""
        return _runs(request).stop(batch_id, current_tenant(request))

    return r
