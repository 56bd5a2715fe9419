"""Consecutive working days (no isolated work days, enkeltvakter): series of `min_days` (2) to `max_days` worked
days in a row, each day short or over costing `weight` (solver/rules/runs.py has the series conventions).

Planners throw away rosters full of single work days between days off: each costs a commute and a handover for
one shift, and a lone day off between them rests little. A person's own bounds (`Staff.limits`) win over the
unit's (INRC-II contracts differ per nurse). The history before the period (`Instance.history`) continues the
first series; a whole-day absence breaks a series without making it short.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models import Violation

from .base import Rule
from .runs import BORDER, audit_runs, bound_arrays, model_runs, person_bounds, worked

LIMITS = ("min_consecutive_work_days", "max_consecutive_work_days")


class WorkRuns(Rule):
    id = "work_runs"
    title = "Consecutive working days in series of min to max"
    source = "Planning practice (no isolated work days) [C]; INRC-II S2"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        los, his = person_bounds(idx, st, *LIMITS)
        hist = idx.history
        for s in range(idx.S):
            if los[s] <= 1 and his[s] is None:
                continue
            vals: list[Any] = [bool(v >= 0) for v in hist[s]]
            vals += [BORDER if idx.absent_day[s, d] else worked(ctx, s, d) for d in range(idx.D)]
            model_runs(ctx, self.id, s, vals, hist.shape[1], los[s], his[s], st.weight)

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        lo, hi = bound_arrays(*person_bounds(idx, st, *LIMITS))
        weight = np.full(idx.S, st.weight, dtype=np.int64)
        return audit_runs(view, st, self.id, view.on, idx.absent_day, idx.history >= 0, lo, hi, weight, "work days")
