"""Consecutive days off (days off in pairs): series of `min_days` (2) to `max_days` days off in a row, each day
short or over costing `weight` (solver/rules/runs.py has the series conventions).

A single day off between work days rests little (and after a night it is the sleeping day). A whole-day absence
(ferie, sick leave, permisjon) is not a day off the planner chose: it is neither a day off nor work, so it breaks
a series without making it short and does not lengthen it toward the maximum. A person's own bounds
(`Staff.limits`) win over the unit's; the history before the period (`Instance.history`) continues the first
series (a history day without a shift is a day off).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models import Violation

from .base import Rule
from .runs import BORDER, audit_runs, bound_arrays, model_runs, negate, person_bounds, worked

LIMITS = ("min_consecutive_days_off", "max_consecutive_days_off")


class OffRuns(Rule):
    id = "off_runs"
    title = "Consecutive days off in series of min to max"
    source = "Planning practice (days off in pairs) [C]; INRC-II S3"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        los, his = person_bounds(idx, st, *LIMITS)
        hist = idx.history
        for s in range(idx.S):
            if los[s] <= 1 and his[s] is None:
                continue
            vals: list[Any] = [bool(v < 0) for v in hist[s]]
            vals += [BORDER if idx.absent_day[s, d] else negate(worked(ctx, s, d)) for d in range(idx.D)]
            model_runs(ctx, self.id, s, vals, hist.shape[1], los[s], his[s], st.weight)

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        lo, hi = bound_arrays(*person_bounds(idx, st, *LIMITS))
        weight = np.full(idx.S, st.weight, dtype=np.int64)
        off = ~view.on & ~idx.absent_day
        return audit_runs(view, st, self.id, off, idx.absent_day, idx.history < 0, lo, hi, weight, "days off")
