"""Task on duty: a person does a task only inside a shift they work that contains the whole task span, and the
task starts inside its window (earliest .. latest − duration)."""

from __future__ import annotations

from models import Violation
from models.common import fmt_hhmm

from ..index import DAY
from .base import TaskRule, task_roster, works_covering
from .model import task_vars


class TaskOnDuty(TaskRule):
    id = "task_on_duty"
    title = "Tasks inside a worked shift and inside their window"
    source = "Arbeidsplan (AML §10-3); task time window (unit input)"

    def add_to_model(self, ctx) -> None:
        st = self.st(ctx.inst)
        if not ctx.inst.tasks or not st.active:
            return
        tv = task_vars(ctx)
        model = ctx.model
        for occ, row in zip(tv.ti.occs, tv.by_occ):
            cover = occ.cover
            for s, y in row:
                xs = [x for d, t in cover if (x := ctx.var(s, d, t)) is not None]
                if len(xs) == 1:
                    model.add_implication(y, xs[0])
                elif xs:
                    model.add_bool_or(xs).only_enforce_if(y)
                else:
                    model.add(y == 0)

    def audit(self, view) -> list[Violation]:
        st = self.st(view.idx.inst)
        if not view.idx.inst.tasks or not st.active:
            return []
        tr = task_roster(view)
        out = []
        for o, staff in tr.staff_of.items():
            occ = tr.ti.occs[o]
            a = tr.start_of[o]
            b = a + occ.dur
            lo = occ.d * DAY + occ.task.earliest
            if not lo <= a <= lo + occ.task.window_min - occ.dur:
                out.append(view.violation(self.id, st, None, [occ.d],
                                          detail=f"{occ.task.id} starts {fmt_hhmm(a)} outside its window"))
            for s in staff:
                if not works_covering(view, s, a, b):
                    out.append(view.violation(self.id, st, s, [occ.d],
                                              detail=f"{occ.task.id} {fmt_hhmm(a)}-{fmt_hhmm(b)}: not on a shift "
                                                     f"covering it"))
        for what, detail in tr.unknown:
            out.append(view.violation(self.id, st, None, [], detail=detail))
        return out
