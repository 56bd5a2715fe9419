"""Task coverage: every task occurrence gets `count` people (2 for dobbeltkontroll). A missing person is never
dropped silently: it costs `weight` × the task's priority and is listed in `unassigned_tasks` with the reason."""

from __future__ import annotations

from models import Violation
from models.common import fmt_hhmm

from .base import TaskRule, task_roster
from .model import task_vars


class TaskCoverage(TaskRule):
    id = "task_coverage"
    title = "Every task occurrence gets its people"
    source = "TSB steg 3 aktivitets- og oppgaveplan (unit input)"

    def add_to_model(self, ctx) -> None:
        st = self.st(ctx.inst)
        if not ctx.inst.tasks or not st.active:
            return
        tv = task_vars(ctx)
        for occ, row in zip(tv.ti.occs, tv.by_occ):
            w = st.weight * occ.task.priority
            if row:
                ctx.penalize(self.id, w, occ.need - ctx.weighted([v for _, v in row], [1] * len(row)))
            elif occ.need:
                ctx.penalize(self.id, w * occ.need, None)

    def audit(self, view) -> list[Violation]:
        st = self.st(view.idx.inst)
        if not view.idx.inst.tasks or not st.active:
            return []
        tr = task_roster(view)
        out = []
        for occ in tr.ti.occs:
            missing = max(0, occ.task.count - len(tr.staff_of.get(occ.o, ())))
            if missing:
                out.append(view.violation(self.id, st, None, [occ.d], amount=missing,
                                          penalty=st.weight * occ.task.priority * missing,
                                          detail=f"{occ.task.id} {fmt_hhmm(occ.start)}: {missing} missing"))
        return out
