"""Oppgavedeling (Tørn Veileder 1): nurse minutes on tasks that do not need a nurse cost `weight` each, and
minutes of formal-health staff on tasks that need no health competence cost `health_weight`, so meals, laundry
and activities flow to assistenter, aktivitører, matverter and service staff when that frees nurses.

"Needs a nurse" means every person of the unit who qualifies for the task is a nurse (so it depends on the
unit's competence grants, as oppgavedeling does in practice)."""

from __future__ import annotations

from collections import defaultdict

from models import Violation

from .base import TaskRule, task_roster
from .model import task_vars


def minute_costs(idx, st, occ, s: int) -> int:
    """Cost per minute of person s on occurrence occ."""
    c = 0
    if idx.nurse[s] and not occ.needs_nurse:
        c += st.weight
    if idx.formal_health[s] and not occ.needs_health:
        c += st.health_weight
    return c


class Oppgavedeling(TaskRule):
    id = "oppgavedeling"
    title = "Nurse time on tasks that need a nurse (task sharing)"
    source = "KS Tørn Veileder 1 Ny oppgavedeling (domain.md §4.2)"

    def add_to_model(self, ctx) -> None:
        st = self.st(ctx.inst)
        if not ctx.inst.tasks or not st.active or not (st.weight or st.health_weight):
            return
        tv = task_vars(ctx)
        per: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
        for occ, row in zip(tv.ti.occs, tv.by_occ):
            for s, y in row:
                c = minute_costs(ctx.idx, st, occ, s)
                if c:
                    per[s][0].append(y)
                    per[s][1].append(c * occ.dur)
        for s, (vs, cs) in sorted(per.items()):
            ctx.penalize(self.id, 1, ctx.weighted(vs, cs))

    def audit(self, view) -> list[Violation]:
        inst = view.idx.inst
        st = self.st(inst)
        if not inst.tasks or not st.active or not (st.weight or st.health_weight):
            return []
        tr = task_roster(view)
        pen: dict[int, int] = defaultdict(int)
        mins: dict[int, int] = defaultdict(int)
        for o, s, a, b in tr.spans():
            c = minute_costs(view.idx, st, tr.ti.occs[o], s)
            if c:
                pen[s] += c * (b - a)
                mins[s] += b - a
        return [view.violation(self.id, st, s, [], amount=mins[s], penalty=p,
                               detail=f"{mins[s]} min on tasks below the person's competence")
                for s, p in sorted(pen.items())]
