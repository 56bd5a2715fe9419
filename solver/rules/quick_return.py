"""Quick return (sein-tidlig): an evening shift followed by a day shift the next morning with short rest.

Sleep research singles these out as harmful even when the rest is lawful, so each one costs `weight`.
"""

from __future__ import annotations

import numpy as np

from models import Violation
from models.rules import DailyRestSetting

from .base import Rule, setting_of


def quick_cells(view, max_rest: int) -> np.ndarray:
    """[S, n] bool: an evening shift on day d followed by a day shift the next day (`Index.day_pairs`: on a cyclic
    period the last day is followed by day 0) with less than `max_rest` minutes of rest between (the KPI's too)."""
    idx = view.idx
    first, then, offset = idx.day_pairs(1)
    sh = view.shift
    ev = view.on[:, first] & idx.evening[sh[:, first].clip(0)]
    dy = view.on[:, then] & idx.dayshift[sh[:, then].clip(0)]
    out: np.ndarray = ev & dy & ((view.start_abs[:, then] + offset - view.end_abs[:, first]) < max_rest)
    return out


class QuickReturn(Rule):
    id = "quick_return"
    title = "Evening shift followed by a day shift (sein-tidlig)"
    source = "NSF; Bjorvatn (sleep research); local practice"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        rest = setting_of(ctx.inst, self.section, "daily_rest")
        assert isinstance(rest, DailyRestSetting)
        quick = idx.evening[:, None] & idx.dayshift[None, :]
        for days, gaps in idx.successor_groups(1):  # real rest: an hour more or less over a clock change
            for t1, t2 in np.argwhere(quick & (gaps < round(st.max_rest_hours * 60))).tolist():
                forbidden = rest.active and gaps[t1, t2] < rest.hard_min_minutes
                for s, d, a, b in ctx.var_pairs(1, t1, t2, days):
                    if forbidden and ctx.mode(rest, "daily_rest", s)[0] == "hard":
                        continue  # the pair can never occur
                    ctx.penalize(self.id, st.weight, ctx.both(a, b, f"qr_{s}_{d}_{t1}_{t2}"))

    def audit(self, view, st) -> list[Violation]:
        s_, d_ = quick_cells(view, round(st.max_rest_hours * 60)).nonzero()
        return [
            view.violation(self.id, st, int(s), [int(d), int(d) + 1], detail="sein-tidlig")
            for s, d in zip(s_, d_, strict=True)
        ]
