"""Roster fields the checker fills for tasks: unassigned tasks with reasons, continuity and oppgavedeling KPIs,
and the solver-side extraction of task and role assignments."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from models import Assignment, Roster
from models.common import fmt_hhmm
from models.tasks import RoleAssignment, TaskAssignment, UnassignedTask

from ..index import DAY
from .base import task_roster, works_covering
from .occurrences import task_index
from .roles import ShiftRoles


def with_tasks(ctx, value, assignments: list[Assignment]) -> list[Assignment] | Roster:
    """The solver's task and role values as a Roster (the assignments list unchanged when there are none)."""
    inst = ctx.inst
    tv = ctx.task_vars
    if not (inst.tasks or inst.roles) or tv is None:
        return assignments
    idx = ctx.idx
    tas = []
    for occ, row in zip(tv.ti.occs, tv.by_occ, strict=True):
        staff = [idx.staff_ids[s] for s, y in row if value(y)]
        if staff:
            tas.append(TaskAssignment(task=occ.task.id, date=idx.dates[occ.d], start=idx.hhmm(occ.start), staff=staff))
    ras = []
    for ro, row in zip(tv.ti.roles, tv.by_role, strict=True):
        for s, r in row:
            if value(r):
                ras.append(
                    RoleAssignment(
                        role=ro.code, date=idx.dates[ro.d], shift=idx.shift_codes[ro.t], staff=idx.staff_ids[s]
                    )
                )
    return Roster(instance_id=inst.id, assignments=assignments, task_assignments=tas, role_assignments=ras)


def unassigned(view) -> list[UnassignedTask]:
    """Every occurrence short of people, and every role without a holder, with the reason."""
    idx, tr = view.idx, task_roster(view)
    out = []
    for occ in tr.ti.occs:
        have = tr.staff_of.get(occ.o, [])
        missing = occ.task.count - len(have)
        if missing <= 0:
            continue
        q = np.nonzero(occ.qualified)[0].tolist()
        if not q:
            code, why = "no_qualified_staff", "nobody in the unit qualifies on this date"
        elif not occ.cands:
            code, why = (
                "no_shift_covers",
                (f"no shift a qualified person may work covers {view.idx.hhmm(occ.start)}-{view.idx.hhmm(occ.end)}"),
            )
        else:
            on = [s for s in occ.cands if s not in have and works_covering(view, s, occ.start, occ.end)]
            if not on:
                code, why = (
                    "no_qualified_on_duty",
                    (
                        f"none of the {len(q)} qualified staff is rostered on a shift "
                        f"covering {view.idx.hhmm(occ.start)}-{view.idx.hhmm(occ.end)}"
                    ),
                )
            else:
                code, why = (
                    "qualified_staff_busy",
                    (f"{len(on)} qualified on duty, all busy with other tasks or at capacity"),
                )
        out.append(
            UnassignedTask(
                task=occ.task.id,
                date=idx.dates[occ.d],
                start=view.idx.hhmm(occ.start),
                missing=missing,
                code=code,
                reason=why,
            )
        )
    holders = ShiftRoles().holders(view)
    for k, ro in enumerate(tr.ti.roles):
        if holders.get(k):
            continue
        on = [s for s in np.nonzero(ro.qualified)[0].tolist() if view.shift[s, ro.d] == ro.t]
        if on:
            code, why = "role_not_named", f"{len(on)} qualified on the shift but no holder named"
        else:
            code, why = "no_qualified_on_shift", f"no qualified person works {idx.shift_codes[ro.t]}"
        out.append(
            UnassignedTask(
                task=f"role:{ro.code}",
                date=idx.dates[ro.d],
                start=fmt_hhmm(int(idx.start[ro.t])),
                missing=1,
                code=code,
                reason=why,
            )
        )
    return out


def task_kpis(view) -> dict[str, float]:
    """Continuity (distinct carers per user per 14 days, contact share) and oppgavedeling KPIs."""
    idx, tr = view.idx, task_roster(view)
    ti = tr.ti
    out: dict[str, float] = {}
    need = sum(o.task.count for o in ti.occs)
    done = sum(min(o.task.count, len(tr.staff_of.get(o.o, ()))) for o in ti.occs)
    out["task_slots"] = float(need)
    out["task_slots_assigned_share"] = round(done / need, 4) if need else 1.0
    if ti.roles:
        holders = ShiftRoles().holders(view)
        out["roles_filled_share"] = round(sum(1 for k in range(len(ti.roles)) if holders.get(k)) / len(ti.roles), 4)
    carers: dict[tuple[int, int], set[int]] = defaultdict(set)
    carers_all: dict[int, set[int]] = defaultdict(set)
    user_slots = contact_slots = primary_slots = 0
    nurse_need = nurse_other = 0
    for o, s, a, b in tr.spans():
        occ = ti.occs[o]
        if occ.user is not None:
            carers[occ.user, occ.d // 14].add(s)
            carers_all[occ.user].add(s)
            user_slots += 1
            prim, sec = ti.contacts.get(occ.user, (None, None))
            contact_slots += s in (prim, sec)
            primary_slots += s == prim
        if idx.nurse[s]:
            if occ.needs_nurse:
                nurse_need += b - a
            else:
                nurse_other += b - a
    if carers:
        n14 = [len(v) for v in carers.values()]
        out["carers_per_user_14d_mean"] = round(float(np.mean(n14)), 3)
        out["carers_per_user_14d_max"] = float(max(n14))
        out["carers_per_user_period_mean"] = round(float(np.mean([len(v) for v in carers_all.values()])), 3)
    if user_slots:
        out["contact_share"] = round(contact_slots / user_slots, 4)
        out["primary_contact_share"] = round(primary_slots / user_slots, 4)
    nurse_work = float(view.work[idx.nurse].sum()) if idx.S else 0.0
    out["nurse_task_hours"] = round((nurse_need + nurse_other) / 60, 2)
    out["nurse_hours_on_non_nurse_tasks"] = round(nurse_other / 60, 2)
    out["nurse_task_hours_needing_nurse_share"] = (
        round(nurse_need / (nurse_need + nurse_other), 4) if nurse_need + nurse_other else 1.0
    )
    out["nurse_hours_on_nurse_tasks_share"] = round(nurse_need / nurse_work, 4) if nurse_work else 0.0
    return out


def roster_fields(view, kpis: dict[str, float]) -> dict:
    """Update for the checked roster: unassigned tasks and task KPIs (nothing for units without tasks)."""
    inst = view.idx.inst
    if not (inst.tasks or inst.roles):
        return {}
    task_index(view.idx)
    return {"unassigned_tasks": unassigned(view), "kpis": {**kpis, **task_kpis(view)}}


__all__ = ["DAY", "roster_fields", "task_kpis", "unassigned", "with_tasks"]
