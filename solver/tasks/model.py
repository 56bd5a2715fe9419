"""Task and role variables, built once per model and shared by the task rule modules.

y[o, s]: person s does occurrence o (only for qualified staff with an allowed covering shift);
r[k, s]: person s holds role occurrence k (only for qualified staff allowed on that shift).
Both only make sense while the person works: the on-duty rule links them to the shift variables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the checker imports the rule modules and must not need CP-SAT
    from ortools.sat.python import cp_model

from ..rules.base import setting_of
from .occurrences import TaskIndex, task_index


@dataclass
class TaskVars:
    ti: TaskIndex
    y: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    by_occ: list[list[tuple[int, cp_model.IntVar]]] = field(default_factory=list)
    by_staff: dict[int, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)  # s -> [(o, y)]
    r: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    by_role: list[list[tuple[int, cp_model.IntVar]]] = field(default_factory=list)


def task_vars(ctx) -> TaskVars:
    if ctx.task_vars is not None:
        return ctx.task_vars
    ti = task_index(ctx.idx)
    tv = TaskVars(ti)
    model = ctx.model
    competence_on = setting_of(ctx.inst, "task_rules", "task_competence").active
    for occ in ti.occs:
        cands = occ.cands
        if not competence_on:  # anyone with a covering shift
            from .occurrences import covering

            can = set()
            for dd, tt in covering(ctx.idx, occ.start, occ.end):
                can |= set(ctx.idx.allowed[:, dd, tt].nonzero()[0].tolist())
            cands = sorted(can)
        row = []
        for s in cands:
            v = model.new_bool_var(f"y_{occ.o}_{s}")
            tv.y[occ.o, s] = v
            row.append((s, v))
            tv.by_staff.setdefault(s, []).append((occ.o, v))
        tv.by_occ.append(row)
        if len(row) > occ.need:  # no more people than the occurrence needs (a group of the occurrence, no person)
            ctx.require_at_most("task_coverage", -1, ctx.weighted([v for _, v in row], [1] * len(row)), occ.need)
    for k, ro in enumerate(ti.roles):
        row = []
        for s in ro.cands:
            x = ctx.var(s, ro.d, ro.t)
            if x is None:
                continue
            v = model.new_bool_var(f"r_{k}_{s}")
            ctx.require_clause("shift_roles", s, [x], when=[v])  # the holder works the shift
            tv.r[k, s] = v
            row.append((s, v))
        if len(row) > 1:  # one holder (a group of the role occurrence, no person)
            ctx.require_at_most_one("shift_roles", -1, [v for _, v in row])
        tv.by_role.append(row)
    ctx.task_vars = tv
    return tv
