"""stability (re-planning): each change against the instance's previous `assignments` costs `weight`."""

from __future__ import annotations

from helpers import asg, assert_lawful_solve, check, solve, tiny, violations, tiny_dict
from models import validate_instance


def inst(prev, **kw):
    data = tiny_dict(1, shifts=("D", "A"), active=["stability"], **kw)
    data["assignments"] = [a.model_dump(mode="json") for a in asg(prev)]
    return validate_instance(data)[0]


def test_checker_changes():
    i = inst([("p1", 0, "D"), ("p1", 1, "D")])
    assert check(i, [("p1", 0, "D"), ("p1", 1, "D")]).violations == []
    r = check(i, [("p1", 0, "A"), ("p1", 2, "D")])
    # day 0 swapped (2), day 1 dropped (1), day 2 added (1)
    assert sorted(v.amount for v in violations(r, "stability")) == [1, 1, 2] and r.score.total == 4 * 300


def test_solver_keeps_the_previous_roster():
    i = inst([("p1", 0, "D"), ("p1", 3, "A")])
    r = solve(i)
    assert_lawful_solve(r)
    assert r.score.total == 0 and len(r.assignments) == 2


def test_solver_prices_a_forced_change():
    i = inst([("p1", 0, "D")], pinned=[("p1", 0, "A")])
    r = solve(i)
    assert_lawful_solve(r)
    assert r.solve.objective == 600
