"""iCalendar (RFC 5545, the `icalendar` package) of a roster: each shift an event in Europe/Oslo time, each
absence an all-day event, for one person (the roster on their phone) or for everyone (staff id in each title).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from models import Instance, Roster, fmt_hhmm

from .labels import Lang, absence_label

OSLO = ZoneInfo("Europe/Oslo")


def _uid(*parts: str) -> str:
    """A stable UID, so that a re-exported roster updates the events on a phone instead of duplicating them."""
    return "-".join(p.replace(" ", "_") for p in parts) + "@turnus"


def write_ics(
    inst: Instance, roster: Roster, staff: str | None = None, lang: Lang = "nb", stamp: dt.datetime | None = None
) -> bytes:
    """The calendar as bytes. `staff`: only this person's shifts and absences (must be staff of the unit)."""
    if staff is not None and staff not in {s.id for s in inst.staff}:
        raise KeyError(staff)
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    types = {t.code: t for t in inst.shift_types}
    cal = Calendar()
    cal.add("prodid", "-//turnus//roster export//NB")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    title = inst.name or inst.id
    cal.add("x-wr-calname", f"{title} – {staff}" if staff else title)
    cal.add("x-wr-timezone", "Europe/Oslo")
    who = (lambda sid: "") if staff else (lambda sid: f"{sid}: ")
    for a in sorted(roster.assignments, key=lambda a: (a.date, a.staff)):
        t = types.get(a.shift)
        if t is None or (staff is not None and a.staff != staff):
            continue
        start = dt.datetime.combine(a.date, dt.time(t.start // 60, t.start % 60), tzinfo=OSLO)
        ev = Event()
        ev.add("uid", _uid(inst.id, a.staff, a.date.isoformat(), a.shift))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", start)
        # wall-clock end in Oslo (a night shift across the DST change is still 21:45-07:45 on the clock)
        end_day = a.date + dt.timedelta(days=1 if t.crosses_midnight else 0)
        ev.add("dtend", dt.datetime.combine(end_day, dt.time(t.end // 60, t.end % 60), tzinfo=OSLO))
        ev.add("summary", f"{who(a.staff)}{a.shift} {t.name or ''}".strip())
        hours = f"{t.work_min / 60:g}".replace(".", "," if lang == "nb" else ".")
        ev.add(
            "description",
            f"{t.name or a.shift} {fmt_hhmm(t.start)}–{fmt_hhmm(t.end)}, {hours} {'t' if lang == 'nb' else 'h'}",
        )
        ev.add("categories", [a.shift])
        ev.add("transp", "OPAQUE")
        cal.add_component(ev)
    for s in inst.staff:
        if staff is not None and s.id != staff:
            continue
        for i, ab in enumerate(s.absences):
            if ab.start_date is None:
                continue  # a clock-time absence is the person's own appointment, not roster information
            ev = Event()
            ev.add("uid", _uid(inst.id, s.id, "absence", str(i), ab.start_date.isoformat()))
            ev.add("dtstamp", stamp)
            ev.add("dtstart", ab.start_date)
            ev.add("dtend", (ab.end_date or ab.start_date) + dt.timedelta(days=1))
            ev.add("summary", f"{who(s.id)}{absence_label(ab.kind, lang)[1]}")
            ev.add("transp", "TRANSPARENT")
            cal.add_component(ev)
    # a VTIMEZONE covering just the plan period (not 1970-2038), so the file stays small
    first = inst.period.start - dt.timedelta(days=1)
    cal.add_missing_timezones(first_date=first, last_date=inst.period.end + dt.timedelta(days=400))
    return cal.to_ical()
