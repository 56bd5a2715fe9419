"""A greedy task and role allocation on the hinted shifts, given to CP-SAT as the hint of the task variables.

Without it the first solutions leave most tasks open and the search spends its time filling them; with it the
solve starts from a roster where every task that fits the hinted shifts has its people (respecting competence,
on-duty, overlap and workload), preferring contacts, earlier carers of the user, and staff for whom the task is
not below their competence (oppgavedeling).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from models import Assignment, Roster
from models.common import fmt_hhmm
from models.tasks import RoleAssignment, TaskAssignment

from .occurrences import task_index, workload_cap
from .oppgavedeling import minute_costs


def greedy_tasks(idx, hint: np.ndarray) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(chosen (occurrence, staff) pairs, chosen (role occurrence, staff) pairs) on shift array `hint` [S, D]."""
    ti, tr = task_index(idx), idx.inst.task_rules
    load: dict[tuple[int, int, int], int] = defaultdict(int)
    busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    carers: dict[int, set[int]] = defaultdict(set)
    roles_today: dict[tuple[int, int], int] = defaultdict(int)
    ys, rs = set(), set()
    for k, ro in enumerate(ti.roles):
        on = [s for s in ro.cands if hint[s, ro.d] == ro.t]
        if not on:
            continue
        s = min(on, key=lambda s: (roles_today[s, ro.d], load[s, ro.d, ro.t], s))
        rs.add((k, s))
        roles_today[s, ro.d] += 1
        load[s, ro.d, ro.t] += ro.reserve
    cont, opp = tr.continuity, tr.oppgavedeling
    # care teams for the first carer of each user: staff s and user u meet first when s % teams == u % teams,
    # so the "earlier carer" preference then keeps each user with a small group (continuity)
    teams = max(1, sum(1 for p in idx.inst.staff if not p.night_only) // 6)
    order = sorted(range(len(ti.occs)), key=lambda o: (-ti.occs[o].task.priority, -ti.occs[o].task.count,
                                                       ti.occs[o].start, o))
    for o in order:
        occ = ti.occs[o]
        prim, sec = ti.contacts.get(occ.user, (None, None)) if occ.user is not None else (None, None)
        options = []
        for s in occ.cands:
            worked = [(d, t) for d, t in occ.cover if hint[s, d] == t]
            if not worked:
                continue
            if any(a < occ.end and occ.start < b for a, b in busy[s]):
                continue
            if tr.task_workload.active and any(load[s, d, t] + occ.dur > workload_cap(idx, t) for d, t in worked):
                continue
            cost = minute_costs(idx, opp, occ, s) * occ.dur if opp.active else 0
            if occ.user is not None and cont.active and s != prim:
                cost += cont.secondary_cost if s == sec else cont.other_cost + (
                    0 if s in carers[occ.user] else cont.weight)
            team = 0 if occ.user is None or not cont.active else int(s % teams != occ.user % teams)
            options.append((cost, team, sum(load[s, d, t] for d, t in worked), s, worked))
        options.sort()
        for cost, _, _, s, worked in options[: occ.task.count]:
            ys.add((o, s))
            busy[s].append((occ.start, occ.end))
            for d, t in worked:
                load[s, d, t] += occ.dur
            if occ.user is not None:
                carers[occ.user].add(s)
    return ys, rs


def hint_tasks(ctx, hint: np.ndarray | None) -> None:
    """Add the greedy allocation as CP-SAT hints of the task and role variables."""
    if hint is None:
        return
    tv = ctx.__dict__.get("_task_vars")
    if tv is None:
        return
    ys, rs = polished_tasks(ctx.idx, hint)
    for key, v in tv.y.items():
        ctx.model.add_hint(v, int(key in ys))
    for key, v in tv.r.items():
        ctx.model.add_hint(v, int(key in rs))


def with_greedy_tasks(idx, hint: np.ndarray, assignments: list[Assignment]) -> list[Assignment] | Roster:
    """The warm-start roster with the greedy task and role allocation (unchanged when the unit has no tasks)."""
    inst = idx.inst
    if not (inst.tasks or inst.roles):
        return assignments
    ti = task_index(idx)
    ys, rs = polished_tasks(idx, hint)
    staff: dict[int, list[str]] = defaultdict(list)
    for o, s in sorted(ys):
        staff[o].append(idx.staff_ids[s])
    tas = [TaskAssignment(task=ti.occs[o].task.id, date=idx.dates[ti.occs[o].d], start=fmt_hhmm(ti.occs[o].start),
                          staff=names) for o, names in sorted(staff.items())]
    ras = [RoleAssignment(role=ti.roles[k].code, date=idx.dates[ti.roles[k].d],
                          shift=idx.shift_codes[ti.roles[k].t], staff=idx.staff_ids[s]) for k, s in sorted(rs)]
    return Roster(instance_id=inst.id, assignments=assignments, task_assignments=tas, role_assignments=ras)


POLISH_DTIME = 4.0  # CP-SAT deterministic seconds for the task model on fixed shifts
POLISH_MAX_S = 10.0


def polished_tasks(idx, hint: np.ndarray) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Task and role allocation optimised on the fixed shifts `hint`: the same model (every rule module) built on
    an index where each person may only work the hinted shift, so only on-duty staff get task variables, solved
    from the greedy allocation. Falls back to the greedy allocation. Cached per hint."""
    import dataclasses

    from ortools.sat.python import cp_model

    from ..build import build_model

    key = ("polished_tasks", hint.tobytes())
    if key in idx.cache:
        return idx.cache[key]
    ys, rs = greedy_tasks(idx, hint)
    inst = idx.inst
    if not inst.tasks and not inst.roles:
        return ys, rs
    S, D, T = idx.allowed.shape
    fixed = np.zeros_like(idx.allowed)
    s_, d_ = np.nonzero(hint >= 0)
    fixed[s_, d_, hint[s_, d_]] = True
    sub = dataclasses.replace(idx, allowed=fixed & idx.allowed, cache={})
    if not (fixed == sub.allowed).all():
        idx.cache[key] = (ys, rs)
        return ys, rs
    ctx = build_model(inst, sub)
    for v in ctx.x.values():
        ctx.model.add(v == 1)
    tv = ctx.__dict__.get("_task_vars")
    if tv is None:
        idx.cache[key] = (ys, rs)
        return ys, rs
    for k, v in tv.y.items():
        ctx.model.add_hint(v, int(k in ys))
    for k, v in tv.r.items():
        ctx.model.add_hint(v, int(k in rs))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = POLISH_DTIME
    solver.parameters.max_time_in_seconds = POLISH_MAX_S
    status = solver.solve(ctx.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        ys = {k for k, v in tv.y.items() if solver.boolean_value(v)}
        rs = {k for k, v in tv.r.items() if solver.boolean_value(v)}
    idx.cache[key] = (ys, rs)
    return ys, rs
