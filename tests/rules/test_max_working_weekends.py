"""max_working_weekends: worked weekends over the period above the cap cost `weight` each (INRC-II S7). The cap
is `Staff.limits.max_weekends`, else `max_weekends`, else 17 a year pro rata rounded up; weekends worked before the
period (`limits.weekends_before`) count."""

from __future__ import annotations

from helpers import assert_consistent, assert_lawful_solve, check, person, solve, solver_edges, tiny, violations
from models import Level

RULE = "max_working_weekends"


def inst(staff=1, rules=None, weeks=3, **kw):
    return tiny(staff, shifts=("D", "A", "N"), weeks=weeks, active=[RULE], rules=rules, **kw)


def over(cells, **kw) -> list:
    return violations(check(inst(**kw), cells), RULE)


def test_checker_default_cap_is_17_a_year_pro_rata():
    # 3 weekends: ceil(3 × 17 / 52) = 1; 6 weekends: 2
    assert over([("p1", 5, "D"), ("p1", 6, "D")]) == []
    got = over([("p1", 5, "D"), ("p1", 19, "D")])
    assert len(got) == 1 and got[0].amount == 1 and got[0].penalty == 100 and got[0].level == Level.PREFERRED
    assert over([("p1", 5, "D"), ("p1", 26, "D")], weeks=6) == []


def test_checker_prices_each_weekend_over():
    got = over([("p1", d, "D") for d in (5, 12, 19)], rules={RULE: {"max_weekends": 1, "weight": 30}})
    assert len(got) == 1 and got[0].amount == 2 and got[0].penalty == 60 and len(got[0].dates) == 6


def test_checker_friday_night_counts_unless_by_start_date():
    cells = [("p1", 4, "N"), ("p1", 19, "D")]
    assert len(over(cells)) == 1
    assert over(cells, rules={RULE: {"friday_night": False}}) == []
    assert len(over([("p1", 5, "D"), ("p1", 20, "D")], rules={RULE: {"friday_night": False}})) == 1


def test_checker_per_person_cap_and_history():
    staff = [person("p1", limits={"max_weekends": 2}), person("p2", limits={"weekends_before": 1}),
             person("p3", limits={"max_weekends": 0, "weekends_before": 2})]
    r = check(inst(staff), [("p1", 5, "D"), ("p1", 19, "D"), ("p2", 5, "D")])
    got = {v.staff: v.amount for v in violations(r, RULE)}
    assert got == {"p2": 1, "p3": 2}  # p3 is over before the period starts


def test_solver_keeps_within_the_cap():
    demand = [{"shift": "D", "weekdays": ["sat", "sun"], "slots": [{"min": 1}]}]
    r = solve(inst(3, rules={"demand_coverage": {}}, demand=demand))
    assert_lawful_solve(r)
    assert r.unfilled == [] and r.score.total == 0


def test_solver_prices_forced_weekends():
    staff = [person("p1", limits={"weekends_before": 1})]
    r = solve(inst(staff, pinned=[("p1", 5, "D"), ("p1", 12, "D")]))
    assert_consistent(r)
    assert [v.amount for v in violations(r, RULE)] == [2] and r.solve.objective == 200


def test_solver_edges():
    solver_edges(RULE, [("p1", 5, "D"), ("p1", 6, "D")], [("p1", 5, "D"), ("p1", 12, "D")], n_bad=1, staff=1,
                 shifts=("D", "A", "N"), weeks=3, active=[RULE], rules={RULE: {"level": "REQUIRED"}})
