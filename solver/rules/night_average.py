"""Night workers (AML §10-11(5)): whoever works nights in a 4-week window averages at most 8 h per shift
in that window, unless the tariff parties agreed a deviation with compensating rest (§10-11(9)).

Windows slide by week; a period shorter than the window is one window.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from .base import Rule


def window_starts(idx, st) -> tuple[int, list[int]]:
    """(length, starts): windows of `window_weeks` (at most the period) from each week; on a cyclic period from
    every week, running over the end into the start (one window when it holds the whole cycle)."""
    length = min(st.window_weeks, idx.D // 7) * 7
    if idx.cyclic:
        return length, list(range(0, idx.D, 7)) if length < idx.D else [0]
    return length, list(range(0, idx.D - length + 1, 7))


class NightAverage(Rule):
    id = "night_average"
    title = "Night workers: ≤8 h per shift on average over 4 weeks"
    source = "AML §10-11(5), (9)"

    def add_to_model(self, ctx, st) -> None:
        if st.deviation_agreed:
            return
        idx = ctx.idx
        cap = round(st.max_avg_hours * 60)
        length, starts = window_starts(idx, st)
        for s in range(idx.S):
            for a in starts:
                terms = ctx.work_vars(s, idx.wrap_days(range(a, a + length)))
                nights = [v for _, t, v in terms if idx.night[t]]
                excess = [(int(idx.work_at[d, t]) - cap, v) for d, t, v in terms]
                if not nights or not any(c > 0 for c, _ in excess):
                    continue
                worker = ctx.any_of(("nightw", s, a), nights)
                ctx.at_most(st, self.id, s, sum(c * v for c, v in excess), 0, when=[worker])

    def audit(self, view, st) -> list[Violation]:
        if st.deviation_agreed:
            return []
        cap = round(st.max_avg_hours * 60)
        length, starts = window_starts(view.idx, st)
        out = []
        for a in starts:
            sl = np.array(view.idx.wrap_days(range(a, a + length)))
            has_night = view.night[:, sl].any(axis=1)
            excess = (view.work[:, sl] - cap * view.on[:, sl]).sum(axis=1)
            for s in np.nonzero(has_night & (excess > 0))[0]:
                n = int(view.on[s, sl].sum())
                out.append(
                    view.violation(
                        self.id,
                        st,
                        int(s),
                        range(a, a + length),
                        detail=f"average {view.work[s, sl].sum() / n / 60:.2f} h over {n} shifts",
                    )
                )
        return out
