"""sunday_rule (AML §10-8(4)): at most 3 Sundays worked in a row (a Saturday night shift touches the Sunday)."""

from __future__ import annotations

from helpers import check, solve, solver_edges, tiny, violations, assert_lawful_solve
from solver.weights import HARD_WEIGHT

SUNDAYS = [6, 13, 20, 27]


def inst(**kw):
    return tiny(1, shifts=("D", "A", "N"), weeks=4, active=["sunday_rule"], **kw)


def test_checker_three_in_a_row_is_fine():
    assert check(inst(), [("p1", d, "D") for d in SUNDAYS[:3]]).violations == []


def test_checker_four_in_a_row():
    got = violations(check(inst(), [("p1", d, "D") for d in SUNDAYS]), "sunday_rule")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT
    assert [d.day for d in got[0].dates] == [10, 17, 24, 31]


def test_checker_saturday_night_counts_as_sunday():
    cells = [("p1", d, "D") for d in SUNDAYS[:3]] + [("p1", 26, "N")]
    assert len(violations(check(inst(), cells), "sunday_rule")) == 1
    # a Saturday evening shift ending 22:00 does not
    cells = [("p1", d, "D") for d in SUNDAYS[:3]] + [("p1", 26, "A")]
    assert check(inst(), cells).violations == []


def test_checker_sunday_night_counts():
    cells = [("p1", d, "D") for d in SUNDAYS[:3]] + [("p1", 27, "N")]
    assert len(violations(check(inst(), cells), "sunday_rule")) == 1


def test_checker_a_free_sunday_resets():
    cells = [("p1", d, "D") for d in (6, 13, 27)]
    assert check(inst(), cells).violations == []


def test_checker_max_consecutive_one():
    r = check(inst(rules={"sunday_rule": {"max_consecutive": 1}}), [("p1", 6, "D"), ("p1", 13, "D")])
    assert len(violations(r, "sunday_rule")) == 1


def test_solver_edges():
    solver_edges("sunday_rule", [("p1", d, "D") for d in SUNDAYS[:3]], [("p1", d, "D") for d in SUNDAYS],
                 n_bad=1, staff=1, shifts=("D", "A", "N"), weeks=4, active=["sunday_rule"])


def test_solver_leaves_a_sunday_open():
    demand = [{"shift": "D", "weekdays": ["sun"], "slots": [{"min": 1}]}]
    r = solve(inst(demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert sum(a.shift == "D" and a.date.weekday() == 6 for a in r.assignments) == 3
    assert r.score.total == 10_000
