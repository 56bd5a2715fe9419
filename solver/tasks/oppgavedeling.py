"""Oppgavedeling (Tørn Veileder 1): nurse minutes on tasks that do not need a nurse cost `weight` each, and
minutes of formal-health staff on tasks that need no health competence cost `health_weight`, so meals, laundry
and activities flow to assistenter, aktivitører, matverter and service staff when that frees nurses.

"Needs a nurse" means every person of the unit who qualifies for the task is a nurse (so it depends on the
unit's competence grants, as oppgavedeling does in practice)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from models import Violation

from ..view import Priced
from .base import TaskRule, priced, task_spans
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

    def add_to_model(self, ctx, st) -> None:
        if not ctx.inst.tasks or not (st.weight or st.health_weight):
            return
        tv = task_vars(ctx)
        per: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
        for occ, row in zip(tv.ti.occs, tv.by_occ, strict=True):
            for s, y in row:
                c = minute_costs(ctx.idx, st, occ, s)
                if c:
                    per[s][0].append(y)
                    per[s][1].append(c * occ.dur)
        for _, (vs, cs) in sorted(per.items()):
            ctx.penalize(self.id, 1, ctx.weighted(vs, cs))

    def audit(self, view, st) -> list[Violation] | list[Priced]:
        inst = view.idx.inst
        if not inst.tasks or not (st.weight or st.health_weight):
            return []
        idx = view.idx
        sp = task_spans(view)
        oa = sp.oa
        s, o = sp.staff, sp.occ
        c = (
            st.weight * (idx.nurse[s] & ~oa.needs_nurse[o])
            + st.health_weight * (idx.formal_health[s] & ~oa.needs_health[o])
        ).astype(np.int64)
        has = c != 0
        dur = sp.end - sp.start
        pen = np.bincount(s[has], weights=(c * dur)[has], minlength=idx.S).astype(np.int64)
        people = np.zeros(idx.S, dtype=bool)
        people[s[has]] = True
        if view.score_only:
            return priced(view, self.id, st, int(people.sum()), int(pen[people].sum()))
        mins = np.bincount(s[has], weights=dur[has], minlength=idx.S).astype(np.int64)
        return [
            view.violation(
                self.id,
                st,
                p,
                [],
                amount=int(mins[p]),
                penalty=int(pen[p]),
                detail=f"{int(mins[p])} min on tasks below the person's competence",
            )
            for p in np.nonzero(people)[0].tolist()
        ]
