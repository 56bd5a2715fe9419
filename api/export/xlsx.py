"""Excel export of a roster (openpyxl) as planners print it, and the way back (`read_roster`).

Sheets: one per period block (the grid: weekday and date header, one coloured cell per shift or absence, hours
against target per person, the daily staffing row per shift against the bemanningsplan minimum, a legend), then
"Poeng" (score per rule) and one sheet per rule that has violations. The grid cells hold plain shift codes, so a
planner's edits in Excel read back into a roster (`read_roster`) that `turnus check` scores.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import IO

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models import Assignment, Instance, Roster, fmt_hhmm

from .grid import COLOURS, RosterGrid, build_grid
from .labels import ABSENCE_LABELS, TEXT, Lang, text
from .labels import SHIFT_KINDS as KIND_NAMES

FIRST_DAY_COL = 5  # A staff, B name, C group, D position %
HEADER_ROWS = 3  # title, weekday, date
_THIN = Side(style="thin", color="999999")
_PIN = Side(style="medium", color="000000")
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _fill(hex_rgb: str) -> PatternFill:
    return PatternFill("solid", start_color=hex_rgb, end_color=hex_rgb)


def _sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\)."""
    base = name.translate(_BAD_SHEET_CHARS)[:31] or "sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" {n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _block_title(grid: RosterGrid, lo: int, hi: int) -> str:
    """ "Uke 1–2" (the plan period's week numbers) or "Week 1–2"."""
    w0, w1 = lo // 7 + 1, (hi - 1) // 7 + 1
    word = text("week", grid.lang).capitalize()
    return f"{word} {w0}" if w0 == w1 else f"{word} {w0}-{w1}"


def _write_block(ws: Worksheet, grid: RosterGrid, lo: int, hi: int) -> None:
    lang = grid.lang
    inst = grid.inst
    days = grid.dates[lo:hi]
    last_day_col = FIRST_DAY_COL + len(days) - 1
    col_block_h, col_hours, col_target, col_diff = (last_day_col + k for k in (1, 2, 3, 4))
    ws.cell(1, 1, f"{inst.name or inst.id}: {days[0]:%d.%m.%Y} – {days[-1]:%d.%m.%Y}").font = Font(bold=True, size=13)
    head = [text("staff", lang), text("name", lang), text("group", lang), text("pct", lang)]
    for c, label in enumerate(head, start=1):
        ws.cell(2, c, label).font = Font(bold=True)
    tail = {
        col_block_h: f"{text('hours', lang)} ({_block_title(grid, lo, hi).lower()})",
        col_hours: f"{text('hours', lang)}",
        col_target: text("target", lang),
        col_diff: text("diff", lang),
    }
    for c, label in tail.items():
        cell = ws.cell(2, c, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for j, day in enumerate(days):
        col = FIRST_DAY_COL + j
        wd = ws.cell(2, col, grid.weekday(day))
        dc = ws.cell(3, col, day)
        dc.number_format = "dd.mm"
        for cell in (wd, dc):
            cell.alignment = Alignment(horizontal="center")
            cell.font = Font(bold=True)
        if day in grid.holidays:
            for cell in (wd, dc):
                cell.fill = _fill(COLOURS["holiday"])
                cell.font = Font(bold=True, color="B71C1C")
            dc.comment = Comment(f"{text('holiday', lang)}: {grid.holidays[day]}", "turnus")
        elif day.weekday() >= 5:
            for cell in (wd, dc):
                cell.fill = _fill(COLOURS["weekend"])
        ws.column_dimensions[get_column_letter(col)].width = 6
    r = HEADER_ROWS + 1
    for row in grid.rows:
        ws.cell(r, 1, row.staff)
        ws.cell(r, 2, row.name or "")
        ws.cell(r, 3, row.group)
        ws.cell(r, 4, row.position_pct).number_format = "0"
        block_min = 0.0
        for j, cell in enumerate(row.cells[lo:hi]):
            day = days[j]
            out = ws.cell(r, FIRST_DAY_COL + j, cell.text or None)
            out.alignment = Alignment(horizontal="center")
            out.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
            if cell.kind != "off":
                out.fill = _fill(COLOURS[cell.kind])
            elif day in grid.holidays:
                out.fill = _fill(COLOURS["holiday"])
            elif day.weekday() >= 5:
                out.fill = _fill(COLOURS["weekend"])
            if cell.pinned:
                out.border = Border(left=_PIN, right=_PIN, top=_PIN, bottom=_PIN)
                out.font = Font(bold=True)
                out.comment = Comment(text("pinned", lang), "turnus")
            if cell.shift is not None:
                block_min += next(t.work_min for t in inst.shift_types if t.code == cell.shift)
        ws.cell(r, col_block_h, round(block_min / 60, 2)).number_format = "0.0"
        ws.cell(r, col_hours, round(row.hours, 2)).number_format = "0.0"
        ws.cell(r, col_target, round(row.target, 2)).number_format = "0.0"
        diff = ws.cell(r, col_diff, round(row.deviation, 2))
        diff.number_format = "+0.0;-0.0;0.0"
        if abs(row.deviation) > inst.rules.contract_hours.tolerance_hours:
            diff.font = Font(color="B71C1C", bold=True)
        r += 1
    r += 1
    ws.cell(r, 1, text("staffing", lang).capitalize()).font = Font(bold=True)
    ws.cell(r, 2, f"({text('shift', lang)}: {'/'.join(['n', 'min'])})")
    r += 1
    for code, per_day in grid.staffing.items():
        if not any(s.minimum or s.assigned for s in per_day):
            continue
        ws.cell(r, 1, f"{text('staffing', lang)} {code}")
        ws.cell(r, 2, next((t.name for t in inst.shift_types if t.code == code and t.name), code))
        for j, s in enumerate(per_day[lo:hi]):
            out = ws.cell(r, FIRST_DAY_COL + j, f"{s.assigned}/{s.minimum}")
            out.alignment = Alignment(horizontal="center")
            out.font = Font(size=8)
            if s.missing > 0:
                out.fill = _fill(COLOURS["unfilled"])
                out.font = Font(size=8, bold=True, color="FFFFFF")
                out.comment = Comment(f"{text('unfilled', lang)}: {s.missing}", "turnus")
        r += 1
    _legend(ws, grid, r + 1)
    ws.freeze_panes = ws.cell(HEADER_ROWS + 1, FIRST_DAY_COL)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 18 if any(row.name for row in grid.rows) else 4
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 9
    for c in (col_block_h, col_hours, col_target, col_diff):
        ws.column_dimensions[get_column_letter(c)].width = 8
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{HEADER_ROWS}"


def _legend(ws: Worksheet, grid: RosterGrid, r: int) -> None:
    lang = grid.lang
    ws.cell(r, 1, text("legend", lang)).font = Font(bold=True)
    r += 1
    for t in grid.inst.shift_types:
        kind = grid.kinds[t.code]
        cell = ws.cell(r, 1, t.code)
        cell.fill = _fill(COLOURS[kind])
        cell.alignment = Alignment(horizontal="center")
        hours = f"{t.work_min / 60:g}".replace(".", "," if lang == "nb" else ".")
        # one text cell: it runs on over the empty cells to its right in Excel and LibreOffice alike
        ws.cell(
            r,
            2,
            f"{t.name or KIND_NAMES[lang][kind]} {fmt_hhmm(t.start)}–{fmt_hhmm(t.end)}, {hours} h "
            f"({KIND_NAMES[lang][kind]})",
        )
        r += 1
    for kind in grid.absence_kinds:
        label, name = ABSENCE_LABELS[lang][kind]
        cell = ws.cell(r, 1, label)
        cell.fill = _fill(COLOURS[kind])
        cell.alignment = Alignment(horizontal="center")
        ws.cell(r, 2, name)
        r += 1
    for kind, label in (
        ("weekend", text("weekend", lang)),
        ("holiday", text("holiday", lang)),
        ("unfilled", text("unfilled", lang)),
    ):
        ws.cell(r, 1).fill = _fill(COLOURS[kind])
        ws.cell(r, 2, label)
        r += 1
    ws.cell(r, 1).border = Border(left=_PIN, right=_PIN, top=_PIN, bottom=_PIN)
    ws.cell(r, 2, text("pinned", lang))


def _score_sheet(ws: Worksheet, roster: Roster, lang: Lang) -> None:
    head = [text("rule", lang), text("level", lang), text("violations", lang), text("penalty", lang)]
    for c, label in enumerate(head, start=1):
        ws.cell(1, c, label).font = Font(bold=True)
    r = 2
    for rs in roster.score.rules:
        for c, v in enumerate((rs.rule, str(rs.level), rs.violations, rs.penalty), start=1):
            ws.cell(r, c, v)
        r += 1
    s = roster.score
    for label, value in (("hard", s.hard), ("unfilled", s.unfilled), ("soft", s.soft), (text("total", lang), s.total)):
        ws.cell(r, 1, label).font = Font(bold=True)
        ws.cell(r, 4, value).font = Font(bold=True)
        r += 1
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 12


def _rule_sheet(ws: Worksheet, roster: Roster, rule: str, lang: Lang) -> None:
    head = [text(k, lang) for k in ("staff", "dates", "amount", "penalty", "detail")]
    for c, label in enumerate(head, start=1):
        ws.cell(1, c, label).font = Font(bold=True)
    r = 2
    for v in sorted((v for v in roster.violations if v.rule == rule), key=lambda v: -v.penalty):
        ws.cell(r, 1, v.staff or "")
        ws.cell(r, 2, ", ".join(f"{d:%d.%m.%Y}" for d in v.dates))
        ws.cell(r, 3, v.amount)
        ws.cell(r, 4, v.penalty)
        ws.cell(r, 5, v.detail)
        r += 1
    for letter, width in zip("ABCDE", (12, 30, 8, 8, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"


def write_xlsx(inst: Instance, roster: Roster, lang: Lang = "nb", block_weeks: int = 2) -> bytes:
    """The workbook as bytes."""
    grid = build_grid(inst, roster, lang)
    wb = Workbook()
    taken: set[str] = set()
    first = True
    for lo, hi in grid.blocks(block_weeks):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = _sheet_title(_block_title(grid, lo, hi), taken)
        _write_block(ws, grid, lo, hi)
    _score_sheet(wb.create_sheet(_sheet_title("Poeng" if lang == "nb" else "Score", taken)), roster, lang)
    for rs in roster.score.rules:
        if rs.violations:
            _rule_sheet(wb.create_sheet(_sheet_title(rs.rule, taken)), roster, rs.rule, lang)
    wb.properties.title = f"turnus {inst.id}"
    wb.properties.creator = "turnus"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class GridFormatError(ValueError):
    """The workbook has no roster grid turnus can read (`code`, `loc`, message)."""

    def __init__(self, code: str, loc: str, message: str):
        super().__init__(message)
        self.code, self.loc = code, loc


_STAFF_HEADERS = {TEXT[lang]["staff"] for lang in TEXT}
_PINNED_NOTES = {TEXT[lang]["pinned"] for lang in TEXT}


def read_roster(source: str | IO[bytes], inst: Instance) -> Roster:
    """The assignments of a grid workbook (this module's layout, maybe edited by a planner): every day cell whose
    text is a shift code of `inst` on a staff row. Absence labels and empty cells are days without a shift; a
    cell noted "låst"/"pinned" reads as a pinned assignment. Unknown staff ids or shift codes are errors."""
    try:
        wb = load_workbook(source, data_only=True)
    except Exception as err:  # noqa: BLE001 - zipfile, XML and openpyxl raise many types for a bad file
        raise GridFormatError("malformed_xlsx", "", f"not an Excel workbook ({type(err).__name__})") from None
    codes = {t.code for t in inst.shift_types}
    staff = {s.id for s in inst.staff}
    absence = {lab for by in ABSENCE_LABELS.values() for lab, _ in by.values()}
    found: dict[tuple[str, dt.date], Assignment] = {}
    grids = 0
    for ws in wb.worksheets:
        if str(ws.cell(2, 1).value or "").strip() not in _STAFF_HEADERS:
            continue
        grids += 1
        cols: dict[int, dt.date] = {}
        for col in range(FIRST_DAY_COL, ws.max_column + 1):
            v = ws.cell(3, col).value
            if isinstance(v, dt.datetime):
                cols[col] = v.date()
            elif isinstance(v, dt.date):
                cols[col] = v
        for r in range(HEADER_ROWS + 1, ws.max_row + 1):
            sid = ws.cell(r, 1).value
            if sid is None or str(sid).strip() == "":
                break  # the blank row before the staffing rows
            sid = str(sid).strip()
            if sid not in staff:
                raise GridFormatError("unknown_staff", f"{ws.title}!A{r}", f"{sid!r} is not staff of the unit")
            for col, day in cols.items():
                cell = ws.cell(r, col)
                value = str(cell.value).strip() if cell.value is not None else ""
                if not value or value in absence:
                    continue
                if value not in codes:
                    raise GridFormatError(
                        "unknown_shift", f"{ws.title}!{cell.coordinate}", f"{value!r} is not a shift code of the unit"
                    )
                note = (cell.comment.text.strip() if cell.comment else "").lower()
                found[(sid, day)] = Assignment(staff=sid, date=day, shift=value, pinned=note in _PINNED_NOTES)
    if not grids:
        raise GridFormatError("no_grid", "", "the workbook has no roster grid sheet (header 'ansatt'/'staff' in A2)")
    ordered = sorted(found.values(), key=lambda a: (a.date, a.staff))
    return Roster(instance_id=inst.id, assignments=ordered)


__all__ = ["GridFormatError", "read_roster", "write_xlsx"]
