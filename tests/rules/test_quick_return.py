"""quick_return (sein-tidlig): an evening shift followed by a day shift next morning with < 11 h rest."""

from __future__ import annotations

import pytest

from helpers import assert_consistent, assert_lawful_solve, check, shift, solve, tiny, violations
from solver.weights import HARD_WEIGHT

G = shift("G", "09:00", "16:30")
G2 = shift("G2", "08:59", "16:29")
SHIFTS = ("D", "M", "A", "N", G, G2)


def inst(rules=None, **kw):
    return tiny(1, shifts=SHIFTS, active=["quick_return"], rules=rules, **kw)


@pytest.mark.parametrize("first,second,bad", [
    ("A", "D", True), ("A", "G2", True), ("A", "G", False), ("A", "M", False),
    ("N", "A", False),  # a night is not an evening shift
    ("D", "D", False),
])
def test_checker(first, second, bad):
    r = check(inst(), [("p1", 0, first), ("p1", 1, second)])
    got = violations(r, "quick_return")
    assert len(got) == int(bad)
    if bad:
        assert got[0].penalty == 50 and got[0].level.value == "PREFERRED"
    assert r.lawful


def test_checker_threshold_and_weight():
    r = check(inst({"quick_return": {"max_rest_hours": 9, "weight": 3}}), [("p1", 0, "A"), ("p1", 1, "D")])
    assert r.violations == []
    r = check(inst({"quick_return": {"max_rest_hours": 10, "weight": 3}}), [("p1", 0, "A"), ("p1", 1, "D")])
    assert r.score.total == 3


def test_checker_required_level_is_still_soft():
    r = check(inst({"quick_return": {"level": "REQUIRED"}}), [("p1", 0, "A"), ("p1", 1, "D")])
    assert r.lawful and r.score.total == 50


def test_solver_priced_when_rest_rule_is_off():
    r = solve(inst(pinned=[("p1", 0, "A"), ("p1", 1, "D")]))
    assert_lawful_solve(r)
    assert r.solve.objective == 50


def test_solver_with_local_agreement_both_penalties():
    rules = {"daily_rest": {"local_agreement": True}, "short_rest": {"level": "PREFERRED"}}
    r = solve(inst(rules, pinned=[("p1", 0, "A"), ("p1", 1, "D")]))
    assert_lawful_solve(r)
    assert r.solve.objective == 50 + 2 * 20


def test_solver_relaxed_daily_rest_still_prices_quick_return():
    r = solve(inst({"daily_rest": {}}, pinned=[("p1", 0, "A"), ("p1", 1, "D")]))
    assert_consistent(r)
    assert r.solve.status.endswith("_RELAXED") and r.solve.objective == HARD_WEIGHT + 50


def test_solver_avoids_quick_return():
    demand = [{"shift": "A", "dates": ["2027-01-04"], "slots": [{"min": 1}]},
              {"shift": "D", "dates": ["2027-01-05"], "slots": [{"min": 1}]}]
    r = solve(tiny(2, shifts=("D", "A"), active=["quick_return", "demand_coverage"], demand=demand))
    assert_lawful_solve(r)
    assert r.score.total == 0
