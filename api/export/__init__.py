"""Roster exports planners hand out: Excel grid (`xlsx`), CSV for Norwegian Excel (`csv`), iCalendar (`ics`).

`export_roster` is what the CLI (`turnus export`) and the service (`GET /v1/rosters/{id}/export`) call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from models import Instance, Roster

from .labels import Lang

Format = Literal["xlsx", "csv", "ics"]
FORMATS: tuple[str, ...] = ("xlsx", "csv", "ics")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}


@dataclass(frozen=True)
class ExportOptions:
    lang: Lang = "nb"
    block_weeks: int = 2  # xlsx: weeks per grid sheet
    layout: Literal["grid", "shifts"] = "grid"  # csv
    decimal_comma: bool = True  # csv
    staff: str | None = None  # ics: one person's calendar


class ExportError(ValueError):
    """An export option that does not fit the unit: `code`, `loc`, message (CLI exit 2, HTTP 422)."""

    def __init__(self, code: str, loc: str, message: str):
        super().__init__(message)
        self.code, self.loc = code, loc


def export_roster(inst: Instance, roster: Roster, fmt: str, opts: ExportOptions | None = None) -> bytes:
    """The roster in `fmt`, re-checked against `inst` first, so score, violations and unfilled slots in the file
    are the checker's for exactly these assignments (also for a hand-made roster without a score)."""
    from solver.checker import check

    opts = opts or ExportOptions()
    if fmt not in FORMATS:
        raise ExportError("unknown_format", "format", f"{fmt!r} is not one of {', '.join(FORMATS)}")
    _check_refs(inst, roster)
    roster = check(inst, roster)
    if fmt == "xlsx":
        from .xlsx import write_xlsx

        if not 1 <= opts.block_weeks <= 12:
            raise ExportError("out_of_range", "block_weeks", f"must be 1..12, not {opts.block_weeks}")
        return write_xlsx(inst, roster, opts.lang, opts.block_weeks)
    if fmt == "csv":
        from .delimited import write_csv

        return write_csv(inst, roster, opts.lang, opts.layout, opts.decimal_comma)
    if fmt == "ics":
        from .ics import write_ics

        if opts.staff is not None and opts.staff not in {s.id for s in inst.staff}:
            raise ExportError("unknown_staff", "staff", "no staff member of the unit has this id")
        return write_ics(inst, roster, opts.staff, opts.lang)
    raise ExportError("unknown_format", "format", f"{fmt!r} is not one of {', '.join(FORMATS)}")


def _check_refs(inst: Instance, roster: Roster) -> None:
    """Every assignment names staff, a shift type and a date of the unit (the checker would skip the others
    silently, and a file that leaves shifts out is worse than no file): all problems at once, coded."""
    from models import InstanceError, Problem

    staff = {s.id for s in inst.staff}
    codes = {t.code for t in inst.shift_types}
    problems = []
    for i, a in enumerate(roster.assignments):
        loc = f"assignments[{i}]"
        if a.staff not in staff:
            problems.append(Problem(code="unknown_staff", loc=f"{loc}.staff", message="not staff of the unit"))
        if a.shift not in codes:
            problems.append(Problem(code="unknown_shift", loc=f"{loc}.shift", message="not a shift type of the unit"))
        if not inst.period.contains(a.date):
            problems.append(
                Problem(code="date_outside_period", loc=f"{loc}.date", message=f"{a.date} is outside the period")
            )
    if problems:
        raise InstanceError(problems[:50])


def filename(inst: Instance, fmt: str, staff: str | None = None) -> str:
    """A download name such as `demo-ward.xlsx` or `demo-ward-A1-001.ics` (only safe characters)."""
    import re

    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", inst.id).strip("-") or "roster"
    if staff:
        stem += "-" + (re.sub(r"[^A-Za-z0-9._-]+", "-", staff).strip("-") or "staff")
    return f"{stem}.{fmt}"


__all__ = ["FORMATS", "MEDIA_TYPES", "ExportError", "ExportOptions", "export_roster", "filename"]
