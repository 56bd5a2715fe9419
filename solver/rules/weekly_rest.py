"""Weekly rest per plan week (ukentlig arbeidsfri, AML §10-8(2)): in every plan week one unbroken rest of 35 h that
holds a whole calendar day, inside that week.

Plan weeks start on `Period.week_start` (Monday unless agreed: the week breaks between Sunday and Monday); a rest
that straddles two weeks counts only where it lies wholly inside one. The rolling reading (no more than 7 × 24 h
between two rests, wherever the weeks break) is its own rule, `weekly_rest_rolling`. The model requires one free
candidate window per person and week (solver/rules/rest_windows.py); the audit checks the same windows on the
roster.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from .base import Rule
from .rest_windows import always_free, free_literal, free_matrix, minimal_free, week_windows


class WeeklyRest(Rule):
    id = "weekly_rest"
    title = "Weekly rest: 35 h incl. a whole calendar day inside each plan week"
    source = "AML §10-8(2)"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        need = round(st.min_hours * 60)
        weeks = week_windows(idx, need)
        met = np.array([always_free(idx, wins).any(axis=1) for wins in weeks]).reshape(len(weeks), idx.S)
        for s in range(idx.S):
            exact = ctx.mode(st, self.id, s)[0] != "hard"  # soft groups need free <=> window empty
            for w, wins in enumerate(weeks):
                if met[w, s]:  # a window of the week is free whatever the solver does
                    continue
                minimal = minimal_free(idx, s, ("weekly_rest", need, w), wins)
                if minimal is None:
                    continue
                lits = [free_literal(ctx, s, m, exact, f"wr_free_{s}_{w}_{i}") for i, m in enumerate(minimal)]
                ctx.clause(st, self.id, s, lits)

    def audit(self, view, st) -> list[Violation]:
        need = round(st.min_hours * 60)
        idx = view.idx
        out = []
        weeks = idx.inst.period.plan_weeks()
        for wk, wins in zip(weeks, week_windows(idx, need), strict=True):
            ok = free_matrix(view, wins).any(axis=1) if wins else np.zeros(idx.S, dtype=bool)
            for s in np.nonzero(~ok)[0]:
                longest = longest_rest_inside(view, int(s), idx.at_midnight(wk.start), idx.at_midnight(wk.stop))
                out.append(
                    view.violation(
                        self.id,
                        st,
                        int(s),
                        wk,
                        detail=f"no {need / 60:.0f} h rest with a whole free day inside the week "
                        f"(longest rest inside it {longest / 60:.1f} h)",
                    )
                )
        return out


def longest_rest_inside(view, s: int, lo: int, hi: int) -> int:
    """The longest stretch without work of person s inside [lo, hi) (minutes): the violation's detail."""
    idx = view.idx
    spans = [(int(view.start_abs[s, d]), int(view.end_abs[s, d])) for d in np.nonzero(view.on[s])[0]]
    spans += [(idx.abs_start(d, t), idx.abs_end(d, t)) for ss, d, t in view.extra if ss == s]
    if idx.cyclic:  # the plan's end before its start and its start after its end
        spans = [(a + c, b + c) for a, b in spans for c in (-idx.cycle, 0, idx.cycle)]
    spans = sorted((max(a, lo), min(b, hi)) for a, b in spans if a < hi and b > lo)
    best, free_from = 0, lo
    for a, b in spans:
        best = max(best, a - free_from)
        free_from = max(free_from, b)
    return max(best, hi - free_from)


def rest_days(view, need: int) -> list[tuple[int, int]]:
    """(person, day) of each person's weekly rest day (F1) per plan week: the whole free day of a free `need` window
    inside the week, a Sunday or holiday where one qualifies, else the first; weeks without one have none."""
    idx = view.idx
    out = []
    for wins in week_windows(idx, need):
        if not wins:
            continue
        free = free_matrix(view, wins)
        days = np.array([idx.first_midnight_from(w.start) for w in wins])  # the calendar day each window holds whole
        inside = (days >= 0) & (days < idx.D)
        preferred = inside & np.array([bool(idx.holiday[d]) if 0 <= d < idx.D else False for d in days])
        for s in np.nonzero((free & inside).any(axis=1))[0].tolist():
            pick = free[s] & preferred
            k = int(np.argmax(pick)) if pick.any() else int(np.argmax(free[s] & inside))
            out.append((s, int(days[k])))
    return sorted(set(out))
