"""Task on duty: a person does a task only inside a shift they work that contains the whole task span, and the
task starts inside its window (earliest .. latest − duration)."""

from __future__ import annotations

import numpy as np

from models import Violation

from ..view import Priced
from .base import TaskRule, extra_cover, main_cover, priced, task_roster, task_spans
from .model import task_vars


class TaskOnDuty(TaskRule):
    id = "task_on_duty"
    title = "Tasks inside a worked shift and inside their window"
    source = "Arbeidsplan (AML §10-3); task time window (unit input)"

    def add_to_model(self, ctx, st) -> None:
        if not ctx.inst.tasks:
            return
        tv = task_vars(ctx)
        for occ, row in zip(tv.ti.occs, tv.by_occ, strict=True):
            cover = occ.cover
            for s, y in row:
                xs = [x for d, t in cover if (x := ctx.var(s, d, t)) is not None]
                if xs:
                    ctx.require_clause(self.id, s, xs, when=[y])
                else:
                    ctx.fix(self.id, s, y, 0)

    def audit(self, view, st) -> list[Violation] | list[Priced]:
        if not view.idx.inst.tasks:
            return []
        tr = task_roster(view)
        sp = task_spans(view)
        oa = sp.oa
        # the start inside its window, per occurrence of staff_of
        bad_window = (sp.kstart < oa.lo[sp.keys]) | (sp.kstart > oa.hi[sp.keys])
        # each person on a shift of theirs containing the span
        covered = np.zeros(len(sp.staff), dtype=bool)
        for _, ok in main_cover(view, sp.staff, sp.start, sp.end):
            covered |= ok
        if view.extra:
            for _, ok in extra_cover(view, sp.staff, sp.start, sp.end, view.extra):
                covered |= ok
        bad_staff = ~covered
        if view.score_only:
            return priced(view, self.id, st, int(bad_window.sum()) + int(bad_staff.sum()) + len(tr.unknown))
        out = []
        bad_key = bad_window.copy()
        bad_key[sp.kidx[bad_staff]] = True
        for m in np.nonzero(bad_key)[0].tolist():
            o = int(sp.keys[m])
            occ = tr.ti.occs[o]
            a = int(sp.kstart[m])
            b = a + occ.dur
            if bad_window[m]:
                out.append(
                    view.violation(
                        self.id, st, None, [occ.d], detail=f"{occ.task.id} starts {view.idx.hhmm(a)} outside its window"
                    )
                )
            for j in range(sp.offsets[m], sp.offsets[m + 1]):
                if bad_staff[j]:
                    out.append(
                        view.violation(
                            self.id,
                            st,
                            int(sp.staff[j]),
                            [occ.d],
                            detail=f"{occ.task.id} {view.idx.hhmm(a)}-{view.idx.hhmm(b)}: not on a shift covering it",
                        )
                    )
        for _what, detail in tr.unknown:
            out.append(view.violation(self.id, st, None, [], detail=detail))
        return out
