"""CSV that Norwegian Excel opens as columns: semicolon separated, UTF-8 with a BOM, decimal comma by default.

Two layouts: `grid` (the planner's staff × dates grid with hours and the staffing rows) and `shifts` (one row per
assignment with clock times and hours, for payroll or a spreadsheet of one's own).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Literal

from models import Instance, Roster, fmt_hhmm

from .grid import build_grid
from .labels import WEEKDAYS, Lang, text

Layout = Literal["grid", "shifts"]
BOM = "\ufeff"


def number(value: float, decimal_comma: bool = True, digits: int = 2) -> str:
    """A number as Norwegian Excel reads it (`35,5`), or with a point; trailing zeros dropped."""
    s = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    if s in ("-0", ""):
        s = "0"
    return s.replace(".", ",") if decimal_comma else s


def write_rows(rows: Iterable[Sequence[object]], delimiter: str = ";") -> bytes:
    """Rows as CSV bytes: UTF-8 with BOM (Excel then reads æøå right), CRLF line ends, `delimiter` between fields."""
    buf = io.StringIO()
    buf.write(BOM)
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8")


def _grid_rows(inst: Instance, roster: Roster, lang: Lang, dc: bool) -> list[list[object]]:
    grid = build_grid(inst, roster, lang)
    head: list[object] = [text(k, lang) for k in ("staff", "name", "group", "pct")]
    head += [f"{grid.weekday(d)} {d:%d.%m}" for d in grid.dates]
    head += [text("hours", lang), text("target", lang), text("diff", lang)]
    rows: list[list[object]] = [head]
    for r in grid.rows:
        rows.append(
            [r.staff, r.name or "", r.group, number(r.position_pct, dc)]
            + [c.text for c in r.cells]
            + [number(r.hours, dc), number(r.target, dc), number(r.deviation, dc)]
        )
    for code, per_day in grid.staffing.items():
        if any(s.minimum or s.assigned for s in per_day):
            rows.append(
                [f"{text('staffing', lang)} {code}", "", "", ""]
                + [f"{s.assigned}/{s.minimum}" + (" !" if s.missing else "") for s in per_day]
            )
    if grid.holidays:
        rows.append([text("holiday", lang), "", "", ""] + [grid.holidays.get(d, "") for d in grid.dates])
    return rows


def _shift_rows(inst: Instance, roster: Roster, lang: Lang, dc: bool) -> list[list[object]]:
    types = {t.code: t for t in inst.shift_types}
    names = {s.id: s.name or "" for s in inst.staff}
    head = [text(k, lang) for k in ("staff", "name", "date", "weekday", "shift", "start", "end", "hours", "pinned")]
    rows: list[list[object]] = [head]
    for a in sorted(roster.assignments, key=lambda a: (a.staff, a.date)):
        t = types.get(a.shift)
        if t is None:
            continue
        rows.append(
            [
                a.staff,
                names.get(a.staff, ""),
                f"{a.date:%d.%m.%Y}" if dc else a.date.isoformat(),
                WEEKDAYS[lang][a.date.weekday()],
                a.shift,
                fmt_hhmm(t.start),
                fmt_hhmm(t.end),
                number(t.work_min / 60, dc),
                "1" if a.pinned else "",
            ]
        )
    return rows


def write_csv(
    inst: Instance, roster: Roster, lang: Lang = "nb", layout: Layout = "grid", decimal_comma: bool = True
) -> bytes:
    rows = (
        _grid_rows(inst, roster, lang, decimal_comma)
        if layout == "grid"
        else _shift_rows(inst, roster, lang, decimal_comma)
    )
    # with a decimal point the usual separator is the comma; with a decimal comma it must be the semicolon
    return write_rows(rows, delimiter=";" if decimal_comma else ",")
