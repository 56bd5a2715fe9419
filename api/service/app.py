"""The turnus HTTP service (FastAPI): durable roster jobs, scoring, analysis, re-planning, recommendations.

Endpoints live under /v1 and need an API key (``X-API-Key``); /healthz and /readyz do not. Solving never runs
in this process: a dispatcher thread hands each job to its own worker process (see `jobs.py`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import re
import threading
import time
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, FastAPI, Query, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import StreamingResponse

from models import Instance, InstanceError, Roster

from . import problems
from .auth import current_tenant, require_key, tenant_of
from .budget import Deadline, SyncSlots
from .jobs import Dispatcher
from .ops import check_shape, check_size, merge_rules, prepare, recommend, replan_input, score_instance, score_summary
from .problems import ProblemError, invalid_instance, problem_response
from .schemas import (
    EXAMPLE_INSTANCE,
    INSTANCE_MARK,
    Analysis,
    JobCreated,
    JobList,
    JobOut,
    JobStatusOut,
    JobSummary,
    Justification,
    ProblemDetails,
    RecommendationRequest,
    RecommendationResult,
    ReplanCreated,
    ReplanRequest,
    RosterRequest,
    RuleAnalysis,
    Status,
    ValidationResult,
)
from .settings import Settings
from .sse import job_events
from .store import JobStatus, Store

log = logging.getLogger("turnus.http")

API_VERSION = "1.0.0"


# ------------------------------------------------------------------ middleware
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")
_KNOWN = {
    "",
    "v1",
    "rosters",
    "status",
    "events",
    "analysis",
    "replan",
    "validate",
    "recommendations",
    "healthz",
    "readyz",
    "docs",
    "openapi.json",
    "redoc",
    "export",
    "calendar",
    "holidays",
    "ui",
    "docs-assets",
}


_DOCS = {"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}


def _is_json(content_type: bytes) -> bool:
    """application/json or any +json type, with or without parameters (charset)."""
    media = content_type.split(b";", 1)[0].strip().lower()
    return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))


def route_of(path: str) -> tuple[str, str | None]:
    """The path as a template for the log (`/v1/rosters/{id}/status`) and the job id in it, if any: arbitrary
    path text from clients is never logged."""
    job_id, parts = None, []
    for part in path.split("/"):
        if part in _KNOWN:
            parts.append(part)
        elif _JOB_ID.match(part):
            job_id = part
            parts.append("{id}")
        else:
            parts.append("{?}")
    return "/".join(parts) or "/", job_id


class Guard:
    """Pure ASGI middleware: access log (no bodies, no query strings), body size limit (413), API key on /v1
    (checked before the body is parsed, so a request without a key always gets 401/403)."""

    def __init__(self, app, settings: Settings, key_hashes: dict[str, str]):
        self.app, self.settings, self.key_hashes = app, settings, key_hashes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status_box = {"status": 500}

        async def send_logged(message):
            if message["type"] == "http.response.start":
                status_box["status"] = message["status"]
            await send(message)

        try:
            await self._handle(scope, receive, send_logged)
        finally:
            path, job_id = route_of(scope.get("path", ""))
            extra = {
                "method": scope.get("method"),
                "path": path,
                "http_status": status_box["status"],
                "ms": round((time.perf_counter() - t0) * 1000, 1),
            }
            if job_id:
                extra["job_id"] = job_id
            log.info("request", extra=extra)

    async def _handle(self, scope, receive, send):
        path = scope.get("path", "")
        if path.startswith("/v1") or (not self.settings.public_docs and path in _DOCS):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            problem = tenant_of(self.key_hashes, headers.get("x-api-key"))
            if isinstance(problem, ProblemError):
                return await problem_response(problem.status, problem.code, problem.detail)(scope, receive, send)
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            limit = self.settings.max_body_bytes
            headers = dict(scope.get("headers", []))
            kind = headers.get(b"content-type")
            if path.startswith("/v1") and kind is not None and not _is_json(kind):
                return await problem_response(415, "unsupported_media_type", "send the body as application/json")(
                    scope, receive, send
                )
            length = headers.get(b"content-length")
            too_big = problem_response(413, "payload_too_large", f"the request body is larger than {limit} bytes")
            try:
                if length is not None and int(length) > limit:
                    return await too_big(scope, receive, send)
            except ValueError:
                return await problem_response(400, "bad_request", "invalid Content-Length")(scope, receive, send)
            chunks, size = [], 0
            import anyio

            try:
                with anyio.fail_after(self.settings.body_timeout_s):  # a body that never arrives in full
                    while True:
                        message = await receive()
                        if message["type"] == "http.disconnect":
                            return
                        body = message.get("body", b"")
                        size += len(body)
                        if size > limit:
                            return await too_big(scope, receive, send)
                        chunks.append(body)
                        if not message.get("more_body", False):
                            break
            except TimeoutError:
                return await problem_response(
                    408,
                    "request_timeout",
                    f"the request body did not arrive within {self.settings.body_timeout_s:g} s "
                    "(TURNUS_BODY_TIMEOUT_S)",
                    headers={"Connection": "close"},
                )(scope, receive, send)
            buffered = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            sent = {"done": False}

            async def replay():
                if not sent["done"]:
                    sent["done"] = True
                    return buffered
                return await receive()

            return await self.app(scope, replay, send)
        return await self.app(scope, receive, send)


# ------------------------------------------------------------------ helpers
def _ts(value: float | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromtimestamp(value, tz=dt.UTC)


def _summary_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row.get("name"),
        "operation": row["operation"],
        "status": row["status"],
        "parent_id": row.get("parent_id"),
        "created_at": _ts(row["created_at"]),
        "started_at": _ts(row.get("started_at")),
        "finished_at": _ts(row.get("finished_at")),
        "updated_at": _ts(row["updated_at"]),
        "restarts": row.get("restarts") or 0,
        "score": row.get("score"),
    }


def _error(row: dict[str, Any]) -> dict | None:
    """Why a job failed or stopped; for a queued or running job, a note that it was restarted; for a completed
    job, only that it was ended at its deadline (`deadline_exceeded`)."""
    error = row.get("error")
    if row["status"] == JobStatus.COMPLETED:
        return error if error and error.get("code") == "deadline_exceeded" else None
    return error


def _status_out(row: dict[str, Any]) -> JobStatusOut:
    """The small status document for polling (GET .../status, and the answer to a stop)."""
    return JobStatusOut(
        id=row["id"],
        status=row["status"],
        score=row.get("score"),
        progress=row.get("progress"),
        updated_at=_ts(row["updated_at"]),
        error=_error(row),
    )


def _store(request: Request) -> Store:
    return request.app.state.store


def _slots(request: Request) -> SyncSlots:
    return request.app.state.slots


def _job(request: Request, job_id: str, light: bool = False) -> dict[str, Any]:
    if not _JOB_ID.match(job_id):  # never reaches the database with arbitrary text (NUL, huge ids)
        raise ProblemError(404, "job_not_found", "no roster job with this id")
    row = _store(request).get(job_id, light=light, tenant=current_tenant(request))
    if row is None:  # unknown, or another tenant's: the same answer
        raise ProblemError(404, "job_not_found", "no roster job with this id")
    return row


def _check_run(settings: Settings, body_run) -> None:
    """Server limits on the run settings; fills in the server's default time limit."""
    errors = []
    if body_run.time_limit_s is None:
        body_run.time_limit_s = min(settings.default_time_limit_s, settings.max_time_limit_s)
    if body_run.time_limit_s > settings.max_time_limit_s:
        errors.append(
            {
                "code": "out_of_range",
                "loc": "config.run.time_limit_s",
                "message": f"time_limit_s must be at most {settings.max_time_limit_s:g} on this server",
            }
        )
    if body_run.workers > settings.max_workers:
        errors.append(
            {
                "code": "out_of_range",
                "loc": "config.run.workers",
                "message": f"workers must be at most {settings.max_workers} on this server",
            }
        )
    if errors:
        raise ProblemError(422, "invalid_request", f"the request has {len(errors)} problem(s)", errors=errors)


