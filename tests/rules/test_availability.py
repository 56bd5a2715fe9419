"""availability: no work during absence, outside allowed shift codes, or on day shifts for night-only staff."""

from __future__ import annotations

import pytest

from helpers import assert_lawful_solve, check, person, solve, tiny, violations
from solver.weights import HARD_WEIGHT


def inst(p, **kw):
    return tiny([p], shifts=("D", "A", "N"), **kw)


@pytest.mark.parametrize("p,cell,bad", [
    (person("p1", absences=[{"start_date": "2027-01-05", "end_date": "2027-01-06"}]), ("p1", 1, "D"), True),
    (person("p1", absences=[{"start_date": "2027-01-05", "end_date": "2027-01-06"}]), ("p1", 3, "D"), False),
    # a night starting the evening before the absence runs into it
    (person("p1", absences=[{"start_date": "2027-01-05"}]), ("p1", 0, "N"), True),
    (person("p1", absences=[{"start_date": "2027-01-05"}]), ("p1", 0, "A"), False),
    # clock-span absence: D ends 15:00, absence from 15:00 is adjacent, from 14:59 overlaps
    (person("p1", absences=[{"start": "2027-01-04T15:00", "end": "2027-01-04T18:00"}]), ("p1", 0, "D"), False),
    (person("p1", absences=[{"start": "2027-01-04T14:59", "end": "2027-01-04T18:00"}]), ("p1", 0, "D"), True),
    (person("p1", allowed_shifts=["D", "A"]), ("p1", 0, "N"), True),
    (person("p1", allowed_shifts=["D", "A"]), ("p1", 0, "A"), False),
    (person("p1", night_only=True), ("p1", 0, "D"), True),
    (person("p1", night_only=True), ("p1", 0, "N"), False),
])
def test_checker(p, cell, bad):
    got = violations(check(inst(p), [cell]), "availability")
    assert len(got) == int(bad)
    if bad:
        assert got[0].penalty == HARD_WEIGHT and got[0].level.value == "REQUIRED"


def test_checker_even_with_all_rules_off():
    r = check(inst(person("p1", night_only=True)), [("p1", 0, "D")])
    assert not r.lawful


def test_solver_never_assigns_an_unavailable_cell():
    p = person("p1", absences=[{"start_date": "2027-01-05", "end_date": "2027-01-06"}], allowed_shifts=["D", "N"])
    demand = [{"shift": t, "slots": [{"min": 1}]} for t in ("D", "A")]
    r = solve(inst(p, demand=demand, active=["demand_coverage", "one_shift_per_day"]))
    assert_lawful_solve(r)
    assert all(a.shift == "D" and a.date.day not in (5, 6) for a in r.assignments)
    assert sum(u.missing for u in r.unfilled) == 7 + 2
