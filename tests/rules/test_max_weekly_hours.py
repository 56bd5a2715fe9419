"""max_weekly_hours (AML §10-5(2)): ≤54 h in any 7 days and ≤48 h/week on average (8 weeks or the period)."""

from __future__ import annotations

from helpers import check, shift, solver_edges, tiny, violations, solve, assert_lawful_solve
from solver.weights import HARD_WEIGHT

H9 = shift("H9", "07:00", "16:00")
H9b = shift("H9b", "07:00", "16:01")
H6 = shift("H6", "08:00", "14:00")
H6b = shift("H6b", "08:00", "14:01")
SHIFTS = (H9, H9b, H6, H6b)
ONLY_7D = {"max_weekly_hours": {"max_avg_hours": 100}}

WEEK_54 = [("p1", d, "H9") for d in range(6)]  # exactly 54 h
WEEK_54b = WEEK_54[:-1] + [("p1", 5, "H9b")]
# two weeks, 54 h + 42 h = 96 h = 48 h/week on average (every 7-day window <= 54 h)
AVG_96 = WEEK_54 + [("p1", d, "H6") for d in range(7, 14)]
AVG_96b = AVG_96[:-1] + [("p1", 13, "H6b")]


def inst(weeks=1, rules=None, **kw):
    return tiny(1, shifts=SHIFTS, weeks=weeks, active=["max_weekly_hours"], rules=rules, **kw)


def test_checker_54h_in_7_days():
    assert check(inst(rules=ONLY_7D), WEEK_54).violations == []
    got = violations(check(inst(rules=ONLY_7D), WEEK_54b), "max_weekly_hours")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT and len(got[0].dates) == 7


def test_checker_sliding_7_day_windows():
    # 54 h 01 in days 3..8 (straddling the week boundary): the windows of 7 × 24 h holding them break, reported as
    # one record priced per window
    cells = [("p1", d, "H9") for d in range(3, 8)] + [("p1", 8, "H9b")]
    r = check(inst(weeks=2, rules={"max_weekly_hours": {"max_avg_hours": 100}}), cells)
    (got,) = violations(r, "max_weekly_hours")
    assert got.amount >= 1 and got.penalty == HARD_WEIGHT * got.amount and "54.0 h" in got.detail


X10 = shift("X10", "07:00", "17:00")
N10 = shift("N10", "21:45", "07:45")


def test_checker_real_timeline_not_start_dates():
    """The issue's example (demo A1-006): 60 h from Friday 21:45 to Friday 21:45, while every run of 7 start dates
    holds at most 50 h."""
    cells = [("p1", 4, "N10")] + [("p1", d, "X10") for d in range(7, 12)]
    i = tiny(1, shifts=(X10, N10), weeks=2, active=["max_weekly_hours"], rules=ONLY_7D)
    (got,) = violations(check(i, cells), "max_weekly_hours")
    assert "60.0 h" in got.detail and got.dates[0].day == 8  # from Friday 8 January
    # one hour less on the last Friday: within the law
    x9 = shift("X10", "07:00", "16:00")
    i2 = tiny(1, shifts=(x9, N10), weeks=2, active=["max_weekly_hours"], rules={"max_weekly_hours": {"max_hours_7d": 59, "max_avg_hours": 100}})
    assert violations(check(i2, cells), "max_weekly_hours") == []


def test_checker_a_shift_cut_by_the_window_counts_its_share():
    # two 10 h nights exactly 7 × 24 h apart: every window between them holds 10 h in all (a share of each)
    cells = [("p1", 0, "N10"), ("p1", 7, "N10")]
    rules = {"max_weekly_hours": {"max_hours_7d": 10, "max_avg_hours": 100}}
    i = tiny(1, shifts=(N10, X10), weeks=2, active=["max_weekly_hours"], rules=rules)
    assert violations(check(i, cells), "max_weekly_hours") == []
    rules["max_weekly_hours"]["max_hours_7d"] = 9.9
    i = tiny(1, shifts=(N10, X10), weeks=2, active=["max_weekly_hours"], rules=rules)
    assert "10.0 h" in violations(check(i, cells), "max_weekly_hours")[0].detail


def test_solver_edges_real_timeline():
    ok = [("p1", 4, "N10")] + [("p1", d, "X10") for d in range(7, 11)]
    bad = [("p1", 4, "N10")] + [("p1", d, "X10") for d in range(7, 12)]
    solver_edges("max_weekly_hours", ok, bad, staff=1, shifts=(X10, N10), weeks=2,
                 active=["max_weekly_hours"], rules={"max_weekly_hours": {"max_hours_7d": 54, "max_avg_hours": 100}})


def test_checker_one_week_average_binds_at_48h():
    # a 1-week period averages over that week: 54 h breaks 48 h but not 54 h
    got = violations(check(inst(), WEEK_54), "max_weekly_hours")
    assert len(got) == 1 and "48.0 h" in got[0].detail


def test_checker_average_over_the_period():
    assert check(inst(weeks=2), AVG_96).violations == []
    got = violations(check(inst(weeks=2), AVG_96b), "max_weekly_hours")
    assert len(got) == 1 and len(got[0].dates) == 14


def test_checker_preferred():
    r = check(inst(rules={"max_weekly_hours": {"level": "PREFERRED", "weight": 5, "max_avg_hours": 100}}), WEEK_54b)
    assert r.score.total == 5 and r.lawful


def test_solver_edges_7_days():
    solver_edges("max_weekly_hours", WEEK_54, WEEK_54b, n_bad=1, staff=1, shifts=SHIFTS,
                 active=["max_weekly_hours"], rules=ONLY_7D)


def test_solver_edges_average():
    solver_edges("max_weekly_hours", AVG_96, AVG_96b, n_bad=1, staff=1, shifts=SHIFTS, weeks=2,
                 active=["max_weekly_hours"])


def test_solver_stops_adding_hours_at_the_limit():
    demand = [{"shift": "H9", "slots": [{"min": 1}]}]
    r = solve(inst(rules={**ONLY_7D, "demand_coverage": {}}, demand=demand))
    assert_lawful_solve(r)
    assert len(r.assignments) == 6 and sum(u.missing for u in r.unfilled) == 1
