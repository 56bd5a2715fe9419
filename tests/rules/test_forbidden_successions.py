"""forbidden_successions: pairs (shift on one day, shift on the next) given as data, each occurrence one
violation; REQUIRED (INRC-II H3) or PREFERRED; unknown shift codes are refused at validation."""

from __future__ import annotations

import pytest

from helpers import asg, assert_consistent, assert_lawful_solve, check, solve, solver_edges, tiny, tiny_dict, violations
from models import InstanceError, Level, validate_instance
from solver.weights import HARD_WEIGHT

RULE = "forbidden_successions"
PAIRS = {"pairs": [{"first": "L", "then": ["E"]}, {"first": "N", "then": ["E", "L"]}]}
SHIFTS = ("E", "L", "N")


def inst(level="REQUIRED", **kw):
    return tiny(1, shifts=SHIFTS, weeks=1, active=[RULE], rules={RULE: {**PAIRS, "level": level, "weight": 15}},
                **kw)


def test_checker_allowed_successions():
    assert check(inst(), [("p1", 0, "E"), ("p1", 1, "L"), ("p1", 2, "N"), ("p1", 3, "N")]).violations == []
    assert check(inst(), [("p1", 0, "L"), ("p1", 2, "E")]).violations == []  # a day off between


def test_checker_forbidden_pairs():
    got = violations(check(inst(), [("p1", 0, "L"), ("p1", 1, "E"), ("p1", 3, "N"), ("p1", 4, "L")]), RULE)
    assert [v.detail for v in got] == ["L then E", "N then L"]
    assert all(v.penalty == HARD_WEIGHT and v.level == Level.REQUIRED for v in got)
    soft = violations(check(inst("PREFERRED"), [("p1", 0, "L"), ("p1", 1, "E")]), RULE)
    assert [(v.penalty, v.level) for v in soft] == [(15, Level.PREFERRED)]


def test_the_history_last_day_is_followed_into_the_period():
    history = [{"staff": "p1", "date": "2027-01-03", "shift": "N"}, {"staff": "p2", "date": "2027-01-02", "shift": "L"}]
    unit = tiny(2, shifts=SHIFTS, weeks=1, active=[RULE], rules={RULE: {**PAIRS, "level": "PREFERRED", "weight": 15}},
                history=history)
    got = violations(check(unit, [("p1", 0, "E"), ("p2", 0, "E")]), RULE)
    assert [(v.staff, v.detail, [d.isoformat() for d in v.dates]) for v in got] == [
        ("p1", "N (history) then E", ["2027-01-04"])]  # p2's Late was two days before
    r = solve(unit.model_copy(update={"pinned": asg([("p1", 0, "L")])}))
    assert_consistent(r)
    assert len(violations(r, RULE)) == 1 and r.solve.objective == 15
    demand = [{"shift": "E", "dates": ["2027-01-04"], "slots": [{"min": 1}]}]
    r = solve(tiny(2, shifts=SHIFTS, weeks=1, rules={RULE: PAIRS | {"level": "REQUIRED"}, "demand_coverage": {}},
                   history=history, demand=demand))
    assert_lawful_solve(r)
    assert [a.staff for a in r.assignments if a.date.isoformat() == "2027-01-04" and a.shift == "E"] == ["p2"]


def test_off_by_default():
    unit = tiny(1, shifts=SHIFTS, weeks=1, active=[RULE])
    assert unit.rules.forbidden_successions.level == Level.OFF
    assert check(unit, [("p1", 0, "L"), ("p1", 1, "E")]).violations == []


def test_unknown_shift_codes_are_refused():
    data = tiny_dict(1, shifts=SHIFTS, lawful=False,
                     rules={RULE: {"level": "REQUIRED", "pairs": [{"first": "L", "then": ["X9"]}]}})
    with pytest.raises(InstanceError) as err:
        validate_instance(data, legal_floors=False)
    assert [(p.code, p.loc) for p in err.value.problems] == [("unknown_shift", "rules.forbidden_successions.pairs[0]")]


def test_solver_prices_a_forced_pair():
    r = solve(inst("PREFERRED", pinned=[("p1", 0, "N"), ("p1", 1, "E")]))
    assert_consistent(r)
    assert len(violations(r, RULE)) == 1 and r.solve.objective == 15


def test_solver_edges():
    solver_edges(RULE, [("p1", 0, "E"), ("p1", 1, "L")], [("p1", 0, "L"), ("p1", 1, "E")], n_bad=1, staff=1,
                 shifts=SHIFTS, weeks=1, active=[RULE], rules={RULE: {**PAIRS, "level": "REQUIRED"}})
