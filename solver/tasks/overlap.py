"""Task overlap: nobody is double-booked (at most one task at a time per person)."""

from __future__ import annotations

from collections import defaultdict

from models import Violation
from models.common import fmt_hhmm

from .base import TaskRule, task_roster
from .model import task_vars


class TaskOverlap(TaskRule):
    id = "task_overlap"
    title = "No person does two tasks at once"
    source = "Forsvarlighet (helsepersonelloven §4)"

    def add_to_model(self, ctx) -> None:
        st = self.st(ctx.inst)
        if not ctx.inst.tasks or not st.active:
            return
        tv = task_vars(ctx)
        occs = tv.ti.occs
        for s, items in tv.by_staff.items():
            items = sorted(items, key=lambda it: (occs[it[0]].start, occs[it[0]].end))
            active: list[tuple[int, object]] = []  # (end, var) of occurrences running at the sweep point
            last: set[int] = set()
            for i, (o, y) in enumerate(items):
                a = occs[o].start
                active = [(e, v) for e, v in active if e > a] + [(occs[o].end, y)]
                nxt = occs[items[i + 1][0]].start if i + 1 < len(items) else None
                if nxt == a:
                    continue  # more occurrences start at the same time: emit the full set once
                ids = {v.index for _, v in active}
                if len(active) > 1 and not ids <= last:
                    ctx.model.add_at_most_one([v for _, v in active])
                    last = ids

    def audit(self, view) -> list[Violation]:
        st = self.st(view.idx.inst)
        if not view.idx.inst.tasks or not st.active:
            return []
        tr = task_roster(view)
        per: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for o, s, a, b in tr.spans():
            per[s].append((a, b, o))
        out = []
        for s, spans in per.items():
            spans.sort()
            end, prev = -1, None
            for a, b, o in spans:
                if a < end:
                    occ = tr.ti.occs[o]
                    out.append(view.violation(self.id, st, s, [occ.d],
                                              detail=f"{occ.task.id} {fmt_hhmm(a)} overlaps {prev}"))
                if b > end:
                    end, prev = b, tr.ti.occs[o].task.id
        return out
