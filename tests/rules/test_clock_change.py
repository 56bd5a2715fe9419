"""Real time across clock changes (issue 13, item 6): Europe/Oslo goes to summer time on the last Sunday of March
(02:00 -> 03:00) and back on the last Sunday of October (03:00 -> 02:00). Rules count real hours, so a night
over the October change lasts an hour more and over the March change an hour less; checker and solver agree.

The periods start on the Monday before the change, so day 5 is the Saturday and day 6 the Sunday of the change.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from helpers import assert_consistent, assert_lawful_solve, person, shift, tiny_dict, violations
from models import Assignment, validate_instance
from models.timeline import Timeline
from solver import check
from solver.index import DAY, build_index

OCTOBER = dt.date(2026, 10, 19)  # Sunday 25 October 2026: 03:00 CEST -> 02:00 CET
MARCH = dt.date(2026, 3, 23)  # Sunday 29 March 2026: 02:00 CET -> 03:00 CEST
JANUARY = dt.date(2027, 1, 4)


def unit(start: dt.date, shifts, active, staff: int = 1, weeks: int = 1, tz: str = "Europe/Oslo", **kw):
    data = tiny_dict(staff, shifts=shifts, active=active, weeks=weeks, lawful=False, **kw)
    data["period"] = {"start": start.isoformat(), "weeks": weeks, "timezone": tz}
    return validate_instance(data, legal_floors=False)[0]


def cells(start: dt.date, triples):
    return [Assignment(staff=s, date=start + dt.timedelta(days=d), shift=t) for s, d, t in triples]


NIGHT = shift("N", "21:30", "07:30")  # 10 h on the clock


@pytest.mark.parametrize("start,hours", [(OCTOBER, 11), (MARCH, 9), (JANUARY, 10)])
def test_a_night_over_the_change_lasts_its_real_hours(start, hours):
    idx = build_index(unit(start, [NIGHT], []))
    assert idx.e_abs[5, 0] - idx.s_abs[5, 0] == hours * 60  # the night from Saturday into Sunday
    assert idx.work_at[5, 0] == hours * 60
    assert idx.night_at[5, 0] == hours * 60 - 90  # 21:30-06:00 inside the night window, an hour more or less
    others = [d for d in range(7) if d != 5]
    assert (idx.e_abs[others, 0] - idx.s_abs[others, 0] == 600).all()
    assert idx.regular_time is (start == JANUARY)


def test_midnights_and_the_wall_clock_back():
    t = Timeline(OCTOBER, 7, "Europe/Oslo")
    assert not t.regular
    assert int(t.real(7 * DAY)) - int(t.real(6 * DAY)) == 25 * 60  # the Sunday has 25 hours
    for wall in (6 * DAY + 60, 6 * DAY + 4 * 60, 6 * DAY + 23 * 60):
        assert t.wall(int(t.real(wall))) == wall
    assert Timeline(JANUARY, 42, "Europe/Oslo").regular
    assert Timeline(OCTOBER, 7, "UTC").regular  # a zone without clock changes


def test_unknown_time_zone_is_a_clear_error():
    from models import InstanceError

    data = tiny_dict(1, shifts=["D"])
    data["period"]["timezone"] = "Europe/Atlantis"
    with pytest.raises(InstanceError) as err:
        validate_instance(data)
    assert "time zone" in str(err.value)


# daily rest: an evening to 23:00 and a day shift from 09:00 the next morning: 10 h on the clock
LATE = shift("L", "15:00", "23:00")
MORNING = shift("M", "09:00", "16:00")


@pytest.mark.parametrize("start,day,bad", [(OCTOBER, 5, False), (OCTOBER, 4, True), (MARCH, 5, True)])
def test_daily_rest_counts_real_hours(start, day, bad):
    """Saturday 23:00 -> Sunday 09:00 over the October change is 11 h of rest: lawful; on other nights 10 h."""
    inst = unit(start, [LATE, MORNING], ["daily_rest"])
    r = check(inst, cells(start, [("p1", day, "L"), ("p1", day + 1, "M")]))
    assert bool(violations(r, "daily_rest")) is bad


def test_daily_rest_solver_uses_the_extra_october_hour():
    """Pinned L on Saturday and M on Sunday is lawful only because of the clock change: the solver agrees."""
    from helpers import solve

    inst = unit(OCTOBER, [LATE, MORNING], ["daily_rest"])
    inst = inst.model_copy(update={"pinned": cells(OCTOBER, [("p1", 5, "L"), ("p1", 6, "M")])})
    r = solve(inst)
    assert_lawful_solve(r)
    bad = inst.model_copy(update={"pinned": cells(OCTOBER, [("p1", 3, "L"), ("p1", 4, "M")])})
    r2 = solve(bad)
    assert_consistent(r2)
    assert violations(r2, "daily_rest")


LONG_NIGHT = shift("LN", "19:30", "07:30")  # 12 h on the clock


def test_a_long_night_over_the_october_change_breaks_the_daily_limit():
    """12 h on the clock is 13 h over the October change: above 12.5 h (AML §10-5(2)), so no one may take it that
    night when the rule is REQUIRED, while the other nights stay open."""
    inst = unit(OCTOBER, [LONG_NIGHT], ["max_daily_hours"], staff=[person("p1", accepts_long_shifts=True)])
    idx = build_index(inst)
    assert not idx.allowed[0, 5, 0] and idx.allowed[0, 4, 0] and idx.allowed[0, 6, 0]
    r = check(inst, cells(OCTOBER, [("p1", 5, "LN")]))
    assert [len(v.dates) for v in violations(r, "max_daily_hours")] == [1]
    assert not violations(check(inst, cells(OCTOBER, [("p1", 4, "LN")])), "max_daily_hours")


def test_54_hours_counts_the_extra_hour():
    """Five 10 h nights and one more: 54 h on the clock, 55 h real when one of them is the October night."""
    inst = unit(OCTOBER, [NIGHT, shift("D4", "08:00", "12:00")], ["max_weekly_hours"], weeks=2)  # average: 2 weeks
    week = [("p1", d, "N") for d in range(1, 6)] + [("p1", 0, "D4")]  # Tue-Sat nights, Monday 4 h
    r = check(inst, cells(OCTOBER, week))
    assert violations(r, "max_weekly_hours")
    r = check(inst, cells(OCTOBER, [("p1", d, "N") for d in range(0, 5)] + [("p1", 6, "D4")]))
    assert not violations(r, "max_weekly_hours")  # Mon-Fri nights: 50 h + 4 h, no clock change


def test_solver_and_checker_agree_over_the_change():
    """A small unit with every statutory rule at its default over the October week: lawful, objective = score."""
    from helpers import solve

    staff = [person(f"p{i}") for i in range(1, 5)]
    demand = [{"shift": c, "slots": [{"min": 1}]} for c in ("D", "A", "N")]
    data = tiny_dict(staff, shifts=["D", "A", "N"], weeks=2, demand=demand)
    data["period"] = {"start": OCTOBER.isoformat(), "weeks": 2}
    inst = validate_instance(data)[0]
    r = solve(inst, time_limit_s=10)
    assert_consistent(r)
    assert not [v for v in r.violations if v.level.value == "REQUIRED"]
    idx = build_index(inst)
    assert not idx.regular_time and np.any(idx.work_at != idx.work[None, :])
