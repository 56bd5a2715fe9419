"""A generated unit with tasks end to end: lawful, objective = checker score, tasks mostly allocated, the task
allocation on fixed shifts is deterministic and never worse than the greedy one."""

from __future__ import annotations

import numpy as np

from models import validate_instance
from models.generate import generate_dict
from models.tasks_generate import add_tasks
from solver import check
from solver.index import build_index
from solver.tasks.hint import greedy_tasks, polished_tasks, with_greedy_tasks
from solver.view import shift_array

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


def test_fixed_shift_allocation_deterministic_and_not_worse_than_greedy():
    inst = _small()
    r = solved(inst, 3.0)
    idx = build_index(inst)
    arr = shift_array(idx, r.assignments)
    a = polished_tasks(build_index(inst), arr)
    b = polished_tasks(build_index(inst), arr)
    assert a == b
    greedy = greedy_tasks(idx, arr)
    from models import Roster

    def score(pairs):
        idx2 = build_index(inst)
        idx2.cache[("polished_tasks", arr.tobytes())] = pairs
        return check(inst, with_greedy_tasks(idx2, arr, r.assignments)).score.total

    assert score(a) <= score(greedy)
    assert isinstance(arr, np.ndarray) and Roster
