"""Routes of the planner page: `/` (the page), `/ui/*` (its static files and the bundled demo units), `/docs`
and `/redoc` from assets shipped in the `fastapi-offline` package (no CDN), and two API endpoints the page and
other clients use: `GET /v1/rosters/{id}/export` (xlsx, csv, ics) and `GET /v1/calendar/holidays`.

The page holds no server state of its own: every roster operation goes through the public /v1 API.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from api.service.auth import current_tenant, require_key
from api.service.problems import ProblemError

STATIC = Path(__file__).resolve().parent / "static"
DATA = Path(__file__).resolve().parent.parent.parent / "models" / "data"
DEMOS = {"demo": "demo.json", "demo_tasks": "demo_tasks.json"}
_JOB_ID_LEN = 32


class Holiday(BaseModel):
    date: dt.date
    name: str


def _docs_assets() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def _job_row(request: Request, job_id: str) -> dict:
    if len(job_id) != _JOB_ID_LEN or any(c not in "0123456789abcdef" for c in job_id):
        raise ProblemError(404, "job_not_found", "no roster job with this id")
    row = request.app.state.store.get(job_id, tenant=current_tenant(request))
    if row is None:
        raise ProblemError(404, "job_not_found", "no roster job with this id")
    return row


def api_router() -> APIRouter:
    r = APIRouter(prefix="/v1", dependencies=[Depends(require_key)])

    @r.get(
        "/rosters/{job_id}/export",
        tags=["rosters"],
        responses={
            200: {
                "content": {
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                    "text/csv": {},
                    "text/calendar": {},
                },
                "description": "the file (Content-Disposition: attachment)",
            },
            404: {"description": "unknown job id"},
            409: {"description": "the job has no roster yet"},
            422: {"description": "an option that does not fit the unit (e.g. unknown staff)"},
        },
    )
    def export_roster(
        job_id: str,
        request: Request,
        format: Literal["xlsx", "csv", "ics"] = Query("xlsx", description="file format"),
        lang: Literal["nb", "en"] = Query("nb", description="labels: bokmål or English"),
        staff: str | None = Query(None, max_length=64, description="ics: one person's calendar"),
        layout: Literal["grid", "shifts"] = Query("grid", description="csv: the grid, or one row per shift"),
        decimal: Literal["comma", "point"] = Query("comma", description="csv: decimal comma (';') or point (',')"),
        block_weeks: int = Query(2, ge=1, le=12, description="xlsx: weeks per grid sheet"),
    ):
        """The job's roster as a file planners hand out: the Excel grid (one sheet per block of weeks, legend,
        colours, hours against target, daily staffing against the bemanningsplan, one sheet per rule with its
        violations), CSV for Norwegian Excel, or iCalendar (Europe/Oslo) for one person or everyone."""
        from api.export import MEDIA_TYPES, ExportError, ExportOptions, filename
        from api.export import export_roster as export
        from api.service.problems import invalid_instance
        from models import InstanceError, Roster, validate_instance

        row = _job_row(request, job_id)
        if not row.get("roster"):
            raise ProblemError(409, "no_roster", f"the job has no roster yet (status {row['status']})")
        try:
            inst, _ = validate_instance(row["request"]["input"])
            roster = Roster.model_validate(row["roster"])
            opts = ExportOptions(
                lang=lang, block_weeks=block_weeks, layout=layout, decimal_comma=decimal == "comma", staff=staff
            )
            body = export(inst, roster, format, opts)
        except InstanceError as err:
            raise invalid_instance(err) from None
        except ExportError as err:
            raise ProblemError(
                422,
                "invalid_request",
                str(err),
                errors=[{"code": err.code, "loc": err.loc, "message": str(err)}],
            ) from None
        name = filename(inst, format, staff)
        return Response(
            body,
            media_type=MEDIA_TYPES[format],
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    @r.get("/calendar/holidays", response_model=list[Holiday], tags=["instances"])
    def holidays(
        start: dt.date = Query(..., description="first date"),
        end: dt.date = Query(..., description="last date (at most 2 years after start)"),
        lang: Literal["nb", "en"] = Query("nb"),
    ):
        """Norwegian public holidays (helligdager) between two dates, for marking a roster grid."""
        from api.export.calendar import public_holidays

        if end < start or (end - start).days > 731:
            raise ProblemError(
                422,
                "invalid_request",
                "end must be on or after start, at most 2 years later",
                errors=[{"code": "out_of_range", "loc": "end", "message": "end before start or over 2 years"}],
            )
        return [Holiday(date=d, name=n) for d, n in public_holidays(start, end, lang).items()]

    return r


def mount(app: FastAPI) -> None:
    """Add the page, its assets, the offline docs and the export/holiday endpoints to `app` (created with
    `docs_url=None, redoc_url=None`, so the CDN-based default docs pages are not registered)."""
    app.include_router(api_router())
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", media_type="text/html", headers={"Cache-Control": "no-cache"})

    @app.get("/ui/demo/{name}.json", include_in_schema=False)
    def demo_unit(name: str):
        """A bundled demo unit for the page's "demo" button (the same files `turnus demo` solves)."""
        file = DEMOS.get(name)
        if file is None or not (DATA / file).exists():
            raise ProblemError(404, "not_found", "no such demo unit")
        return JSONResponse(json.loads((DATA / file).read_text(encoding="utf-8")))

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} – Swagger UI",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} – ReDoc",
            redoc_js_url="/docs-assets/redoc.standalone.js",
            redoc_favicon_url="/docs-assets/favicon.png",
            with_google_fonts=False,
        )

    # mounts last: a mount matches every path below it, so the routes above come first
    app.mount("/ui", StaticFiles(directory=STATIC), name="ui")
    app.mount("/docs-assets", StaticFiles(directory=_docs_assets()), name="docs-assets")
