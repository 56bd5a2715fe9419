"""fair_unsocial: the spread (max - min) of nights and of worked weekends over regular staff (≥50 %, not
night-only) costs `weight` per shift of spread."""

from __future__ import annotations

from helpers import assert_lawful_solve, check, person, solve, tiny, violations


def inst(staff=None, rules=None, weeks=1, **kw):
    staff = staff or [person("p1"), person("p2")]
    return tiny(staff, shifts=("D", "A", "N"), weeks=weeks, active=["fair_unsocial"], rules=rules, **kw)


def test_checker_even_spread_is_free():
    assert check(inst(), [("p1", 0, "N"), ("p2", 1, "N")]).violations == []


def test_checker_night_spread():
    r = check(inst(), [("p1", 0, "N"), ("p1", 1, "N")])
    got = violations(r, "fair_unsocial")
    assert len(got) == 1 and got[0].amount == 2 and got[0].penalty == 10 and "nights" in got[0].detail


def test_checker_weekend_spread_counts_friday_night():
    r = check(inst(), [("p1", 4, "N"), ("p2", 0, "N")])  # Friday night overlaps the weekend
    assert sorted(v.detail for v in violations(r, "fair_unsocial")) == ["weekends spread 1"]


def test_checker_pool_excludes_small_positions_and_night_only():
    staff = [person("p1"), person("p2", pct=40), person("p3", night_only=True)]
    assert check(inst(staff), [("p3", 0, "N"), ("p3", 1, "N")]).violations == []
    # only one person in the pool: nothing to compare
    assert check(inst(staff), [("p1", 0, "N")]).violations == []


def test_checker_weight():
    r = check(inst(rules={"fair_unsocial": {"weight": 9}}), [("p1", 5, "D")])
    assert r.score.total == 9


def test_solver_spreads_nights():
    demand = [{"shift": "N", "dates": ["2027-01-04", "2027-01-06"], "slots": [{"min": 1}]}]
    r = solve(inst(demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert r.score.total == 0
    nights = [a.staff for a in r.assignments if a.shift == "N"]
    assert nights.count("p1") == nights.count("p2") >= 1


def test_solver_prices_pinned_imbalance():
    r = solve(inst(pinned=[("p1", 0, "N"), ("p1", 2, "N"), ("p1", 5, "D")]))
    assert_lawful_solve(r)
    # the solver can even it out itself by giving p2 nights and a weekend: 0 is reachable
    assert r.solve.objective == r.score.total == 0
    r = solve(inst([person("p1"), person("p2", allowed_shifts=["D"], absences=[
        {"start_date": "2027-01-09", "end_date": "2027-01-10"}])], pinned=[("p1", 0, "N"), ("p1", 5, "D")]))
    assert_lawful_solve(r)
    assert r.solve.objective == 5 + 5
