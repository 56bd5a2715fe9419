"""night_average (AML §10-11(5)): someone who works nights in a 4-week window averages ≤8 h per shift there,
unless a deviation is agreed (§10-11(9))."""

from __future__ import annotations

from helpers import assert_lawful_solve, check, solve, solver_edges, tiny, violations
from solver.weights import HARD_WEIGHT

# N = 10 h (600 min), D = 7.5 h (450): N + 4 D averages exactly 8 h; N + 3 D = 8.1 h
AT_LIMIT = [("p1", 0, "N")] + [("p1", d, "D") for d in range(2, 6)]
BEYOND = AT_LIMIT[:-1]


def inst(weeks=1, **kw):
    return tiny(1, shifts=("D", "N", "N8", "LD"), weeks=weeks, active=["night_average"], **kw)


def test_checker_average_exactly_8h():
    assert check(inst(), AT_LIMIT).violations == []


def test_checker_average_above_8h():
    got = violations(check(inst(), BEYOND), "night_average")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT and "8.12" in got[0].detail


def test_checker_only_night_workers_count():
    # long days without a night: not a night worker
    assert check(inst(), [("p1", 0, "LD"), ("p1", 2, "LD")]).violations == []
    # 8 h nights are fine on their own
    assert check(inst(), [("p1", d, "N8") for d in range(4)]).violations == []


def test_checker_deviation_agreed():
    r = check(inst(rules={"night_average": {"deviation_agreed": True}}), BEYOND)
    assert r.violations == []


def test_checker_window_slides_by_week():
    # 1-week windows over 2 weeks: week 0 fine, week 1 has a lone N
    r = check(inst(weeks=2, rules={"night_average": {"window_weeks": 1}}), AT_LIMIT + [("p1", 8, "N")])
    got = violations(r, "night_average")
    assert len(got) == 1 and got[0].dates[0].day == 11
    # one 2-week window: 2 N + 4 D = 2400 + 600... = (1200 + 1800) / 6 = 8.33 h
    r = check(inst(weeks=2), AT_LIMIT + [("p1", 8, "N")])
    assert len(violations(r, "night_average")) == 1


def test_solver_edges():
    every_night = [("p1", d, "N") for d in range(7)]
    solver_edges("night_average", AT_LIMIT, every_night, n_bad=1, staff=1, shifts=("D", "N"),
                 active=["night_average"])


def test_solver_adds_a_day_shift_to_bring_the_average_down():
    r = solve(tiny(1, shifts=("D", "N"), active=["night_average"], pinned=BEYOND))
    assert_lawful_solve(r)
    assert len(r.assignments) >= 5


def test_solver_deviation_agreed_allows_long_nights():
    every_night = [("p1", d, "N") for d in range(4)]
    r = solve(tiny(1, shifts=("D", "N"), active=["night_average"], pinned=every_night,
                   rules={"night_average": {"deviation_agreed": True}}))
    assert_lawful_solve(r)
    assert r.score.total == 0
