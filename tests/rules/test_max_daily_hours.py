"""max_daily_hours (AML §10-5(2)): ≤12.5 h of work in any 24 h; long shifts (>10 h) only for staff who opt in."""

from __future__ import annotations

import pytest

from helpers import (assert_consistent, assert_lawful_solve, check, person, shift, solve, solver_edges, tiny,
                     violations)
from models import InstanceError
from solver.weights import HARD_WEIGHT

P = shift("P", "09:30", "17:00")  # A (14:30-22:00) then P: the 24 h from 14:30 hold exactly 12.5 h
P2 = shift("P2", "09:29", "16:59")  # one minute more inside that window
LD2 = shift("LD2", "08:00", "20:31")  # 12 h 31 min
SHIFTS = ("D", "A", "E", "LD", "X", P, P2, LD2)


def inst(opt_in=False, **kw):
    return tiny([person("p1", accepts_long_shifts=opt_in)], shifts=SHIFTS, active=["max_daily_hours"], **kw)


@pytest.mark.parametrize("code,opt_in,bad", [
    ("LD", True, False),   # 12.5 h for someone who opted in
    ("LD", False, True),   # long shift, not opted in
    ("X", False, True),    # 10.5 h is a long shift too
    ("LD2", True, True),   # over 12.5 h even when opted in
    ("D", False, False),
])
def test_checker_single_shift(code, opt_in, bad):
    r = check(inst(opt_in), [("p1", 0, code)])
    got = violations(r, "max_daily_hours")
    assert len(got) == int(bad)
    if bad:
        assert got[0].penalty == HARD_WEIGHT


@pytest.mark.parametrize("first,second,bad", [
    ("A", "P", False),   # exactly 12.5 h within 24 h
    ("A", "P2", True),   # 12 h 31 min
    ("A", "E", True),    # 15 h
    ("D", "D", False),
])
def test_checker_pair_within_24h(first, second, bad):
    r = check(inst(), [("p1", 0, first), ("p1", 1, second)])
    got = violations(r, "max_daily_hours")
    assert len(got) == int(bad)
    if bad:
        assert [d.day for d in got[0].dates] == [4, 5]


def test_checker_preferred_prices_each_group():
    r = check(inst(rules={"max_daily_hours": {"level": "PREFERRED", "weight": 11}}),
              [("p1", 0, "A"), ("p1", 1, "E"), ("p1", 3, "LD")])
    assert len(violations(r, "max_daily_hours")) == 2 and r.score.total == 22 and r.lawful


def test_solver_edges_pair():
    solver_edges("max_daily_hours", [("p1", 0, "A"), ("p1", 1, "P")], [("p1", 0, "A"), ("p1", 1, "P2")], n_bad=1,
                 staff=[person("p1")], shifts=SHIFTS, active=["max_daily_hours"])


def test_solver_pin_of_long_shift_without_opt_in_is_an_input_error():
    with pytest.raises(InstanceError) as err:
        solve(inst(pinned=[("p1", 0, "LD")]))
    assert [p.code for p in err.value.problems] == ["pinned_not_allowed"]


def test_solver_long_shift_with_opt_in_is_lawful():
    r = solve(inst(opt_in=True, pinned=[("p1", 0, "LD")]))
    assert_lawful_solve(r)


def test_solver_preferred_long_shift_is_priced():
    r = solve(inst(pinned=[("p1", 0, "LD")], rules={"max_daily_hours": {"level": "PREFERRED", "weight": 11}}))
    assert_consistent(r)
    assert r.solve.objective == 11 and r.lawful


def test_solver_does_not_give_long_shifts_to_those_who_did_not_opt_in():
    demand = [{"shift": "LD", "slots": [{"min": 1}]}]
    r = solve(tiny([person("p1"), person("p2", accepts_long_shifts=True)], shifts=("D", "LD"),
                   active=["max_daily_hours", "demand_coverage"], demand=demand))
    assert_lawful_solve(r)
    assert {a.staff for a in r.assignments} == {"p2"} and len(r.assignments) == 7
