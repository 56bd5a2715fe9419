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
