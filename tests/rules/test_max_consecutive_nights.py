"""max_consecutive_nights: at most `max_nights` (4) night shifts in a row."""

from __future__ import annotations

from helpers import check, solve, solver_edges, tiny, violations, assert_lawful_solve
from solver.weights import HARD_WEIGHT


def inst(weeks=1, **kw):
    return tiny(1, shifts=("D", "A", "N", "N8"), weeks=weeks, active=["max_consecutive_nights"], **kw)


def test_checker_four_nights():
    assert check(inst(), [("p1", d, "N") for d in range(4)]).violations == []


def test_checker_five_nights():
    got = violations(check(inst(), [("p1", d, "N") for d in range(5)]), "max_consecutive_nights")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT


def test_checker_any_night_type_counts_evenings_do_not():
    assert len(violations(check(inst(), [("p1", d, "N8" if d % 2 else "N") for d in range(5)]),
                          "max_consecutive_nights")) == 1
    cells = [("p1", d, "N") for d in range(4)] + [("p1", 4, "A"), ("p1", 5, "N")]
    assert check(inst(), cells).violations == []


def test_checker_preferred():
    r = check(inst(rules={"max_consecutive_nights": {"level": "PREFERRED", "weight": 4, "max_nights": 2}}),
              [("p1", d, "N") for d in range(4)])
    assert len(violations(r, "max_consecutive_nights")) == 2 and r.score.total == 8


def test_solver_edges():
    solver_edges("max_consecutive_nights", [("p1", d, "N") for d in range(4)], [("p1", d, "N") for d in range(5)],
                 n_bad=1, staff=1, shifts=("D", "N"), active=["max_consecutive_nights"])


def test_solver_uses_day_shift_to_break_nights():
    demand = [{"shift": "N", "slots": [{"min": 1}]}]
    r = solve(inst(demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert sum(u.missing for u in r.unfilled) == 1