def _queue_guard(request: Request) -> None:
    settings: Settings = request.app.state.settings
    if _store(request).count(JobStatus.QUEUED) >= settings.queue_size:
        raise ProblemError(
            429,
            "queue_full",
            f"{settings.queue_size} jobs are already waiting; retry later",
            headers={"Retry-After": str(settings.retry_after_s)},
        )


def _warnings(warnings) -> list[dict]:
    return [{"code": w.code, "loc": f"input.{w.loc}" if w.loc else "input", "message": w.message} for w in warnings]


# ------------------------------------------------------------------ app
ERRORS = {
    code: {"model": ProblemDetails, "description": desc}
    for code, desc in (
        (401, "missing API key"),
        (403, "invalid API key"),
        (413, "request body too large"),
        (
            422,
            "invalid request or instance (errors: [{code, loc, message}]); `model_too_large` over a size cap, "
            "`over_time_budget` past TURNUS_SYNC_BUDGET_S",
        ),
        (429, "`server_busy`: TURNUS_SYNC_CONCURRENCY heavy requests already run; `queue_full` (see Retry-After)"),
        (503, "the database does not answer (see Retry-After)"),
    )
}
JOB_ERRORS = {**ERRORS, 404: {"model": ProblemDetails, "description": "unknown job id"}}
BODY_ERRORS = {
    code: {"model": ProblemDetails, "description": desc}
    for code, desc in (
        (400, "`malformed_json`: the body is not JSON; `bad_request`: an invalid Content-Length"),
        (408, "`request_timeout`: the body did not arrive within TURNUS_BODY_TIMEOUT_S"),
        (415, "`unsupported_media_type`: the body is not sent as application/json"),
    )
}


