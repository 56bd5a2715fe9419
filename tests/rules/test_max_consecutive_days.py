"""max_consecutive_days: at most `max_days` (6) working days in a row."""

from __future__ import annotations

from helpers import check, solve, solver_edges, tiny, violations, assert_lawful_solve
from solver.weights import HARD_WEIGHT


def inst(weeks=1, **kw):
    return tiny(1, shifts=("D", "N"), weeks=weeks, active=["max_consecutive_days"], **kw)


def test_checker_six_in_a_row():
    assert check(inst(), [("p1", d, "D") for d in range(6)]).violations == []


def test_checker_seven_in_a_row():
    got = violations(check(inst(), [("p1", d, "D") for d in range(7)]), "max_consecutive_days")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT and len(got[0].dates) == 7


def test_checker_eight_in_a_row_is_two_windows():
    got = violations(check(inst(weeks=2), [("p1", d, "D") for d in range(3, 11)]), "max_consecutive_days")
    assert len(got) == 2


def test_checker_a_day_off_resets_and_nights_count():
    cells = [("p1", d, "N") for d in range(6)] + [("p1", d, "D") for d in range(7, 13)]
    assert check(inst(weeks=2), cells).violations == []


def test_checker_custom_max():
    r = check(inst(rules={"max_consecutive_days": {"max_days": 3}}), [("p1", d, "D") for d in range(4)])
    assert len(violations(r, "max_consecutive_days")) == 1


def test_solver_edges():
    solver_edges("max_consecutive_days", [("p1", d, "D") for d in range(6)], [("p1", d, "D") for d in range(7)],
                 n_bad=1, staff=1, shifts=("D", "N"), active=["max_consecutive_days"])


def test_solver_breaks_the_run():
    demand = [{"shift": "D", "slots": [{"min": 1}]}]
    r = solve(inst(weeks=2, demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert sum(u.missing for u in r.unfilled) == 2
