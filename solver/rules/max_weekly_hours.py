"""Weekly hours (AML §10-5(2)): at most 54 h in any 7 days, and at most 48 h a week on average over 8 weeks
(over the whole period when it is shorter). Hours count on the day the shift starts."""

from __future__ import annotations

import numpy as np

from models import Violation

from .base import Rule, sliding_sums


def avg_window_days(st, days: int) -> int:
    return min(st.avg_weeks, days // 7) * 7


class MaxWeeklyHours(Rule):
    id = "max_weekly_hours"
    title = "≤54 h in any 7 days, ≤48 h/week averaged"
    source = "AML §10-5(2)"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        # most minutes a person could possibly work on each day: skip windows that cannot be broken
        cap = np.where(idx.allowed, idx.work[None, None, :], 0).max(axis=2)
        checks = [(7, round(st.max_hours_7d * 60))]
        n = avg_window_days(st, idx.D)
        checks.append((n, round(st.max_avg_hours * 60 * n / 7)))
        for length, limit in checks:
            possible = sliding_sums(cap, length)
            for s in range(idx.S):
                for a in np.nonzero(possible[s] > limit)[0]:
                    terms = ctx.work_vars(s, range(a, a + length))
                    expr = ctx.weighted([v for _, _, v in terms], [int(idx.work[t]) for _, t, _ in terms])
                    ctx.at_most(st, self.id, s, expr, limit)

    def audit(self, view, st) -> list[Violation]:
        out = []
        n = avg_window_days(st, view.idx.D)
        for length, limit, what in (
            (7, round(st.max_hours_7d * 60), "7 days"),
            (n, round(st.max_avg_hours * 60 * n / 7), f"{n // 7} weeks"),
        ):
            sums = sliding_sums(view.work, length)
            for s, a in zip(*np.nonzero(sums > limit), strict=True):
                out.append(
                    view.violation(
                        self.id,
                        st,
                        int(s),
                        range(int(a), int(a) + length),
                        detail=f"{sums[s, a] / 60:.1f} h in {what} > {limit / 60:.1f} h",
                    )
                )
        return out
