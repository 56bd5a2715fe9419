"""Instance.history: assignments on the days before the period, validated with coded problems, numbered by the
index (Index.history) for everyone over the same depth, read by the run-length rules across the period start."""

from __future__ import annotations

import pytest

from helpers import check, day, tiny, tiny_dict, violations
from models import InstanceError, validate_instance
from solver.index import build_index
from solver.search.subproblem import DomainState, sub_problem

import numpy as np


def entries(cells):
    return [{"staff": s, "date": day(d).isoformat(), "shift": t} for s, d, t in cells]


def codes(data) -> set[str]:
    with pytest.raises(InstanceError) as err:
        validate_instance(data)
    return {p.code for p in err.value.problems}


def test_bad_history_entries_are_coded():
    data = tiny_dict(2, history=entries([("p1", -1, "D"), ("zz", -2, "D"), ("p2", -1, "Q"), ("p1", 0, "D"),
                                         ("p1", -1, "A")]))
    assert codes(data) == {"unknown_staff", "unknown_shift", "history_not_before_start", "history_twice"}


def test_history_start_must_come_first():
    data = tiny_dict(1, history=entries([("p1", -3, "D")]), history_start=day(-2).isoformat())
    assert codes(data) == {"history_start_invalid"}
    data = tiny_dict(1, history_start=day(0).isoformat())
    assert codes(data) == {"history_start_invalid"}
    validate_instance(tiny_dict(1, history=entries([("p1", -3, "D")]), history_start=day(-5).isoformat()))


def test_index_numbers_history_for_everyone_over_one_depth():
    inst = tiny(2, history=entries([("p1", -1, "N"), ("p2", -3, "D")]))
    idx = build_index(inst)
    assert idx.history.tolist() == [[-1, -1, 2], [0, -1, -1]]  # shifts D, A, N -> 0, 1, 2
    assert build_index(tiny(2)).history.shape == (2, 0)
    assert build_index(tiny(1, history_start=day(-4).isoformat())).history.tolist() == [[-1, -1, -1, -1]]


def test_sub_problem_numbers_its_own_people():
    inst = tiny(3, history=entries([("p3", -1, "N")]))
    full = build_index(inst)
    sub = sub_problem(full, DomainState(np.full((3, full.D), -1)), [2], (0, full.D), tasks=False)
    assert sub.idx.history.tolist() == [[2]]


def test_history_start_makes_a_counted_series_exact():
    # two worked days known to follow a day off (INRC-II counters): ending on day 0 they are one short of 3
    cells = entries([("p1", -2, "D"), ("p1", -1, "D")])
    rules = {"work_runs": {"min_days": 3}}
    unknown = tiny(1, active=["work_runs"], rules=rules, history=cells)
    assert violations(check(unknown, []), "work_runs") == []  # what came before -2 is unknown
    known = tiny(1, active=["work_runs"], rules=rules, history=cells, history_start=day(-3).isoformat())
    got = violations(check(known, []), "work_runs")
    assert [(v.amount, v.dates) for v in got] == [(1, [day(0)])]


def fixed_price(inst, cells) -> int:
    """The CP-SAT model's objective with every variable fixed to `cells` ((staff, day, shift) triples)."""
    from ortools.sat.python import cp_model

    from solver.build import build_model

    idx = build_index(inst)
    ctx = build_model(inst, idx, relax_all=True)
    on = {(idx.staff_pos[s], d, idx.shift_pos[t]) for s, d, t in cells}
    for key, v in ctx.x.items():
        ctx.model.add(v == int(key in on))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(ctx.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


def test_daily_rest_reads_the_history_night_into_day_0():
    inst = tiny(1, active=["daily_rest"], history=entries([("p1", -1, "N")]))  # N ends 07:45 on day 0
    for cells, n in (([("p1", 0, "D")], 1), ([("p1", 0, "A")], 1), ([("p1", 0, "N")], 0), ([("p1", 1, "D")], 0)):
        r = check(inst, cells)
        assert len(violations(r, "daily_rest")) == n, cells
        assert fixed_price(inst, cells) == r.score.total


def test_daily_rest_short_rest_from_the_history_under_a_local_agreement():
    rules = {"daily_rest": {"local_agreement": True}, "short_rest": {}}
    inst = tiny(1, shifts=("E", "L"), active=["daily_rest", "short_rest"], rules=rules,
                history=entries([("p1", -1, "L")]))  # L ends 23:00, E starts 07:00: 8 h
    r = check(inst, [("p1", 0, "E")])
    got = violations(r, "short_rest")
    assert [(v.amount, v.penalty) for v in got] == [(3, 60)] and not violations(r, "daily_rest")
    assert fixed_price(inst, [("p1", 0, "E")]) == r.score.total


def test_solver_leaves_the_morning_after_a_history_night_open():
    from helpers import assert_lawful_solve, solve

    demand = [{"shift": "D", "dates": [day(0).isoformat()], "slots": [{"min": 1}]}]
    inst = tiny(1, active=["daily_rest", "demand_coverage"], demand=demand, history=entries([("p1", -1, "N")]))
    r = solve(inst)
    assert_lawful_solve(r)
    assert sum(u.missing for u in r.unfilled) == 1


@pytest.mark.parametrize("seed", range(20))
def test_daily_rest_with_history_priced_like_the_checker(seed):
    rng = np.random.default_rng(seed)
    shifts = [str(rng.choice(["N", "LD", "L"]))] + list(rng.choice(["D", "A", "E", "M"], size=2, replace=False))
    rules = {"daily_rest": {"local_agreement": bool(rng.random() < 0.5)}, "short_rest": {}}
    hist = [(f"p{i}", -k, str(rng.choice(shifts))) for i in (1, 2) for k in (1, 2) if rng.random() < 0.8]
    hist = [("p1", -1, shifts[0])] + [h for h in hist if h[:2] != ("p1", -1)]  # a late shift or night last
    inst = tiny([{"id": "p1", "group": "helsefagarbeider", "position_pct": 100, "accepts_long_shifts": True},
                 {"id": "p2", "group": "helsefagarbeider", "position_pct": 100}], shifts=shifts,
                active=["daily_rest", "short_rest"], rules=rules, history=entries(hist))
    idx = build_index(inst)
    cells = []
    for s in range(idx.S):
        for d in range(3):
            ts = np.nonzero(idx.allowed[s, d])[0]
            if len(ts) and rng.random() < 0.9:
                cells.append((idx.staff_ids[s], d, idx.shift_codes[int(rng.choice(ts))]))
    assert fixed_price(inst, cells) == check(inst, cells).score.total
