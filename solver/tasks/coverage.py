"""Task coverage: every task occurrence gets `count` people (2 for dobbeltkontroll). A missing person is never
dropped silently: it costs `weight` × the task's priority and is listed in `unassigned_tasks` with the reason."""

from __future__ import annotations

import numpy as np

from models import Violation

from ..view import Priced
from .base import TaskRule, priced, task_roster, task_spans
from .model import task_vars


class TaskCoverage(TaskRule):
    id = "task_coverage"
    title = "Every task occurrence gets its people"
    source = "TSB steg 3 aktivitets- og oppgaveplan (unit input)"

    def add_to_model(self, ctx, st) -> None:
        if not ctx.inst.tasks:
            return
        tv = task_vars(ctx)
        for occ, row in zip(tv.ti.occs, tv.by_occ, strict=True):
            w = st.weight * occ.task.priority
            if row:
                ctx.penalize(self.id, w, occ.need - ctx.weighted([v for _, v in row], [1] * len(row)))
            elif occ.need:
                ctx.penalize(self.id, w * occ.need, None)

    def audit(self, view, st) -> list[Violation] | list[Priced]:
        if not view.idx.inst.tasks:
            return []
        tr = task_roster(view)
        sp = task_spans(view)
        oa = sp.oa
        have = np.zeros(len(oa.count), dtype=np.int64)
        have[sp.keys] = np.diff(sp.offsets)
        missing = np.maximum(0, oa.count - have)
        pen = st.weight * oa.priority * missing
        if view.score_only:
            return priced(view, self.id, st, int(np.count_nonzero(missing)), int(pen.sum()))
        out = []
        for o in np.nonzero(missing)[0].tolist():
            occ, m = tr.ti.occs[o], int(missing[o])
            out.append(
                view.violation(
                    self.id,
                    st,
                    None,
                    [occ.d],
                    amount=m,
                    penalty=int(pen[o]),
                    detail=f"{occ.task.id} {view.idx.hhmm(occ.start)}: {m} missing",
                )
            )
        return out
