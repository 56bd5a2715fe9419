"""weekly_rest_rolling (AML §10-8(2)): no more than 7 × 24 h between two 35 h rests holding a whole free day."""

from __future__ import annotations

from helpers import assert_lawful_solve, check, solve, solver_edges, tiny, violations
from solver.weights import HARD_WEIGHT


def inst(weeks=2, **kw):
    return tiny(1, shifts=("D", "A"), weeks=weeks, active=["weekly_rest", "weekly_rest_rolling"], **kw)


# The issue's example (demo A1-019): Monday free, evening shifts Tue 5 .. Fri 15 (11 in a row), Sat and Sun free.
# Each plan week holds a rest inside it (Mon 00:00 -> Tue 14:30; Fri 22:00 -> Mon 00:00), but from Tuesday 14:30
# to Friday 22:00 of the next week there are 9 days without one.
STRETCH = [("p1", d, "A") for d in range(1, 12)]


def test_checker_issue_example_passes_per_week_fails_rolling():
    r = check(inst(), STRETCH)
    assert violations(r, "weekly_rest") == []
    got = violations(r, "weekly_rest_rolling")
    assert got and all(v.penalty == HARD_WEIGHT for v in got)
    assert got[0].staff == "p1" and "2027-01-05" in {d.isoformat() for d in got[0].dates}


def test_checker_six_days_between_rests_is_fine():
    # Mon-Sat day shifts (6 in a row), Sun free, Mon-Sat again: from Mon 07:30 to Sat 15:00 between the rests
    cells = [("p1", d, "D") for d in range(14) if d % 7 != 6]
    assert violations(check(inst(), cells), "weekly_rest_rolling") == []


def test_checker_the_law_allows_up_to_7x24h_and_the_rule_stays_within_it():
    # rest ends Tue 14:30 (A), then 8 evening shifts to Tue 22:00: 175.5 h between the rests
    cells = [("p1", d, "A") for d in range(1, 9)]
    assert violations(check(inst(), cells), "weekly_rest_rolling")
    # 7 evening shifts (Tue .. Mon 22:00): 151.5 h, within the law and the rule
    assert violations(check(inst(), cells[:-1]), "weekly_rest_rolling") == []


def test_checker_edges_of_the_period_are_free():
    # a long stretch at the very start or end is measured from/to the period's edge
    assert violations(check(inst(weeks=1), [("p1", d, "D") for d in range(6)]), "weekly_rest_rolling") == []


def test_checker_preferred_prices_each_clause():
    r = check(inst(rules={"weekly_rest_rolling": {"level": "PREFERRED", "weight": 7}}), STRETCH)
    got = violations(r, "weekly_rest_rolling")
    assert r.lawful and r.score.total == 7 * len(got) > 0


def test_checker_custom_gap():
    r = check(inst(rules={"weekly_rest_rolling": {"max_gap_hours": 264}}), STRETCH)
    assert violations(r, "weekly_rest_rolling") == []


def test_solver_edges():
    ok = [("p1", d, "D") for d in range(14) if d % 7 < 5]
    solver_edges("weekly_rest_rolling", ok, STRETCH, staff=1, shifts=("D", "A"), weeks=2,
                 active=["weekly_rest", "weekly_rest_rolling"])


def test_solver_keeps_rests_despite_demand():
    demand = [{"shift": "D", "slots": [{"min": 1}]}]
    r = solve(inst(weeks=3, demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert violations(r, "weekly_rest_rolling") == []