SUBMIT_EXAMPLES = {
    "tiny": {
        "summary": "a five-person unit, one week, solved for one second",
        "value": {"config": {"run": {"time_limit_s": 1, "workers": 1}}, "input": EXAMPLE_INSTANCE},
    }
}
RECOMMEND_EXAMPLES = {
    "tiny": {
        "summary": "who can take the day shift on Tuesday",
        "value": {"input": EXAMPLE_INSTANCE, "shift": "D", "date": "2027-01-05", "max": 3},
    }
}


def _problem_json(schema: dict) -> None:
    """Error answers are RFC 9457 documents: `application/problem+json` (FastAPI would say application/json)."""
    for item in schema.get("paths", {}).values():
        for op in item.values():
            for code, resp in (op.get("responses") or {}).items():
                content = resp.get("content") or {}
                if code[:1] in ("4", "5") and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
                    body = content["application/problem+json"]
                    if body.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                        # FastAPI's default 422 on routes outside this router: every app error is a problem
                        body["schema"] = {"$ref": "#/components/schemas/ProblemDetails"}
                        resp["description"] = "invalid request (errors: [{code, loc, message}])"
    comps = schema.get("components", {}).get("schemas", {})
    if "HTTPValidationError" in comps and "HTTPValidationError" not in str(schema.get("paths")):
        comps.pop("HTTPValidationError")
        comps.pop("ValidationError", None)


