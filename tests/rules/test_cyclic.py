"""Cyclic grunnturnus (Period.cyclic, issue 14): every rule that looks across a day or over a window wraps around the
period's end, in the checker and in the model alike.

Each case is a roster whose violation exists only across the end (the last days followed by the first): the audit
flags it on the cyclic period and not on the same period read as a plan that does not repeat; the model prices it
the same (pins force it, objective == checker score); and the solver, free to choose, never produces it (the
demanded cell that would complete it is left unfilled on the cyclic period and filled on the other).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import numpy as np
import pytest

from helpers import (MONDAY, assert_consistent, asg, cells_of, check, day, hard, person, shift, solve, tiny,
                     violations)
from models import InstanceError, validate_instance
from ortools.sat.python import cp_model
from solver import check as check_roster
from solver.build import build_model
from solver.index import build_index

SHIFTS = ("D", "A", "N", "L", "LD")
WEIGHT = 50_000  # above a missing person (10 000): the solver leaves demand open rather than break the rule


@dataclass
class Case:
    rule: str
    weeks: int
    cells: list[tuple[str, int, str]]
    settings: dict = field(default_factory=dict)
    strict: bool = True  # the last cell is the only way to complete the violation (the solver must leave it open)
    start: int = 0  # period start as an offset from MONDAY (-1: a Sunday, with week_start sunday)


def nights_and_days():
    """night_average: a night in the first and the last week, day shifts in between that bring every window not
    holding both nights down to 8 h a shift."""
    return [("p1", 0, "N")] + [("p1", d, "D") for d in range(14, 18)] + [("p1", 28, "N")]


CASES = [
    Case("daily_rest", 2, [("p1", 13, "A"), ("p1", 0, "D")]),
    Case("quick_return", 2, [("p1", 13, "A"), ("p1", 0, "D")]),
    Case("max_daily_hours", 2, [("p1", 13, "A"), ("p1", 0, "D")]),
    Case("forbidden_successions", 2, [("p1", 13, "A"), ("p1", 0, "D")],
         {"level": "REQUIRED", "pairs": [{"first": "A", "then": ["D"]}]}),
    Case("forward_rotation", 2, [("p1", 13, "A"), ("p1", 0, "D")]),
    Case("max_consecutive_days", 2, [("p1", d % 14, "D") for d in range(10, 17)]),
    Case("max_consecutive_nights", 2, [("p1", d % 14, "N") for d in range(12, 17)]),
    Case("work_runs", 2, [("p1", 0, "D")], strict=False),  # a lone day 0: day 13 before it is off
    Case("work_runs", 2, [("p1", d % 14, "D") for d in range(12, 16)], {"max_days": 3}),
    Case("off_runs", 2, [("p1", d, "D") for d in range(1, 14)], strict=False),  # a lone day off on day 0
    Case("shift_runs", 2, [("p1", d % 14, "A") for d in range(11, 16)]),  # 5 evenings in a row > 4
    # a night on the last Sunday takes the Monday morning of week 0: its only 35 h rest is gone
    Case("weekly_rest", 2, [("p1", d, "L") for d in range(1, 7)] + [("p1", 13, "N")]),
    # a rest on days 7-8, then 11 days of work over the end: the next rest is more than 7 x 24 h later
    Case("weekly_rest_rolling", 2, [("p1", d, "D") for d in [*range(0, 6), *range(9, 13)]] + [("p1", 13, "D")]),
    Case("max_weekly_hours", 2, [("p1", d % 14, "LD") for d in range(12, 17)]),  # 62.5 h in 5 days over the end
    Case("sunday_rule", 5, [("p1", d, "D") for d in (27, 34, 6, 13)]),  # Sundays of weeks 3, 4, 0, 1
    Case("weekend_frequency", 4, [("p1", 26, "D"), ("p1", 5, "D")]),  # weekends 3 and 0: two in three
    Case("night_average", 5, nights_and_days(), strict=False),  # more day shifts could bring the average down
    # a period from Sunday to Saturday: its last Saturday and first Sunday are one weekend
    Case("complete_weekends", 2, [("p1", 12, "D")], strict=False, start=-1),
]
IDS = [f"{c.rule}-{i}" for i, c in enumerate(CASES)]


def unit(case: Case, cyclic: bool, level: str | None = None, **kw):
    start = MONDAY + dt.timedelta(days=case.start)
    period = {"start": start.isoformat(), "weeks": case.weeks, "cyclic": cyclic}
    if case.start:
        period["week_start"] = "sunday"
    settings = dict(case.settings)
    if level is not None:
        settings.update(level=level, weight=WEIGHT)
    rules = {case.rule: settings}
    staff = [person("p1", accepts_long_shifts=True)]
    return tiny(staff, shifts=SHIFTS, weeks=case.weeks, active=[case.rule], rules=rules, period=period, **kw)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_audit_flags_only_across_the_end(case):
    assert violations(check(unit(case, True), case.cells), case.rule)
    assert not violations(check(unit(case, False), case.cells), case.rule)


def model_price(inst, cells) -> int:
    """The model's objective with every variable fixed to the roster `cells` ((staff, day offset, shift))."""
    idx = build_index(inst)
    ctx = build_model(inst, idx)
    on = {(idx.staff_pos[s], idx.date_pos[day(d)], idx.shift_pos[t]) for s, d, t in cells}
    for key, v in ctx.x.items():
        ctx.model.add(v == int(key in on))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.solve(ctx.model)
    assert status == cp_model.OPTIMAL, solver.status_name(status)
    return round(solver.objective_value)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_model_prices_it_like_the_checker(case):
    """The roster fixed in the model: its objective is the checker's score, the wrapped violation included."""
    for cyclic in (True, False):
        inst = unit(case, cyclic, "PREFERRED")
        r = check(inst, case.cells)
        assert bool(violations(r, case.rule)) is cyclic
        assert model_price(inst, case.cells) == r.score.total


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_solver_never_produces_it(case):
    """All but the last cell pinned, the last one demanded: the solver completes the roster only where the rule
    allows (left open on the cyclic period, filled on the other)."""
    *pins, (s, d, code) = case.cells
    demand = [{"shift": code, "dates": [day(d).isoformat()], "slots": [{"min": 1}]}]
    got = {}
    for cyclic in (True, False):
        inst = unit(case, cyclic, "PREFERRED", pinned=pins, demand=demand)
        inst.rules.demand_coverage.level = "PREFERRED"  # type: ignore[assignment]
        r = solve(inst)
        assert_consistent(r)
        assert not violations(r, case.rule), (cyclic, violations(r, case.rule))
        got[cyclic] = (s, d, code) in cells_of(r)
    assert got[False]
    if case.strict:
        assert not got[True]


