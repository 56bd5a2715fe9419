"""All rules at their Norwegian defaults together: a sensible hand-made rotation is lawful (no false positives),
and the solver's roster on a tiny unit is lawful with objective == checker score."""

from __future__ import annotations

from helpers import MONDAY, assert_lawful_solve, check, person, solve, tiny_dict, hard
from models import validate_instance

ROTATION = [("p1", d, t) for d, t in [(0, "D"), (1, "D"), (2, "A"), (5, "D"), (6, "D"),
                                      (8, "D"), (9, "D"), (10, "A"), (11, "A")]]


def defaults(**kw):
    data = tiny_dict(**kw)
    data["rules"] = {}  # every rule at its default level
    return validate_instance(data)[0]


def test_sensible_rotation_is_lawful_under_all_defaults():
    inst = defaults(staff=[person("p1")], shifts=("D", "M", "A", "N"), weeks=2)
    r = check(inst, ROTATION)
    assert r.lawful, hard(r)
    # only soft costs: the contract deviation (71 h target, 67.5 h planned) and the lone day off on day 7
    assert sorted((v.rule, v.penalty) for v in r.violations) == [("contract_deviation", 210), ("off_runs", 100)]


def test_one_change_breaks_exactly_one_rule():
    inst = defaults(staff=[person("p1")], shifts=("D", "M", "A", "N"), weeks=2)
    # Thursday D after Wednesday A: 9.5 h of rest, 14.5 h of work in the 24 h from 14:30 (and a sein-tidlig)
    r = check(inst, ROTATION + [("p1", 3, "D")])
    assert sorted(v.rule for v in hard(r)) == ["daily_rest", "max_daily_hours"]
    # Thursday M instead: 12 h of rest, 10 h in 24 h: lawful
    assert check(inst, ROTATION + [("p1", 3, "M")]).lawful
    assert any(v.rule == "quick_return" for v in r.violations)


def test_solver_under_all_defaults():
    demand = [{"shift": "D", "slots": [{"group": "sykepleier", "min": 1}, {"min": 2}]},
              {"shift": "A", "slots": [{"min": 1}]},
              {"shift": "N8", "slots": [{"min": 1}]}]
    staff = [person("n1", "sykepleier"), person("n2", "sykepleier", pct=80), person("h1"),
             person("h2", pct=75), person("h3", night_only=True, pct=60)]
    inst = defaults(staff=staff, shifts=("D", "A", "N8"), weeks=2, demand=demand)
    r = solve(inst, time_limit_s=4)
    assert_lawful_solve(r)
    assert r.solve.status in ("OPTIMAL", "FEASIBLE")
    assert all(a.date >= MONDAY for a in r.assignments)