def build_router() -> APIRouter:
    r = APIRouter(prefix="/v1", dependencies=[Depends(require_key)], responses=ERRORS)

    @r.post(
        "/rosters",
        status_code=202,
        response_model=JobCreated,
        tags=["rosters"],
        responses={
            **BODY_ERRORS,
            201: {"model": JobCreated, "description": "operation=score: scored and completed"},
            429: {"model": ProblemDetails, "description": "queue full or server busy (see Retry-After)"},
        },
    )
    def submit_roster(
        body: Annotated[RosterRequest, Body(openapi_examples=SUBMIT_EXAMPLES)],
        request: Request,
        response: Response,
        operation: Literal["solve", "score"] = Query(
            "solve", description="`solve` queues a solve; `score` scores `input.assignments` now"
        ),
    ):
        """Submit a unit instance. `solve` answers 202 and runs the job in a worker process; `score` scores
        the instance's own assignments (e.g. a planner's manual roster) at once and answers 201."""
        settings: Settings = request.app.state.settings
        _check_run(settings, body.config.run)
        check_shape(input=body.input, **{"config.rules": body.config.rules})
        check_size(body.input, settings)
        with _slots(request).slot() as deadline:
            return _submit(body, request, response, operation, deadline)

    def _submit(
        body: RosterRequest, request: Request, response: Response, operation: str, deadline: Deadline
    ) -> JobCreated:
        data = merge_rules(body.input, body.config)
        try:
            inst, warnings = prepare(data)
        except InstanceError as err:
            raise invalid_instance(err) from None
        if operation == "score" and inst.assignments is None:
            from models import Problem

            warnings.append(
                Problem(
                    code="no_assignments",
                    loc="assignments",
                    severity="warning",
                    message="the input has no assignments: scoring an empty roster",
                )
            )
        stored = {"config": body.config.model_dump(mode="json"), "input": data}
        store = _store(request)
        if operation == "score":
            deadline.check("validating the unit")
            roster = score_instance(inst)
            now = time.time()
            job_id = store.create(
                operation="score",
                request=stored,
                name=body.config.run.name,
                tenant=current_tenant(request),
                warnings=_warnings(warnings),
                status=JobStatus.COMPLETED,
                now=now,
                started_at=now,
                finished_at=now,
                roster=roster.model_dump(mode="json", exclude_none=True),
                score=score_summary(roster).model_dump(),
            )
            response.status_code = 201
            status = JobStatus.COMPLETED
        else:
            _queue_guard(request)
            job_id = store.create(
                operation="solve",
                request=stored,
                name=body.config.run.name,
                warnings=_warnings(warnings),
                tenant=current_tenant(request),
            )
            request.app.state.dispatcher.notify()
            status = JobStatus.QUEUED
        log.info("job created", extra={"job_id": job_id, "status": status, "count": len(inst.staff)})
        response.headers["Location"] = f"/v1/rosters/{job_id}"
        return JobCreated(id=job_id, status=status, operation=operation, warnings=_warnings(warnings))

    @r.get("/rosters", response_model=JobList, tags=["rosters"])
    def list_rosters(
        request: Request,
        limit: int = Query(50, ge=1, le=200),
        offset: int = Query(0, ge=0, le=2**62),
        status: Status | None = Query(None),
    ):
        """Jobs, newest first, paged by limit/offset (`next_offset` is null on the last page)."""
        rows, total = _store(request).list(limit, offset, status, tenant=current_tenant(request))
        nxt = offset + limit if offset + limit < total else None
        return JobList(
            items=[JobSummary(**_summary_fields(r)) for r in rows],
            total=total,
            limit=limit,
            offset=offset,
            next_offset=nxt,
        )

    @r.get(
        "/rosters/{job_id}",
        response_model=JobOut,
        response_model_exclude_none=True,
        tags=["rosters"],
        responses=JOB_ERRORS,
    )
    def get_roster(
        job_id: str, request: Request, include_roster: bool = Query(True, description="include the roster (large)")
    ):
        """Status, score, timestamps and the roster: the result when done, the best so far while solving."""
        row = _job(request, job_id, light=not include_roster)
        return JobOut(
            **_summary_fields(row),
            progress=row.get("progress"),
            changes=row.get("changed"),
            warnings=row.get("warnings") or [],
            error=_error(row),
            roster=row.get("roster") if include_roster else None,
        )

    @r.get(
        "/rosters/{job_id}/status",
        response_model=JobStatusOut,
        response_model_exclude_none=True,
        tags=["rosters"],
        responses=JOB_ERRORS,
    )
    def get_status(job_id: str, request: Request):
        """A small status document for polling."""
        row = _job(request, job_id, light=True)
        return _status_out(row)

    @r.get(
        "/rosters/{job_id}/events",
        tags=["rosters"],
        responses={
            **JOB_ERRORS,
            200: {
                "content": {"text/event-stream": {}},
                "description": "events `status`, `progress` {elapsed_s, objective, bound, solutions, "
                "phase} and a final `done`; the stream ends with the job",
            },
        },
    )
    async def job_events_stream(job_id: str, request: Request):
        """Server-sent events with solve progress until the job ends."""
        import anyio

        await anyio.to_thread.run_sync(_job, request, job_id, True)
        settings: Settings = request.app.state.settings
        return StreamingResponse(
            job_events(_store(request), job_id, poll_s=settings.poll_interval_s),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @r.delete(
        "/rosters/{job_id}",
        response_model=JobStatusOut,
        response_model_exclude_none=True,
        tags=["rosters"],
        responses={**JOB_ERRORS, 204: {"description": "erase=true: the job and everything stored with it are gone"}},
    )
    def stop_roster(
        job_id: str,
        request: Request,
        erase: bool = Query(
            False, description="also delete the job with its stored input (health data), roster and results"
        ),
    ):
        """Stop now: a queued job is cancelled; a running solve is terminated and keeps its best roster so far.
        A finished job is left as it is. With `erase=true` the job is stopped and then deleted (204); it is
        404 afterwards. Re-plans of it keep their own copy of the input and are erased on their own."""
        _job(request, job_id, light=True)
        request.app.state.dispatcher.stop(job_id)
        if erase:
            _store(request).erase(job_id, tenant=current_tenant(request))
            log.info("job erased", extra={"job_id": job_id})
            return Response(status_code=204)
        row = _job(request, job_id, light=True)
        return _status_out(row)

    @r.get(
        "/rosters/{job_id}/analysis",
        response_model=Analysis,
        tags=["rosters"],
        responses={**JOB_ERRORS, 409: {"model": ProblemDetails, "description": "no roster yet"}},
    )
    def analysis(job_id: str, request: Request):
        """Score per rule with justifications (who, which dates, how much), the unfilled demand and, for an
        over-constrained unit, the REQUIRED rules that conflict."""
        row = _job(request, job_id)
        if not row.get("roster"):
            raise ProblemError(409, "no_roster", f"the job has no roster yet (status {row['status']})")
        roster = Roster.model_validate(row["roster"])
        by_rule: dict[str, list[Justification]] = {}
        for v in roster.violations:
            by_rule.setdefault(v.rule, []).append(
                Justification(staff=v.staff, dates=v.dates, amount=v.amount, penalty=v.penalty, detail=v.detail)
            )
        rules = [
            RuleAnalysis(
                rule=rs.rule,
                level=rs.level,
                violations=rs.violations,
                penalty=rs.penalty,
                justifications=sorted(by_rule.get(rs.rule, []), key=lambda j: -j.penalty),
            )
            for rs in sorted(roster.score.rules, key=lambda rs: -rs.penalty)
        ]
        return Analysis(
            id=row["id"],
            status=row["status"],
            score=score_summary(roster),
            lawful=roster.lawful,
            rules=rules,
            unfilled=roster.unfilled,
            unfilled_total=sum(u.missing for u in roster.unfilled),
            conflicts=roster.conflicts,
            kpis=roster.kpis,
        )

    @r.post(
        "/rosters/{job_id}/replan",
        status_code=202,
        response_model=ReplanCreated,
        tags=["rosters"],
        responses={
            **JOB_ERRORS,
            **BODY_ERRORS,
            409: {"model": ProblemDetails, "description": "the job has no roster yet"},
            429: {"model": ProblemDetails, "description": "queue full or server busy (see Retry-After)"},
        },
    )
    def replan(job_id: str, body: ReplanRequest, request: Request, response: Response):
        """Re-plan after changes (sick leave, a new absence, changed demand, new pins). The new job starts from
        the previous roster (hint), pins everything before `freeze_before`, and the `stability` rule penalises
        each changed assignment, so it changes as few others as it can. `changes` in the result counts them."""
        check_shape(
            changes=[c.model_dump(mode="json") for c in body.changes],
            **{"config.rules": body.config.rules if body.config is not None else {}},
        )
        parent = _job(request, job_id)
        if not parent.get("roster"):
            raise ProblemError(409, "no_roster", f"the job has no roster to re-plan from (status {parent['status']})")
        settings: Settings = request.app.state.settings
        config = body.config
        if config is not None:
            _check_run(settings, config.run)
        data, frozen = replan_input(parent["request"]["input"], parent["roster"].get("assignments", []), body)
        check_size(data, settings)
        with _slots(request).slot():
            try:
                inst, warnings = prepare(data)
            except InstanceError as err:
                raise invalid_instance(err) from None
        _queue_guard(request)
        cfg = (config.model_dump(mode="json") if config is not None else parent["request"].get("config")) or {}
        new_id = _store(request).create(
            operation="replan",
            request={"config": cfg, "input": data},
            name=(cfg.get("run") or {}).get("name"),
            parent_id=job_id,
            warnings=_warnings(warnings),
            tenant=current_tenant(request),
        )
        request.app.state.dispatcher.notify()
        log.info("replan created", extra={"job_id": new_id, "count": frozen})
        response.headers["Location"] = f"/v1/rosters/{new_id}"
        return ReplanCreated(
            id=new_id,
            status=JobStatus.QUEUED,
            operation="replan",
            parent_id=job_id,
            warnings=_warnings(warnings),
            frozen=frozen,
        )

    @r.post("/validate", response_model=ValidationResult, tags=["instances"], responses=BODY_ERRORS)
    def validate(body: RosterRequest, request: Request):
        """Coded errors and warnings for an instance (with `config.rules` merged), without solving."""
        check_shape(input=body.input, **{"config.rules": body.config.rules})
        check_size(body.input, request.app.state.settings)
        try:
            with _slots(request).slot():
                _, warnings = prepare(merge_rules(body.input, body.config))
        except InstanceError as err:
            p = invalid_instance(err)
            return ValidationResult(valid=False, errors=p.errors, warnings=[])
        return ValidationResult(valid=True, errors=[], warnings=_warnings(warnings))

    @r.post(
        "/recommendations",
        response_model=RecommendationResult,
        response_model_exclude_none=True,
        tags=["instances"],
        responses=BODY_ERRORS,
    )
    def recommendations(
        body: Annotated[RecommendationRequest, Body(openapi_examples=RECOMMEND_EXAMPLES)], request: Request
    ):
        """Who can take an open shift, and what it costs: eligible staff ranked (lawful first, then by total
        score change), each with the score change per rule. `include_ineligible` lists the others with a reason."""
        check_shape(
            input=body.input,
            roster=body.roster.model_dump(mode="json") if body.roster else None,
            **{"config.rules": body.config.rules if body.config is not None else {}},
        )
        check_size(body.input, request.app.state.settings)
        try:
            with _slots(request).slot() as deadline:
                return recommend(body, deadline)
        except InstanceError as err:
            raise invalid_instance(err) from None

    return r


def create_app(settings: Settings | None = None, job_target=None) -> FastAPI:
    """The app; `job_target` replaces the worker entry point (tests)."""
    settings = settings or Settings.from_env().ensure_key()
    if not settings.api_keys:
        settings = settings.ensure_key()

    key_hashes = settings.key_hashes

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        base = Store(settings.database_url, retry_s=settings.db_retry_s, fault_file=settings.fault_file)
        tenants = set(key_hashes.values())
        if len(tenants) == 1:  # one key: it owns the jobs made before jobs had tenants
            base.adopt_untenanted(next(iter(tenants)))
        dispatcher = Dispatcher(base, settings, target=job_target)
        # requests wait at most ~2 s for the database, then answer 503 (Retry-After)
        store = base.with_retry(min(2.0, settings.db_retry_s))
        app.state.store, app.state.dispatcher = store, dispatcher
        dispatcher.start()
        # import the checker (OR-Tools, numpy) in the background, so the first score or DELETE is quick
        threading.Thread(target=importlib.import_module, args=("solver",), daemon=True).start()
        log.info("service started", extra={"count": settings.max_concurrent})
        try:
            yield
        finally:
            if getattr(app.state, "batches", None) is not None:  # batches (api/batch/service.py): stop, keep results
                app.state.batches.shutdown()
            dispatcher.shutdown()
            base.dispose()
            log.info("service stopped")

    app = FastAPI(
        title="turnus",
        version=API_VERSION,
        lifespan=lifespan,
        description="Rostering for Norwegian municipal care units (CP-SAT): durable roster jobs, "
        "scoring, explanations, re-planning and recommendations. Errors are RFC 9457 "
        "problem details.",
        docs_url=None,  # /docs and /redoc come from api.web with bundled assets (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.key_hashes = key_hashes
    app.state.slots = SyncSlots(settings.sync_concurrency, settings.sync_budget_s, settings.retry_after_s)
    problems.install(app)

    @app.get("/healthz", tags=["health"])
    async def healthz():
        """Liveness: the process answers (on the event loop, never waiting for a thread-pool slot)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], responses={503: {"model": ProblemDetails}})
    def readyz(request: Request):
        """Readiness: the database answers and the dispatcher runs."""
        try:
            request.app.state.store.ping()
        except Exception:  # noqa: BLE001
            return problem_response(
                503,
                "database_unavailable",
                "the database does not answer",
                headers={"Retry-After": str(settings.retry_after_s)},
            )
        if not request.app.state.dispatcher.alive():
            return problem_response(503, "dispatcher_down", "the job dispatcher is not running")
        return {"status": "ready"}

    app.include_router(build_router())
    from api.batch.service import build_batch_router  # /v1/batches: `turnus batch` through the service

    app.include_router(build_batch_router())
    from api.web import mount as mount_web  # the planner page, offline docs, exports (issue 17)

    mount_web(app)

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        comps = schema.setdefault("components", {}).setdefault("schemas", {})
        inst_schema = Instance.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in inst_schema.pop("$defs", {}).items():
            comps.setdefault(name, sub)
        comps.setdefault("Instance", inst_schema)
        for model in comps.values():  # request bodies name the instance schema (see schemas.InstanceBody)
            for name, prop in (model.get("properties") or {}).items():
                if isinstance(prop, dict) and prop.get(INSTANCE_MARK):
                    model["properties"][name] = {
                        "$ref": f"#/components/schemas/{prop[INSTANCE_MARK]}",
                        "description": prop.get("description", ""),
                    }
        _problem_json(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(Guard, settings=settings, key_hashes=key_hashes)
    return app