def test_wrapped_violation_names_both_ends():
    case = CASES[0]
    (v,) = violations(check(unit(case, True), case.cells), "daily_rest")
    assert v.dates == [day(0), day(13)]


def demo_unit(cyclic: bool, weeks: int = 2) -> dict:
    """Four people, the statutory rules and the pattern rules at their defaults, demand every day."""
    from helpers import tiny_dict

    demand = [
        {"shift": "D", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "slots": [{"min": 1}]},
        {"shift": "A", "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "slots": [{"min": 1}]},
    ]
    data = tiny_dict(
        [person(f"p{i}", pct=80) for i in range(1, 5)],
        shifts=("D", "A"),
        weeks=weeks,
        active=["daily_rest", "weekly_rest", "weekly_rest_rolling", "demand_coverage", "quick_return",
                "work_runs", "off_runs", "complete_weekends", "weekend_frequency", "forward_rotation"],
        demand=demand,
    )
    data["period"]["cyclic"] = cyclic
    return data


def test_solve_cyclic_lawful_and_objective_is_the_checkers_score():
    inst = validate_instance(demo_unit(True, weeks=2))[0]
    r = solve(inst, time_limit_s=10)
    assert_consistent(r)
    assert not hard(r)
    again = check_roster(inst, r.assignments)  # the checker alone, from the roster
    assert again.score.total == r.solve.objective
    # the roster read as a repeating plan: every rule holds across the end too (the same score on the plan
    # rolled by a week, whose end falls elsewhere)
    rolled = [a.model_copy(update={"date": a.date + dt.timedelta(days=7 if a.date < day(7) else -7)})
              for a in r.assignments]
    assert check_roster(inst, rolled).score.total == again.score.total


# ---- validation, clock and holidays --------------------------------------------------------------------------


def test_cyclic_must_start_on_week_start_and_has_no_history():
    data = demo_unit(True)
    data["period"]["start"] = day(2).isoformat()
    data["history"] = [{"staff": "p1", "date": day(-1).isoformat(), "shift": "D"}]
    data["staff"][0]["limits"] = {"weekends_before": 2}
    with pytest.raises(InstanceError) as err:
        validate_instance(data)
    codes = {(p.code, p.loc) for p in err.value.problems}
    assert ("cyclic_not_week_start", "period.start") in codes
    assert ("cyclic_history", "history") in codes
    assert ("cyclic_history", "staff[0].limits.weekends_before") in codes


def test_cyclic_plan_has_a_fixed_clock_and_no_holidays():
    """A grunnturnus over Easter and the October clock change: no holiday but Sundays, every night 10 h."""
    data = demo_unit(True, weeks=6)
    data["shift_types"].append(shift("N"))
    for start, weeks in ((dt.date(2027, 3, 22), 6), (dt.date(2027, 10, 18), 2)):
        data["period"] = {"start": start.isoformat(), "weeks": weeks, "cyclic": True}
        idx = build_index(validate_instance(data)[0])
        assert (idx.holiday == (idx.weekday == 6)).all()
        assert idx.regular_time and len({int(w) for w in idx.work_at[:, idx.shift_pos["N"]]}) == 1
        assert len(idx.sunday_windows) == weeks
    data["period"]["cyclic"] = False
    assert not build_index(validate_instance(data)[0]).regular_time


def test_cyclic_sunday_window_opens_on_the_last_saturday():
    """A Sunday-start cyclic plan: the last Saturday's evening is Sunday work in day 0's window."""
    case = Case("sunday_rule", 2, [], start=-1)
    idx = build_index(unit(case, True))
    last, a = idx.D - 1, idx.shift_pos["A"]
    assert idx.sunday_min[last, a] == 4 * 60  # 18:00-22:00
    flat = build_index(unit(case, False))
    assert flat.sunday_min[last, a] == 4 * 60  # the next Sunday's window, outside the period
    assert np.array_equal(np.sort([w[1] for w in idx.sunday_windows]), [w[1] for w in idx.sunday_windows])


def test_non_cyclic_unchanged_for_the_same_roster():
    """The same rosters checked on a plan that does not repeat score as before (no wrap pairs)."""
    inst = validate_instance(demo_unit(False))[0]
    cells = [("p1", d, "D") for d in range(14)]
    r = check_roster(inst, asg(cells))
    assert not [v for v in r.violations if set(v.dates) >= {day(0), day(13)} and len(v.dates) == 2]


def test_generate_cyclic_writes_a_valid_grunnturnus(tmp_path):
    from typer.testing import CliRunner

    from api.cli import app

    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["generate", "--size", "small", "--weeks", "6", "--cyclic", "-o", str(out)])
    assert r.exit_code == 0, r.output
    inst = validate_instance(json.loads(out.read_text()))[0]
    assert inst.period.cyclic and inst.period.weeks == 6
    assert not any(p.absences or any(w.date for w in p.wishes) for p in inst.staff)
