"""shift_mix_week: a person working more than `max_kinds` of day, evening and night shifts in one plan week pays
`weight` for that week (2 by default: only the three-way mix; 1: any two)."""

from __future__ import annotations

from helpers import asg, assert_consistent, check, person, solve, solver_edges, tiny, tiny_dict, violations
from models import Level, validate_instance
from solver import check as run_check

RULE = "shift_mix_week"


def inst(staff=1, rules=None, weeks=2, **kw):
    return tiny(staff, shifts=("D", "A", "N", "LD"), weeks=weeks, active=[RULE], rules=rules, **kw)


def mixed(cells, **kw) -> list:
    return violations(check(inst(**kw), cells), RULE)


def test_checker_day_and_evening_is_a_normal_two_shift_week():
    assert mixed([("p1", 0, "D"), ("p1", 1, "A"), ("p1", 2, "LD")]) == []


def test_checker_three_kinds_in_one_week():
    got = mixed([("p1", 0, "D"), ("p1", 2, "A"), ("p1", 4, "N")])
    assert len(got) == 1 and got[0].penalty == 100 and got[0].level == Level.PREFERRED
    assert "day+evening+night" in got[0].detail and len(got[0].dates) == 7


def test_checker_weeks_are_plan_weeks():
    # day and evening on Sunday's week, the night on the next Monday: no week holds all three
    assert mixed([("p1", 5, "D"), ("p1", 6, "A"), ("p1", 7, "N")]) == []
    # with the plan week starting on Saturday (an agreed week boundary) the three fall in one week
    data = tiny_dict(1, shifts=("D", "A", "N"), weeks=2, active=[RULE], lawful=False)
    data["period"]["week_start"] = "saturday"
    unit = validate_instance(data, legal_floors=False)[0]
    assert len(violations(run_check(unit, asg([("p1", 5, "D"), ("p1", 6, "A"), ("p1", 7, "N")])), RULE)) == 1


def test_checker_max_kinds_one_prices_any_mix():
    strict = {RULE: {"max_kinds": 1, "weight": 9}}
    assert mixed([("p1", 0, "D"), ("p1", 1, "D")], rules=strict) == []
    got = mixed([("p1", 0, "D"), ("p1", 1, "A"), ("p1", 8, "N"), ("p1", 9, "D")], rules=strict)
    assert len(got) == 2 and sum(v.penalty for v in got) == 18


def test_solver_prices_a_forced_mix():
    r = solve(inst(pinned=[("p1", 0, "D"), ("p1", 2, "A"), ("p1", 4, "N")]))
    assert_consistent(r)
    assert len(violations(r, RULE)) == 1 and r.solve.objective == 100


def test_solver_avoids_the_mix():
    demand = [{"shift": c, "dates": [f"2027-01-0{4 + i}"], "slots": [{"min": 1}]} for i, c in enumerate("DAN")]
    r = solve(inst([person("p1"), person("p2")], weeks=1, demand=demand, rules={"demand_coverage": {}}))
    assert_consistent(r)
    assert r.score.total == 0 and r.unfilled == []


def test_solver_edges():
    solver_edges(RULE, [("p1", 0, "D"), ("p1", 2, "A")], [("p1", 0, "D"), ("p1", 2, "A"), ("p1", 4, "N")], n_bad=1,
                 staff=1, shifts=("D", "A", "N"), weeks=1, active=[RULE], rules={RULE: {"level": "REQUIRED"}})
