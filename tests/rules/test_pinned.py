"""pinned: pinned assignments are kept (always hard); a pin the person may not take is an input error."""

from __future__ import annotations

import pytest

from models import Assignment, InstanceError

from helpers import asg, assert_lawful_solve, cells_of, check, person, pins_kept, solve, tiny, violations
from solver.weights import HARD_WEIGHT


def test_checker_missing_pin():
    i = tiny(1, shifts=("D", "A"), pinned=[("p1", 2, "A")])
    assert check(i, [("p1", 2, "A")]).violations == []
    got = violations(check(i, [("p1", 2, "D")]), "pinned")
    assert len(got) == 1 and got[0].penalty == HARD_WEIGHT and got[0].dates[0].day == 6
    assert len(violations(check(i, []), "pinned")) == 1


def test_solver_keeps_pins_against_demand_and_wishes():
    demand = [{"shift": "D", "slots": [{"min": 1}]}]
    staff = [person("p1", wishes=[{"kind": "avoid", "shift": "A", "weight": 100}])]
    i = tiny(staff, shifts=("D", "A"), active=["demand_coverage", "wishes"], demand=demand,
             pinned=[("p1", 2, "A")])
    r = solve(i)
    assert_lawful_solve(r)
    assert pins_kept(i, r) and ("p1", 2, "A") in cells_of(r)


def test_pin_during_absence_is_an_input_error():
    # caught by validation already; the solver's own check stays as a safety net for unvalidated instances
    with pytest.raises(InstanceError) as err:
        tiny([person("p1", absences=[{"start_date": "2027-01-06"}])], shifts=("D",), pinned=[("p1", 2, "D")])
    assert [p.code for p in err.value.problems] == ["pinned_not_allowed"]
    ok = tiny([person("p1", absences=[{"start_date": "2027-01-06"}])], shifts=("D",))
    bad = ok.model_copy(update={"pinned": asg([("p1", 2, "D")])})
    with pytest.raises(InstanceError) as err:
        solve(bad)
    assert [p.code for p in err.value.problems] == ["pinned_not_allowed"]


def test_two_pins_on_one_day_are_bad_input():
    with pytest.raises(InstanceError) as err:
        tiny(1, shifts=("D", "A"), pinned=[("p1", 0, "D"), ("p1", 0, "A")], active=["daily_rest"])
    assert [p.code for p in err.value.problems] == ["pinned_twice"]


def test_solver_two_pins_on_one_day_are_reported_as_a_pinned_conflict():
    # past validation (an instance built in code): one_shift_per_day is structural and pins are never relaxed,
    # so there is no roster and the conflict names the pins
    i = tiny(1, shifts=("D", "A"), active=["daily_rest"])
    i = i.model_copy(update={"pinned": [Assignment(staff="p1", date=i.period.start, shift="D"),
                                        Assignment(staff="p1", date=i.period.start, shift="A")]})
    r = solve(i)
    assert r.solve.status == "INFEASIBLE" and r.assignments == []
    assert [(c.rule, c.staff) for c in r.conflicts] == [("pinned", "p1")]
    assert len(violations(r, "pinned")) == 2
