"""Errors as RFC 9457 problem details: ``{type, title, status, detail, code, errors?}`` with
``application/problem+json``. Validation problems (422) list ``errors: [{code, loc, message}]``."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from models import InstanceError
from models.validation import PYDANTIC_CODES, loc_path

log = logging.getLogger("turnus.http")

PROBLEM_TYPE = "https://turnus.dev/problems/"  # + code; documented in docs/service.md


class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        errors: list[dict] | None = None,
        headers: dict[str, str] | None = None,
        title: str | None = None,
    ):
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors, self.headers = status, code, detail, errors, headers
        self.title = title or HTTPStatus(status).phrase


def problem_body(
    status: int, code: str, detail: str, errors: list[dict] | None = None, title: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + code,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    status: int,
    code: str,
    detail: str,
    errors: list[dict] | None = None,
    headers: dict[str, str] | None = None,
    title: str | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, code, detail, errors, title),
        status_code=status,
        headers=headers,
        media_type="application/problem+json",
    )


def instance_problems(err: InstanceError) -> list[dict]:
    return [{"code": p.code, "loc": p.loc, "message": p.message} for p in err.problems]


def invalid_instance(err: InstanceError, prefix: str = "input") -> ProblemError:
    errors = instance_problems(err)
    for e in errors:
        e["loc"] = f"{prefix}.{e['loc']}" if e["loc"] and prefix else (e["loc"] or prefix)
    return ProblemError(422, "invalid_instance", f"the instance has {len(errors)} problem(s)", errors=errors)


_STATUS_CODES = {
    400: "bad_request",
    401: "missing_api_key",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "queue_full",
    500: "internal_error",
    503: "unavailable",
}


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.status, exc.code, exc.detail, exc.errors, exc.headers, exc.title)

    @app.exception_handler(InstanceError)
    async def _instance(_: Request, exc: InstanceError) -> JSONResponse:
        p = invalid_instance(exc)
        return problem_response(p.status, p.code, p.detail, p.errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        if any(e.get("type") == "json_invalid" for e in exc.errors()):  # not JSON at all: 400, not 422
            first = next(e for e in exc.errors() if e.get("type") == "json_invalid")
            ctx = first.get("ctx") or {}
            return problem_response(
                400,
                "malformed_json",
                "the body is not valid JSON" + (f" ({ctx['error']})" if ctx.get("error") else ""),
            )
        for e in exc.errors():
            kind = e.get("type", "invalid")
            code = "malformed_json" if kind == "json_invalid" else PYDANTIC_CODES.get(kind, kind)
            errors.append(
                {
                    "code": code,
                    "loc": loc_path(e.get("loc", ())),
                    "message": str(e.get("msg", "invalid")).removeprefix("Value error, "),
                }
            )
        return problem_response(422, "invalid_request", f"the request has {len(errors)} problem(s)", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem_response(exc.status_code, code, detail, headers=getattr(exc, "headers", None))

    from sqlalchemy.exc import OperationalError

    from .store import DatabaseUnavailable

    async def _db_down(request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable", extra={"method": request.method, "code": type(exc).__name__})
        retry = str(getattr(request.app.state.settings, "retry_after_s", 10))
        return problem_response(
            503, "database_unavailable", "the database does not answer; retry later", headers={"Retry-After": retry}
        )

    app.add_exception_handler(DatabaseUnavailable, _db_down)
    app.add_exception_handler(OperationalError, _db_down)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unhandled error",
            exc_info=(type(exc), exc, exc.__traceback__),
            extra={"method": request.method, "path": request.url.path},
        )
        return problem_response(500, "internal_error", "an unexpected error occurred; it has been logged")
