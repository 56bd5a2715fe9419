"""weekly_rest (AML §10-8(2)): 35 h unbroken rest holding a whole calendar day in each 7-day block."""

from __future__ import annotations

from helpers import check, shift, solve, solver_edges, tiny, violations, assert_lawful_solve
from solver.weights import HARD_WEIGHT

G = shift("G", "09:00", "16:30")
G2 = shift("G2", "08:59", "16:29")
L2 = shift("L2", "17:00", "01:00")  # ends after midnight
Z = shift("Z", "13:00", "21:00")
SHIFTS = ("D", "A", "N", G, G2, L2, Z)

# Wednesday (day 2) is the only free day: Tue A ends 22:00, Thu G starts 09:00 -> exactly 35 h
AT_LIMIT = [("p1", 0, "A"), ("p1", 1, "A"), ("p1", 3, "G"), ("p1", 4, "G"), ("p1", 5, "G"), ("p1", 6, "G")]
BEYOND = [c if c[1] != 3 else ("p1", 3, "G2") for c in AT_LIMIT]  # 34 h 59 min


def inst(weeks=1, **kw):
    return tiny(1, shifts=SHIFTS, weeks=weeks, active=["weekly_rest"], **kw)


def test_checker_exactly_35h():
    assert check(inst(), AT_LIMIT).violations == []


def test_checker_one_minute_short():
    got = violations(check(inst(), BEYOND), "weekly_rest")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT and len(got[0].dates) == 7


def test_checker_long_rest_without_a_whole_calendar_day():
    # Tue L2 ends Wed 01:00, Thu Z starts 13:00: 36 h of rest, but no whole free calendar day
    cells = [("p1", 0, "L2"), ("p1", 1, "L2"), ("p1", 3, "Z"), ("p1", 4, "Z"), ("p1", 5, "Z"), ("p1", 6, "Z")]
    assert len(violations(check(inst(), cells), "weekly_rest")) == 1
    # the same with Thursday free as well is fine
    assert check(inst(), [c for c in cells if c[1] != 3]).violations == []


def test_checker_every_day_worked():
    cells = [("p1", d, "D") for d in range(7)]
    assert len(violations(check(inst(), cells), "weekly_rest")) == 1


def test_checker_rest_must_lie_inside_the_plan_week():
    # Monday free at the very start: inside the week the rest is Mon 00:00 -> Tue 07:30 = 31.5 h
    got = violations(check(inst(), [("p1", d, "D") for d in range(1, 7)]), "weekly_rest")
    assert len(got) == 1 and "31.5 h" in got[0].detail
    # Sunday free at the very end: Sat 15:00 -> Mon 00:00 = 33 h
    assert len(violations(check(inst(), [("p1", d, "D") for d in range(6)]), "weekly_rest")) == 1
    # Monday free and Tuesday starting late (A 14:30) is enough: Mon 00:00 -> Tue 14:30 = 38.5 h
    cells = [("p1", 1, "A")] + [("p1", d, "D") for d in range(2, 7)]
    assert check(inst(), cells).violations == []


def test_checker_rest_straddling_two_weeks_counts_for_neither():
    # only Sunday (day 6) free in week 0: the rest Sat 15:00 -> Mon 09:00 (42 h) straddles the boundary
    cells = [("p1", d, "D") for d in range(6)] + [("p1", 7, "G")] + [("p1", d, "D") for d in range(8, 13)]
    got = violations(check(inst(weeks=2), cells), "weekly_rest")
    # week 0 fails; so does week 1, whose Sunday-only rest Sat 15:00 -> Mon 00:00 is 33 h inside it
    assert [v.dates[0].isoformat() for v in got] == ["2027-01-04", "2027-01-11"]
    assert "33.0 h" in got[1].detail


def test_week_start_setting_and_partial_weeks():
    # a period starting on a Wednesday with Monday weeks: the first plan week's Mon and Tue lie before the period
    # and count as free, so working Wed-Sun is fine there; the second plan week (Mon-Sun) needs its own rest
    start = {"start": "2027-01-06", "weeks": 1}  # a Wednesday
    worked = [("p1", d, "D") for d in range(2, 9)]  # Wed .. Tue (days are offsets from Monday 4 Jan)
    i = tiny(1, shifts=SHIFTS, active=["weekly_rest"], period=start)
    assert i.period.week_offset == 2 and len(i.period.plan_weeks()) == 2
    # Mon-Tue of the second plan week are worked; Wed-Sun lie after the period (free): fine
    assert check(i, worked).violations == []
    # weeks from Wednesday: one plan week, all worked
    i2 = tiny(1, shifts=SHIFTS, active=["weekly_rest"], period={**start, "week_start": "wednesday"})
    assert len(violations(check(i2, worked), "weekly_rest")) == 1


def test_checker_preferred():
    r = check(inst(rules={"weekly_rest": {"level": "PREFERRED", "weight": 9}}), BEYOND)
    assert r.score.total == 9 and r.lawful


def test_checker_custom_min_hours():
    r = check(inst(rules={"weekly_rest": {"min_hours": 28}}), BEYOND)
    assert r.violations == []


def test_solver_edges():
    solver_edges("weekly_rest", AT_LIMIT, BEYOND, n_bad=1, staff=1, shifts=SHIFTS, active=["weekly_rest"])


def test_solver_keeps_a_day_free_despite_demand():
    demand = [{"shift": "D", "slots": [{"min": 1}]}]
    r = solve(inst(demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert sum(u.missing for u in r.unfilled) == 1
    assert r.score.total == 10_000


def test_solver_min_hours_over_48h_rest_starting_three_days_before():
    """Regression: with min_hours > 48 the model only looked at shift ends from the two days before, so a rest
    starting at the end of a shift three days earlier was missed (model infeasible, checker lawful)."""
    f = shift("F", "22:00", "13:00")  # Mon 22:00 -> Tue 13:00
    t = shift("T", "01:00", "09:00")
    # Wed and Thu free, inside the rest Tue 13:00 -> Fri 01:00 = exactly 60 h (a window for Thursday starts at the
    # end of Monday's shift, three days before)
    cells = [("p1", 0, "F")] + [("p1", d, "T") for d in range(4, 7)]
    i = tiny(1, shifts=(f, t), active=["weekly_rest"], rules={"weekly_rest": {"min_hours": 60}}, pinned=cells)
    assert check(i, cells).violations == []
    assert_lawful_solve(solve(i))
    # one minute less rest: both sides see the violation
    t2 = shift("T", "00:59", "08:59")
    i2 = tiny(1, shifts=(f, t2), active=["weekly_rest"], rules={"weekly_rest": {"min_hours": 60}}, pinned=cells)
    assert len(violations(check(i2, cells), "weekly_rest")) == 1
    r = solve(i2)
    assert r.solve.status.endswith("_RELAXED") and r.solve.objective == r.score.total == HARD_WEIGHT


def test_weekly_rest_day_marked_f1_sunday_where_possible():
    # Mon-Fri day shifts: Saturday and Sunday are both whole free days of a 35 h rest; the Sunday is marked
    r = check(inst(), [("p1", d, "D") for d in range(5)])
    assert [(x.staff, x.date.isoformat()) for x in r.rest_days] == [("p1", "2027-01-10")]
    # the Sunday worked, Wednesday the only whole free day of a rest: Wednesday is F1
    assert [x.date.isoformat() for x in check(inst(), AT_LIMIT).rest_days] == ["2027-01-06"]
    # no rest inside the week: no F1
    assert check(inst(), [("p1", d, "D") for d in range(7)]).rest_days == []
