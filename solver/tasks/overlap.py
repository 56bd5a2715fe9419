"""Task overlap: nobody is double-booked (at most one task at a time per person)."""

from __future__ import annotations

from typing import Any

import numpy as np

from models import Violation

from ..view import Priced
from .base import TaskRule, priced, task_roster, task_spans
from .model import task_vars


class TaskOverlap(TaskRule):
    id = "task_overlap"
    title = "No person does two tasks at once"
    source = "Forsvarlighet (helsepersonelloven §4)"

    def add_to_model(self, ctx, st) -> None:
        if not ctx.inst.tasks:
            return
        tv = task_vars(ctx)
        occs = tv.ti.occs
        for s, items in tv.by_staff.items():
            items = sorted(items, key=lambda it: (occs[it[0]].start, occs[it[0]].end))
            active: list[tuple[int, Any]] = []  # (end, var) of occurrences running at the sweep point
            last: set[int] = set()
            for i, (o, y) in enumerate(items):
                a = occs[o].start
                active = [(e, v) for e, v in active if e > a] + [(occs[o].end, y)]
                nxt = occs[items[i + 1][0]].start if i + 1 < len(items) else None
                if nxt == a:
                    continue  # more occurrences start at the same time: emit the full set once
                ids = {v.index for _, v in active}
                if len(active) > 1 and not ids <= last:
                    ctx.require_at_most_one(self.id, s, [v for _, v in active])
                    last = ids

    def audit(self, view, st) -> list[Violation] | list[Priced]:
        if not view.idx.inst.tasks:
            return []
        tr = task_roster(view)
        sp = task_spans(view)
        bad = overlapping(sp)
        if view.score_only:
            return priced(view, self.id, st, int(bad.sum()))
        out: list[Violation] = []
        if not bad.any():
            return out
        # the records: each flagged person's spans swept as before, people in order of their first span
        people, first = np.unique(sp.staff, return_index=True)
        flagged = np.isin(people, sp.staff[bad])
        for s in people[flagged][np.argsort(first[flagged], kind="stable")].tolist():
            js = np.nonzero(sp.staff == s)[0]
            spans = sorted(zip(sp.start[js].tolist(), sp.end[js].tolist(), sp.occ[js].tolist(), strict=True))
            end, prev = -1, None
            for a, b, o in spans:
                if a < end:
                    occ = tr.ti.occs[o]
                    out.append(
                        view.violation(
                            self.id, st, s, [occ.d], detail=f"{occ.task.id} {view.idx.hhmm(a)} overlaps {prev}"
                        )
                    )
                if b > end:
                    end, prev = b, tr.ti.occs[o].task.id
        return out


def overlapping(sp) -> np.ndarray:
    """[N] bool: the span starts before the latest end of the same person's spans sorted before it (by start, end,
    occurrence), the sweep that starts from end -1."""
    n = len(sp.staff)
    bad = np.zeros(n, dtype=bool)
    if n < 2:
        return bad if n == 0 else sp.start < -1
    order = np.lexsort((sp.occ, sp.end, sp.start, sp.staff))
    s, a, b = sp.staff[order], sp.start[order], sp.end[order]
    off = int(min(a.min(), b.min())) - 2  # values above off + 1, so -1 (the sweep's start) fits as off + 1 too
    big = int(max(a.max(), b.max())) - off + 2
    key = s * big + (b - off)
    run = np.maximum.accumulate(key)
    prev = np.empty(n, dtype=np.int64)
    prev[0] = -1
    prev[1:] = run[:-1]
    same = (prev >= 0) & (prev // big == s)
    end_before = np.where(same, np.maximum(prev % big + off, -1), -1)
    bad[order] = a < end_before
    return bad
