"""one_shift_per_day: at most one shift starts per person per date (structural); unknown ids are reported."""

from __future__ import annotations

from helpers import assert_lawful_solve, check, solve, tiny, violations, asg
from models import Assignment
from solver import check as check_roster
from solver.weights import HARD_WEIGHT


def test_checker_second_shift_on_a_day():
    i = tiny(1, shifts=("D", "A"))
    assert check(i, [("p1", 0, "D"), ("p1", 1, "A")]).violations == []
    got = violations(check(i, [("p1", 0, "D"), ("p1", 0, "A")]), "one_shift_per_day")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT and "second shift A" in got[0].detail


def test_checker_unknown_staff_shift_and_date():
    i = tiny(1, shifts=("D",))
    extra = [Assignment(staff="ghost", date="2027-01-04", shift="D"),
             Assignment(staff="p1", date="2027-01-04", shift="Q"),
             Assignment(staff="p1", date="2030-01-01", shift="D")]
    r = check_roster(i, asg([("p1", 1, "D")]) + extra)
    got = violations(r, "one_shift_per_day")
    assert len(got) == 3 and {v.detail.split()[1] for v in got} == {"staff", "shift", "date"}
    assert not r.lawful


def test_solver_one_person_two_demanded_shifts():
    demand = [{"shift": t, "dates": ["2027-01-04"], "slots": [{"min": 1}]} for t in ("D", "A")]
    r = solve(tiny(1, shifts=("D", "A"), active=["demand_coverage"], demand=demand))
    assert_lawful_solve(r)
    assert len([a for a in r.assignments if a.date.day == 4]) == 1 and r.score.total == 10_000
