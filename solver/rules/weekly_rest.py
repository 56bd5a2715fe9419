"""Weekly rest (ukentlig arbeidsfri, AML §10-8(2)): in every week one unbroken rest of 35 h that holds a
whole calendar day.

Weeks are the 7-day blocks of the plan period. For each calendar day D of a week, the rest that contains D is
long enough iff some 35 h window starting in [D - (35 h - 24 h), D] is free of work; only the window starting
at D - 11 h and those starting at a shift's end time in that range can be the binding ones, so the model uses
one exact literal per such candidate window and requires one of them per person and week.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from ..index import DAY
from .base import Rule


def candidate_starts(idx, day: int, need: int) -> list[int]:
    lo = day * DAY - (need - DAY)
    ends = {int(k * DAY + idx.start[t] + idx.duration[t]) for k in range(day - 2, day + 1) for t in range(idx.T)}
    return [lo] + sorted(e for e in ends if lo < e <= day * DAY)


class WeeklyRest(Rule):
    id = "weekly_rest"
    title = "Weekly rest incl. a whole calendar day"
    source = "AML §10-8(2)"

    def add_to_model(self, ctx) -> None:
        st = ctx.inst.rules.weekly_rest
        if not st.active:
            return
        idx, model = ctx.idx, ctx.model
        need = round(st.min_hours * 60)
        windows = {}
        for day in range(idx.D):
            windows[day] = [(a, idx.overlapping(a, a + need)) for a in candidate_starts(idx, day, need)]
        for s in range(idx.S):
            for w in range(idx.D // 7):
                lits, trivially_free = [], False
                for day in range(w * 7, w * 7 + 7):
                    for a, insts in windows[day]:
                        xs = [v for d, t in insts if (v := ctx.var(s, d, t)) is not None]
                        if not xs:
                            trivially_free = True
                            break
                        key = ("wr_free", s, a)
                        if key not in ctx._cache:
                            free = model.new_bool_var(f"wr_free_{s}_{a}")
                            model.add_bool_and([v.Not() for v in xs]).only_enforce_if(free)
                            model.add_bool_or(xs).only_enforce_if(free.Not())
                            ctx._cache[key] = free
                        lits.append(ctx._cache[key])
                    if trivially_free:
                        break
                if not trivially_free:
                    ctx.clause(st, self.id, s, lits)

    def audit(self, view) -> list[Violation]:
        st = view.idx.inst.rules.weekly_rest
        if not st.active:
            return []
        idx, need, out = view.idx, round(st.min_hours * 60), []
        for s in range(idx.S):
            days = np.nonzero(view.on[s])[0]
            starts, ends = view.start_abs[s, days], view.end_abs[s, days]
            extra = [(d, t) for ss, d, t in view.extra if ss == s]
            if extra:
                starts = np.concatenate([starts, [idx.abs_start(d, t) for d, t in extra]])
                ends = np.concatenate([ends, [idx.abs_end(d, t) for d, t in extra]])
            for w in range(idx.D // 7):
                best = 0
                for day in range(w * 7, w * 7 + 7):
                    lo, hi = day * DAY, day * DAY + DAY
                    if np.any((starts < hi) & (ends > lo)):
                        continue  # the calendar day is not free
                    before = ends[ends <= lo]
                    after = starts[starts >= hi]
                    left = max(before.max(), lo - need) if before.size else lo - need
                    right = after.min() if after.size else hi + need
                    best = max(best, int(right - left))
                if best < need:
                    out.append(view.violation(self.id, st, s, range(w * 7, w * 7 + 7),
                                              detail=f"longest rest with a free day {best / 60:.1f} h < {need / 60:.0f} h"))
        return out
