"""A scenario result that says more about the solver's budget than about the scenario is flagged."""

from __future__ import annotations

from models import Instance, Roster, SolveInfo
from scenarios.runner import ScenarioResult
from solver import check

from scenario_fixtures import tiny_dict


def _result(**info) -> ScenarioResult:
    inst = Instance.model_validate(tiny_dict())
    roster = check(inst, [])
    roster = roster.model_copy(update={
        "assignments": [],
        "solve": SolveInfo(status="FEASIBLE", objective=100, engine="lns", **info)})
    return ScenarioResult("v", "variant", inst, roster, {}, [])


def _with_assignments(r: ScenarioResult) -> ScenarioResult:
    a = {"staff": r.instance.staff[0].id, "date": r.instance.period.start, "shift": r.instance.shift_types[0].code}
    r.roster = r.roster.model_copy(update={"assignments": [a]})
    return r


def test_a_variant_that_ended_at_its_start_is_flagged():
    r = _with_assignments(_result(start_objective=100, moves=12, late_gain=0.0))
    assert r.solver_limited and "start" in r.solver_limited


def test_a_variant_still_improving_at_its_end_is_flagged():
    r = _with_assignments(_result(start_objective=150, moves=12, late_gain=0.05))
    assert r.solver_limited and "still improving" in r.solver_limited


def test_a_settled_variant_is_not_flagged():
    assert _with_assignments(_result(start_objective=150, moves=12, late_gain=0.002)).solver_limited is None
    assert _result(start_objective=100, moves=12).solver_limited is None  # no roster: reported otherwise
