"""fair_weekends: within each group of regular staff (position ≥ 50 %, not night-only) of the same position %,
every person pays `weight` per weekend or weekday-holiday window below floor(mean) or above ceil(mean) of the
group. A sub-problem prices the whole group through the fixed members' counts (`Frame.fair_groups`)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from ortools.sat.python import cp_model

from helpers import MONDAY, assert_lawful_solve, check, person, solve, tiny, tiny_dict, violations
from models import Assignment, validate_instance
from solver import check as run_check
from solver.build import build_model
from solver.index import build_index
from solver.search.subproblem import DomainState, sub_problem

RULE = "fair_weekends"


def inst(staff=None, rules=None, weeks=2, **kw):
    staff = staff or [person(f"p{i}") for i in (1, 2, 3)]
    return tiny(staff, shifts=("D", "A", "N"), weeks=weeks, active=[RULE], rules=rules, **kw)


def devs(unit, cells) -> dict[str, float]:
    return {v.staff: v.amount for v in violations(check(unit, cells), RULE)}


def test_checker_as_even_as_integers_allow_is_free():
    # 3 people, 2 weekends in all: shares 0-1, so 1, 1, 0 is even
    assert devs(inst(), [("p1", 5, "D"), ("p2", 12, "D")]) == {}


def test_checker_prices_distance_from_the_group_share():
    assert devs(inst(), [("p1", 5, "D"), ("p1", 12, "D")]) == {"p1": 1}  # share 0-1: p1 one above
    # 2, 2, 0 over 3 weeks: share 1-2, p3 one below
    r = check(inst(weeks=3), [("p1", 5, "D"), ("p1", 19, "D"), ("p2", 5, "D"), ("p2", 19, "D")])
    got = violations(r, RULE)
    assert [(v.staff, v.amount, v.penalty) for v in got] == [("p3", 1, 100)]


def test_checker_groups_by_position_pct_or_pool():
    staff = [person("p1"), person("p2"), person("p3", pct=60), person("p4", pct=60)]
    cells = [("p1", 5, "D"), ("p1", 12, "D"), ("p2", 5, "D"), ("p2", 12, "D")]
    assert devs(inst(staff), cells) == {}  # 100 %: 2 and 2; 60 %: 0 and 0
    # the whole pool: 4 units over 4 people, share 1: everyone one off
    assert devs(inst(staff, rules={RULE: {"by": "pool"}}), cells) == {"p1": 1, "p2": 1, "p3": 1, "p4": 1}
    # by personnel group: all helsefagarbeider here, as the pool
    assert devs(inst(staff, rules={RULE: {"by": "group"}}), cells) == {"p1": 1, "p2": 1, "p3": 1, "p4": 1}


def test_checker_the_pool_excludes_small_positions_and_night_only():
    staff = [person("p1"), person("p2"), person("p3", night_only=True), person("p4", pct=40)]
    r = check(inst(staff), [("p1", 5, "D"), ("p1", 12, "D")])
    assert devs(inst(staff), [("p1", 5, "D"), ("p1", 12, "D")]) == {"p1": 1, "p2": 1}  # only p1 and p2 compared
    assert r.score.total == 200


def test_checker_weekday_holidays_count():
    # Ascension Day (Kristi himmelfartsdag) 2027 is Thursday 6 May: a period of the two weeks around it
    data = tiny_dict([person("p1"), person("p2")], shifts=("D",), weeks=2, active=[RULE], lawful=False)
    data["period"]["start"] = "2027-05-03"
    unit = validate_instance(data, legal_floors=False)[0]
    cells = [Assignment(staff="p1", date=dt.date(2027, 5, 6), shift="D")]
    got = violations(run_check(unit, cells), RULE)
    assert [(v.staff, v.amount) for v in got] == []  # 1 unit over 2 people: share 0-1
    cells += [Assignment(staff="p1", date=dt.date(2027, 5, 8), shift="D")]
    # the holiday and a weekend: share 1, p1 one above and p2 one below
    assert [(v.staff, v.amount) for v in violations(run_check(unit, cells), RULE)] == [("p1", 1), ("p2", 1)]


def test_solver_spreads_weekends():
    demand = [{"shift": "D", "weekdays": ["sat"], "slots": [{"min": 1}]}]
    r = solve(inst(weeks=3, demand=demand, rules={"demand_coverage": {}}))
    assert_lawful_solve(r)
    assert r.score.total == 0
    weekends = {p: {a.date.isocalendar()[1] for a in r.assignments if a.staff == p and a.date.weekday() >= 5}
                for p in ("p1", "p2", "p3")}
    counts = [len(w) for w in weekends.values()]
    assert max(counts) - min(counts) <= 1 and min(counts) >= 1, weekends


def test_solver_prices_what_pins_force():
    away = {"absences": [{"start_date": MONDAY.isoformat(), "end_date": "2027-01-24"}]}
    staff = [person("p1"), person("p2", **away), person("p3", **away)]
    r = solve(inst(staff, weeks=3, pinned=[("p1", 5, "D"), ("p1", 12, "D"), ("p1", 19, "D")]))
    # share 1: p1 two above, p2 and p3 (who cannot work) one below each
    assert r.solve.objective == r.score.total == 400


def test_sub_problem_prices_the_whole_group():
    """Two rosters that differ only for the free people inside the window: the sub-model's objectives differ by
    what the checker's scores differ by (the fixed members' deviations move with the group's share)."""
    unit = inst([person(f"p{i}") for i in range(1, 6)], weeks=4)
    idx = build_index(unit)
    a = np.full((idx.S, idx.D), -1)
    a[[2, 3, 4], 5] = 0  # p3-p5 work the first Saturday: 3 over 5 people is even
    b = a.copy()
    b[[0, 1], 5::7] = 0  # p1 and p2 every Saturday: 11 over 5, share 2-3, the fixed p3-p5 fall below it
    people, window = [0, 1], (0, 28)
    scores, subs = [], []
    for shift in (a, b):
        cells = [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[int(shift[s, d])])
                 for s, d in zip(*np.nonzero(shift >= 0))]
        scores.append(run_check(unit, cells).score.total)
        sub = sub_problem(idx, DomainState(a), people, window)
        ctx = build_model(sub.inst, sub.idx)
        for (s, d, t), v in ctx.x.items():
            ctx.model.add(v == int(shift[people[s], d] == t))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(ctx.model) == cp_model.OPTIMAL
        subs.append(int(solver.objective_value))
    assert scores == [0, 500]
    assert scores[1] - scores[0] == subs[1] - subs[0]
