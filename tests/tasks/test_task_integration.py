"""A generated unit with tasks end to end: lawful, objective = checker score, tasks mostly allocated; the
constructed start (shifts, then the greedy task allocation) is deterministic and scored like the checker."""

from __future__ import annotations

import time

from models import validate_instance
from models.generate import generate_dict
from models.tasks_generate import add_tasks
from solver import check
from solver.index import build_index
from solver.search.construct import construct
from solver.search.domain import DomainProblem
from solver.search.subproblem import state_roster
from solver.tasks.hint import greedy_tasks

from .task_helpers import solved


def _small():
    return validate_instance(add_tasks(generate_dict("small", 1, 2), 2))[0]


def test_generated_small_unit_with_tasks():
    inst = _small()
    r = solved(inst, 6.0)
    k = r.kpis
    assert k["task_slots_assigned_share"] > 0.6
    assert "carers_per_user_14d_mean" in k and "nurse_hours_on_non_nurse_tasks" in k
    assert not [v for v in r.violations if v.rule.startswith("task_") and v.level == "REQUIRED"]
    missing = sum(u.missing for u in r.unassigned_tasks if not u.task.startswith("role:"))
    assert round(k["task_slots"] * (1 - k["task_slots_assigned_share"])) == missing


def test_construction_with_tasks_is_deterministic_lawful_and_scored_like_the_checker():
    inst = _small()
    idx = build_index(inst)
    problem = DomainProblem(inst, idx)
    a, failed = construct(problem, time.perf_counter() + 30, seed=0, workers=1)
    b, _ = construct(DomainProblem(inst, build_index(inst)), time.perf_counter() + 30, seed=0, workers=1)
    assert not failed
    assert (a.shift == b.shift).all() and a.tasks == b.tasks and a.roles == b.roles
    ev = problem.evaluate(a)
    roster = check(inst, state_roster(idx, a), idx)
    assert ev.lawful and roster.lawful and ev.objective == roster.score.total
    greedy = greedy_tasks(idx, a.shift)
    assert set(greedy[0]) == {(o, s) for o, staff in a.tasks.items() for s in staff}
