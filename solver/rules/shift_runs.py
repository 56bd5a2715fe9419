"""Consecutive days on one shift type or kind: night blocks (at least 2 nights in a row for staff who are not night
staff: no single nights), at most 4 evenings in a row, or any limit per shift type (INRC-II's per-type minimum and
maximum). Each limit in `runs` prices its series per day short or over (solver/rules/runs.py has the series
conventions: history continues the first series; with `closed_ends`, the default, the period's ends and a whole-day
absence end a series as a day off does, so a day worker's night before ferie or on the plan's last day is single;
without it, INRC-II's reading, they break a series without making it short).

A series is the days in a row whose shift is among the limit's types; a day off or another shift ends it, so a
night block followed by a day shift is a block like one followed by a day off.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models import Violation
from models.rules import ShiftRun
from models.shifts import ShiftTag

from .base import Rule
from .runs import BORDER, audit_runs, model_runs


def run_types(idx, run: ShiftRun) -> np.ndarray:
    """[T] bool: the shift types a limit counts (its codes, or every type with its tag)."""
    if run.shifts is not None:
        return np.isin(np.array(idx.shift_codes), run.shifts)
    by_tag = {ShiftTag.night: idx.night, ShiftTag.evening: idx.evening, ShiftTag.day: idx.dayshift}
    return np.asarray(idx.long if run.kind is None else by_tag.get(run.kind, idx.long), dtype=bool)


def exempt(idx, run: ShiftRun) -> np.ndarray:
    """[S] bool: the people a limit leaves out."""
    return np.array([run.exempt_night_only and p.night_only for p in idx.inst.staff], dtype=bool)


class ShiftRuns(Rule):
    id = "shift_runs"
    title = "Consecutive days on one shift type or kind in series of min to max"
    source = "Planning practice (night blocks, evening runs) [C]; INRC-II S2"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        hist = idx.history
        for run in st.runs:
            weight = st.weight if run.weight is None else run.weight
            if run.min_days <= 1 and run.max_days is None or not weight:
                continue
            types = run_types(idx, run)
            key = tuple(np.nonzero(types)[0].tolist())
            skip = exempt(idx, run)
            for s in range(idx.S):
                vals: list[Any] = [bool(v >= 0 and types[v]) for v in hist[s]]
                if skip[s] or not (idx.unit_types[s, types].any() or any(vals)):
                    continue
                for d in range(idx.D):
                    if idx.absent_day[s, d]:
                        vals.append(BORDER)
                    elif (f := ctx.fixed_shift(s, d)) is not None:
                        vals.append(bool(types[f]))
                    else:
                        lits = [v for t, v in ctx.day_vars(s, d) if types[t]]
                        vals.append(ctx.any_of(("worked_in", key, s, d), lits))
                model_runs(ctx, self.id, s, vals, hist.shape[1], run.min_days, run.max_days, weight, st.closed_ends)

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        out: list = []
        hist = idx.history
        for run in st.runs:
            weight = st.weight if run.weight is None else run.weight
            if run.min_days <= 1 and run.max_days is None or not weight:
                continue
            types = run_types(idx, run)
            skip = exempt(idx, run)
            flags = view.on & types[np.maximum(view.shift, 0)]
            before = (hist >= 0) & types[np.maximum(hist, 0)]
            lo = np.where(skip, 1, run.min_days)
            hi = np.where(skip, 0, run.max_days or 0)
            w = np.full(idx.S, weight, dtype=np.int64)
            what = run.kind.value + " shifts" if run.kind is not None else "shifts of " + "/".join(run.shifts or [])
            out += audit_runs(view, st, self.id, flags, idx.absent_day, before, lo, hi, w, what, st.closed_ends)
        return out
