"""weekend_frequency: at most one worked weekend in every `every_n` consecutive weekends (1 in 3 by default).
A weekend is Saturday 00:00 - Monday 00:00; any shift overlapping it counts (Friday and Sunday nights too)."""

from __future__ import annotations

from helpers import check, solve, solver_edges, tiny, violations, assert_lawful_solve
from solver.weights import HARD_WEIGHT

SAT = [5, 12, 19, 26]


def inst(weeks=3, **kw):
    return tiny(1, shifts=("D", "A", "N"), weeks=weeks, active=["weekend_frequency"], **kw)


def test_checker_one_weekend_in_three_both_days():
    assert check(inst(), [("p1", 5, "D"), ("p1", 6, "D")]).violations == []


def test_checker_two_weekends_in_three():
    got = violations(check(inst(), [("p1", 5, "D"), ("p1", 19, "D")]), "weekend_frequency")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT


def test_checker_every_third_weekend_over_four_weeks():
    assert check(inst(weeks=4), [("p1", 5, "D"), ("p1", 26, "D")]).violations == []
    assert len(violations(check(inst(weeks=4), [("p1", 6, "D"), ("p1", 19, "D")]), "weekend_frequency")) == 1
    # weekends 1 and 2 adjacent: both windows [0..2] and [1..3] hold two
    assert len(violations(check(inst(weeks=4), [("p1", 12, "D"), ("p1", 19, "D")]), "weekend_frequency")) == 2


def test_checker_friday_night_and_sunday_night_count():
    assert len(violations(check(inst(), [("p1", 4, "N"), ("p1", 19, "D")]), "weekend_frequency")) == 1
    assert len(violations(check(inst(), [("p1", 6, "N"), ("p1", 19, "D")]), "weekend_frequency")) == 1
    # Friday evening ends 22:00 Friday: not a weekend
    assert check(inst(), [("p1", 4, "A"), ("p1", 19, "D")]).violations == []


def test_checker_period_shorter_than_every_n():
    # two weekends, 1 in 3: one weekend allowed in all
    assert check(inst(weeks=2), [("p1", 5, "D")]).violations == []
    assert len(violations(check(inst(weeks=2), [("p1", 5, "D"), ("p1", 13, "D")]), "weekend_frequency")) == 1


def test_checker_every_second_weekend():
    r = check(inst(weeks=4, rules={"weekend_frequency": {"every_n": 2}}), [("p1", d, "D") for d in (5, 19)])
    assert r.violations == []
    r = check(inst(weeks=4, rules={"weekend_frequency": {"every_n": 2}}), [("p1", d, "D") for d in (5, 12)])
    assert len(violations(r, "weekend_frequency")) == 1


def test_solver_edges():
    solver_edges("weekend_frequency", [("p1", 5, "D"), ("p1", 6, "D")], [("p1", 5, "D"), ("p1", 20, "D")],
                 n_bad=1, staff=1, shifts=("D", "A", "N"), weeks=3, active=["weekend_frequency"])


def test_solver_covers_one_weekend_per_person():
    demand = [{"shift": "D", "weekdays": ["sat", "sun"], "slots": [{"min": 1}]}]
    r = solve(tiny(3, shifts=("D",), weeks=3, active=["weekend_frequency", "demand_coverage"], demand=demand))
    assert_lawful_solve(r)
    assert r.unfilled == [] and r.score.total == 0
    by = {}
    for a in r.assignments:
        by.setdefault(a.staff, set()).add((a.date.toordinal() - 2) // 7)
    assert all(len(w) == 1 for w in by.values()) and len(by) == 3
