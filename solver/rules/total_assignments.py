"""Fewest and most shifts over the period per person: `weight` per shift below the minimum or above the maximum
(INRC-II S6, 20 each there).

Why beside contract hours: hours bound the time, this bounds the count, as contracts with a number of shifts
(INRC-II) or a unit agreeing a fixed number of shifts per turnus state it. Bounds are `Staff.limits.min_assignments`
/ `.max_assignments`, else the setting's `min_shifts` / `max_shifts` (None: no bound); shifts counted before the
period (`Staff.limits.assignments_before`, INRC-II history) count too. PREFERRED prices each shift short or over;
REQUIRED is one hard group per person and bound (HARD_WEIGHT once each when relaxed). OFF by default: a unit states
the numbers.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from .base import Rule


def bounds(idx, st) -> list[tuple[int | None, int | None, int]]:
    """Per person: (min, max, shifts counted before the period)."""
    out = []
    for p in idx.inst.staff:
        lim = p.limits
        lo = lim.min_assignments if lim is not None and lim.min_assignments is not None else st.min_shifts
        hi = lim.max_assignments if lim is not None and lim.max_assignments is not None else st.max_shifts
        out.append((lo, hi, lim.assignments_before if lim is not None else 0))
    return out


def shift_lits(ctx, s: int) -> list:
    """The literals of person s working a shift, over the period."""
    return [v for d in range(ctx.idx.D) for _, v in ctx.day_vars(s, d)]


class TotalAssignments(Rule):
    id = "total_assignments"
    title = "Fewest and most shifts over the period"
    source = "Contract (number of shifts); INRC-II S6"

    def add_to_model(self, ctx, st) -> None:
        idx, model = ctx.idx, ctx.model
        for s, (lo, hi, before) in enumerate(bounds(idx, st)):
            if lo is None and hi is None:
                continue
            lits = shift_lits(ctx, s)
            n = len(lits)
            expr = ctx.weighted(lits, [1] * n)
            if lo is not None and before < lo:  # the minimum can be missed
                if st.hard:
                    ctx.at_least(st, self.id, s, expr, lo - before)
                elif n == 0:
                    ctx.penalize(self.id, st.weight * (lo - before), None)
                else:
                    short = model.new_int_var(0, lo - before, f"tot_short_{s}")
                    model.add_max_equality(short, [0, (lo - before) - expr])
                    ctx.penalize(self.id, st.weight, short)
            if hi is not None and n + before > hi:  # the maximum can be passed
                if st.hard:
                    ctx.at_most(st, self.id, s, expr, hi - before)
                elif n == 0:
                    ctx.penalize(self.id, st.weight * (before - hi), None)
                else:
                    over = model.new_int_var(0, n + before - hi, f"tot_over_{s}")
                    model.add_max_equality(over, [0, expr + (before - hi)])
                    ctx.penalize(self.id, st.weight, over)

    def cap(self, ctx, st) -> None:
        """The priced maximum as a hard limit (construction lines: solver/search/domain.py `cap_maxima`)."""
        for s, (_, hi, before) in enumerate(bounds(ctx.idx, st)):
            if hi is not None:
                lits = shift_lits(ctx, s)
                if len(lits) + before > hi:
                    ctx.model.add(ctx.weighted(lits, [1] * len(lits)) <= max(0, hi - before))

    def audit(self, view, st) -> list[Violation]:
        worked = view.on.sum(axis=1) + np.bincount([s for s, _, _ in view.extra], minlength=view.idx.S)
        out = []
        for s, (lo, hi, before) in enumerate(bounds(view.idx, st)):
            n = int(worked[s]) + before
            for bad, amount, what in (
                (lo is not None and n < lo, (lo or 0) - n, f"{n} shifts < {lo}"),
                (hi is not None and n > hi, n - (hi or 0), f"{n} shifts > {hi}"),
            ):
                if bad:
                    out.append(view.violation(self.id, st, s, [], amount=1 if st.hard else amount, detail=what))
        return out
