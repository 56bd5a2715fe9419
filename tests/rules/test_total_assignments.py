"""total_assignments: shifts over the period below the minimum or above the maximum cost `weight` each (INRC-II
S6); `Staff.limits` gives a person's own bounds and the shifts counted before the period; OFF by default."""

from __future__ import annotations

from helpers import assert_consistent, assert_lawful_solve, check, person, solve, solver_edges, tiny, violations
from models import Level

RULE = "total_assignments"


def inst(staff=1, level="PREFERRED", weeks=1, pinned=(), **bounds):
    return tiny(staff, shifts=("D", "A"), weeks=weeks, active=[RULE], rules={RULE: {"level": level, **bounds}},
                pinned=pinned)


def amounts(unit, cells) -> dict[str, float]:
    return {v.staff: v.amount for v in violations(check(unit, cells), RULE)}


def test_off_by_default_and_no_bound_no_price():
    assert tiny(1, active=[RULE]).rules.total_assignments.level == Level.OFF
    assert amounts(inst(), [("p1", d, "D") for d in range(7)]) == {}


def test_checker_below_and_above():
    unit = inst(min_shifts=3, max_shifts=4)
    assert amounts(unit, [("p1", d, "D") for d in range(3)]) == {}
    assert amounts(unit, [("p1", 0, "D")]) == {"p1": 2}
    got = violations(check(unit, [("p1", d, "D") for d in range(7)]), RULE)
    assert [(v.amount, v.penalty) for v in got] == [(3, 60)]


def test_checker_per_person_bounds_and_history():
    staff = [person("p1", limits={"max_assignments": 1}), person("p2", limits={"assignments_before": 3}),
             person("p3", limits={"min_assignments": 0})]
    unit = inst(staff, max_shifts=4, min_shifts=2)
    got = amounts(unit, [("p1", 0, "D"), ("p1", 1, "D"), ("p2", 0, "D"), ("p2", 1, "D")])
    assert got == {"p1": 1, "p2": 1}  # p2: 3 before + 2 > 4; p3 may work nothing


def test_solver_meets_the_minimum():
    r = solve(inst(min_shifts=3))
    assert_lawful_solve(r)
    assert r.score.total == 0 and len(r.assignments) >= 3


def test_solver_prices_what_pins_force():
    staff = [person("p1", limits={"assignments_before": 1})]
    r = solve(inst(staff, max_shifts=2, pinned=[("p1", 0, "D"), ("p1", 1, "D"), ("p1", 2, "D")]))
    assert_consistent(r)
    assert [v.amount for v in violations(r, RULE)] == [2] and r.solve.objective == 40


def test_solver_edges():
    solver_edges(RULE, [("p1", 0, "D"), ("p1", 1, "D")], [("p1", d, "D") for d in range(3)], n_bad=1, staff=1,
                 shifts=("D",), weeks=1, active=[RULE], rules={RULE: {"level": "REQUIRED", "max_shifts": 2}})
