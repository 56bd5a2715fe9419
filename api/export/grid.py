"""The roster as planners read it: staff × dates, one cell per shift or absence, hours against target per person
and a daily staffing row per shift against the bemanningsplan minimum. Every export (xlsx, csv) is drawn from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models import Instance, Roster, ShiftTag, ShiftType

from .calendar import public_holidays
from .labels import WEEKDAYS, Lang, absence_kind, absence_label

# cell kinds -> fill colour (RGB hex); the page's app.css uses the same colours
COLOURS: dict[str, str] = {
    "day": "FFF2B3",
    "evening": "FFD3A6",
    "night": "B7C7F0",
    "long": "BFE3B4",
    "ferie": "D9C8EE",
    "sick": "F4B6C2",
    "course": "B3E5E0",
    "leave": "E0E0E0",
    "absence": "E0E0E0",
    "weekend": "EEEEEE",
    "holiday": "FFE4E1",
    "unfilled": "E53935",
}


def shift_kind(shift: ShiftType) -> str:
    """The colour family of a shift type: night first (AML §10-11), then long (langvakt), evening, day."""
    for tag in (ShiftTag.night, ShiftTag.long, ShiftTag.evening):
        if shift.has(tag):
            return tag.value
    return "day"


@dataclass
class Cell:
    """One staff × date cell: a shift code, an absence label, or empty (a day off)."""

    text: str = ""
    kind: str = "off"
    shift: str | None = None
    pinned: bool = False


@dataclass
class PersonRow:
    staff: str
    name: str | None
    group: str
    position_pct: float
    cells: list[Cell]
    hours: float
    target: float

    @property
    def deviation(self) -> float:
        return self.hours - self.target


@dataclass
class Staffing:
    """Head count on one shift on one date against the bemanningsplan minimum; `missing` from the checker."""

    assigned: int
    minimum: int
    missing: int = 0


@dataclass
class RosterGrid:
    inst: Instance
    lang: Lang
    dates: list[dt.date]
    holidays: dict[dt.date, str]
    rows: list[PersonRow]
    staffing: dict[str, list[Staffing]]  # shift code -> per date
    kinds: dict[str, str]  # shift code -> kind
    absence_kinds: list[str] = field(default_factory=list)  # absence kinds that occur, in legend order

    def weekday(self, day: dt.date) -> str:
        return WEEKDAYS[self.lang][day.weekday()]

    def blocks(self, weeks: int) -> list[tuple[int, int]]:
        """[start, end) date indices of consecutive blocks of `weeks` weeks (the last may be shorter)."""
        step = max(1, weeks) * 7
        return [(i, min(i + step, len(self.dates))) for i in range(0, len(self.dates), step)]


def demand_minimum(inst: Instance, day: dt.date, shift: str) -> int:
    """The bemanningsplan head count of a shift on a date: per demand entry the largest slot minimum (slots count
    the same people several times), summed over the entries that apply (one per unit)."""
    return sum(max(s.min for s in d.slots) for d in inst.demand if d.shift == shift and d.applies(day))


def _targets(inst: Instance) -> list[float]:
    """Contract hours of everyone over the period (position % of full time, whole absence days pro rata), as the
    contract_hours rule counts them; in tredelt mode the actual-hours ceiling (35.5 h a week)."""
    from solver.index import build_index
    from solver.rules.contract_hours import TREDELT_MAX

    st = inst.rules.contract_hours
    weekly = TREDELT_MAX if st.mode == "tredelt" else st.weekly_hours
    return [float(m) / 60.0 for m in build_index(inst).target_minutes_all(weekly)]


def build_grid(inst: Instance, roster: Roster, lang: Lang = "nb") -> RosterGrid:
    dates = inst.period.dates()
    pos = {d: i for i, d in enumerate(dates)}
    types = {t.code: t for t in inst.shift_types}
    kinds = {t.code: shift_kind(t) for t in inst.shift_types}
    pinned = {(p.staff, p.date) for p in inst.pinned}
    by: dict[tuple[str, dt.date], tuple[str, bool]] = {}
    for a in roster.assignments:
        by[(a.staff, a.date)] = (a.shift, a.pinned or (a.staff, a.date) in pinned)
    seen_absences: list[str] = []
    rows = []
    for s, target in zip(inst.staff, _targets(inst), strict=True):
        cells = [Cell() for _ in dates]
        for ab in s.absences:
            kind = absence_kind(ab.kind)
            if ab.start_date is not None:
                first, last = ab.start_date, ab.end_date or ab.start_date
            else:
                first, last = ab.start.date(), (ab.end - dt.timedelta(microseconds=1)).date()  # type: ignore[union-attr]
            day = max(first, dates[0])
            while day <= min(last, dates[-1]):
                cells[pos[day]] = Cell(text=absence_label(kind, lang)[0], kind=kind)
                day += dt.timedelta(days=1)
            if first <= dates[-1] and last >= dates[0] and kind not in seen_absences:
                seen_absences.append(kind)
        minutes = 0
        for i, day in enumerate(dates):
            got = by.get((s.id, day))
            if got is None or got[0] not in types:
                continue
            code, is_pinned = got
            cells[i] = Cell(text=code, kind=kinds[code], shift=code, pinned=is_pinned)
            minutes += types[code].work_min
        rows.append(
            PersonRow(
                staff=s.id,
                name=s.name,
                group=s.group.value,
                position_pct=s.position_pct,
                cells=cells,
                hours=minutes / 60.0,
                target=target,
            )
        )
    missing: dict[tuple[dt.date, str], int] = {}
    for u in roster.unfilled:
        missing[(u.date, u.shift)] = max(missing.get((u.date, u.shift), 0), u.missing)
    count: dict[tuple[dt.date, str], int] = {}
    for a in roster.assignments:
        if a.date in pos and a.shift in types:
            count[(a.date, a.shift)] = count.get((a.date, a.shift), 0) + 1
    staffing = {
        code: [
            Staffing(
                assigned=count.get((d, code), 0),
                minimum=demand_minimum(inst, d, code),
                missing=missing.get((d, code), 0),
            )
            for d in dates
        ]
        for code in types
    }
    order = [k for k in ("ferie", "sick", "course", "leave", "absence") if k in seen_absences]
    return RosterGrid(
        inst=inst,
        lang=lang,
        dates=dates,
        holidays=public_holidays(dates[0], dates[-1], lang),
        rows=rows,
        staffing=staffing,
        kinds=kinds,
        absence_kinds=order,
    )
