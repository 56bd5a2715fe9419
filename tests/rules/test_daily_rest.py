"""daily_rest (AML §10-8(1)) and short_rest (§10-8(3) local agreement): checker and solver at the edges."""

from __future__ import annotations

import pytest

from helpers import (assert_consistent, assert_lawful_solve, check, hard, shift, solve, solver_edges, tiny,
                     violations)
from solver.weights import HARD_WEIGHT

G = shift("G", "09:00", "16:30")  # A (ends 22:00) -> G next day = exactly 11.0 h
G2 = shift("G2", "08:59", "16:29")  # 10 h 59 min
SHIFTS = ("D", "M", "A", "N", G, G2)


def inst(**kw):
    return tiny(1, shifts=SHIFTS, active=["daily_rest"], **kw)


@pytest.mark.parametrize("first,second,bad", [
    ("A", "D", True),    # 22:00 -> 07:30 = 9.5 h
    ("A", "M", False),   # 22:00 -> 10:00 = 12 h
    ("A", "G", False),   # exactly 11.0 h
    ("A", "G2", True),   # 10 h 59 min
    ("N", "D", True),    # night ends 07:45, D starts 07:30: overlap
    ("N", "A", True),    # 07:45 -> 14:30 = 6.75 h
    ("N", "N", False),   # 07:45 -> 21:45 = 14 h
    ("D", "D", False),
    ("D", "N", False),
])
def test_checker_consecutive_days(first, second, bad):
    r = check(inst(), [("p1", 0, first), ("p1", 1, second)])
    got = violations(r, "daily_rest")
    if bad:
        assert len(got) == 1
        v = got[0]
        assert v.penalty == HARD_WEIGHT and v.staff == "p1" and [d.day for d in v.dates] == [4, 5]
    else:
        assert got == []
    assert r.lawful is not bad


def test_checker_two_days_apart_is_fine():
    r = check(inst(), [("p1", 0, "N"), ("p1", 2, "D")])
    assert r.violations == []


def test_checker_preferred_prices_by_weight():
    r = check(inst(rules={"daily_rest": {"level": "PREFERRED", "weight": 13}}), [("p1", 0, "A"), ("p1", 1, "D")])
    assert [(v.rule, v.penalty, v.level.value) for v in r.violations] == [("daily_rest", 13, "PREFERRED")]
    assert r.score.total == 13 and r.score.hard == 0 and r.lawful


def test_checker_off():
    r = check(tiny(1, shifts=SHIFTS), [("p1", 0, "A"), ("p1", 1, "D")])
    assert r.violations == []


# ---- local agreement: floor 8 h, every hour short of 11 h costs short_rest.weight ----------------------------

AGREED = {"daily_rest": {"local_agreement": True}, "short_rest": {"level": "PREFERRED", "weight": 20}}
S6 = shift("S6", "06:00", "13:30")  # A -> S6 = exactly 8 h
S559 = shift("S559", "05:59", "13:29")


def agreed(**kw):
    return tiny(1, shifts=("D", "A", G, S6, S559), rules=AGREED, **kw)


@pytest.mark.parametrize("second,hours", [("D", 2), ("S6", 3), ("G", 0)])
def test_checker_short_rest_hours(second, hours):
    r = check(agreed(), [("p1", 0, "A"), ("p1", 1, second)])
    assert violations(r, "daily_rest") == []
    got = violations(r, "short_rest")
    if hours:
        assert len(got) == 1 and got[0].amount == hours and got[0].penalty == 20 * hours
        assert got[0].level.value == "PREFERRED"
    else:
        assert got == []
    assert r.lawful


def test_checker_below_agreed_floor_is_a_violation():
    r = check(agreed(), [("p1", 0, "A"), ("p1", 1, "S559")])
    assert len(violations(r, "daily_rest")) == 1 and violations(r, "short_rest") == []
    assert not r.lawful


def test_checker_short_rest_off_means_floor_only():
    rules = {"daily_rest": {"local_agreement": True}, "short_rest": {"level": "OFF"}}
    r = check(tiny(1, shifts=("D", "A"), rules=rules), [("p1", 0, "A"), ("p1", 1, "D")])
    assert r.violations == []


# ---- solver ------------------------------------------------------------------------------------------------

def test_solver_edges():
    solver_edges("daily_rest", ok_pins=[("p1", 0, "A"), ("p1", 1, "G")], bad_pins=[("p1", 0, "A"), ("p1", 1, "D")],
                 n_bad=1, staff=1, shifts=SHIFTS, active=["daily_rest"])


def test_solver_short_rest_objective():
    r = solve(agreed(pinned=[("p1", 0, "A"), ("p1", 1, "D")]))
    assert_lawful_solve(r)
    assert r.solve.objective == 40 == r.score.total


def test_solver_prefers_unfilled_demand_over_breaking_rest():
    demand = [{"shift": "A", "dates": ["2027-01-04"], "slots": [{"min": 1}]},
              {"shift": "D", "dates": ["2027-01-05"], "slots": [{"min": 1}]}]
    r = solve(inst(demand=demand, rules={"demand_coverage": {"level": "PREFERRED"}}))
    assert_lawful_solve(r)
    assert sum(u.missing for u in r.unfilled) == 1
    assert r.score.total == 10_000


def test_solver_avoids_short_rest_when_it_can():
    demand = [{"shift": "A", "dates": ["2027-01-04"], "slots": [{"min": 1}]},
              {"shift": "D", "dates": ["2027-01-05"], "slots": [{"min": 1}]}]
    r = solve(tiny(2, shifts=("D", "A"), rules={**AGREED, "demand_coverage": {}}, demand=demand))
    assert_lawful_solve(r)
    assert r.score.total == 0 and not hard(r)
    assert_consistent(r)
