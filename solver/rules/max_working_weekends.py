"""A cap on worked weekends over the whole period: `weight` per weekend above the cap (INRC-II S7).

Why beside `weekend_frequency` (at most 1 in every N weekends, a window rule): a contract may cap the weekends of
a year or a period outright (INRC-II's max working weekends; the KS norm of about 17 working weekends a year), and
a part-time contract may cap lower than the unit. The cap is `Staff.limits.max_weekends`, else the setting's
`max_weekends`, else `per_year` (17) of 52 pro rata for the weekends the period touches, rounded up; weekends
worked before the period (`Staff.limits.weekends_before`, INRC-II history) count toward it.

A weekend is worked, with `friday_night` (default), as the unit reads it: any shift overlapping Saturday 00:00 -
Monday 00:00 (a Friday or Sunday night too; the same literals as `weekend_frequency` and `fair_unsocial`); without,
when a shift starts on its Saturday or Sunday (INRC-II). PREFERRED prices each weekend over; REQUIRED is one hard
group per person (HARD_WEIGHT once when relaxed).
"""

from __future__ import annotations

import math

import numpy as np

from models import Violation

from .base import Rule
from .weekends import audit_flags, model_flags, weekend_spans


def caps(idx, st) -> list[tuple[int, int]]:
    """Per person: (cap, weekends worked before the period)."""
    default = st.max_weekends
    if default is None:
        default = math.ceil(len(weekend_spans(idx)) * st.per_year / 52 - 1e-9)
    out = []
    for p in idx.inst.staff:
        lim = p.limits
        cap = lim.max_weekends if lim is not None and lim.max_weekends is not None else default
        out.append((int(cap), lim.weekends_before if lim is not None else 0))
    return out


def worked_flags(view, st, spans) -> np.ndarray:
    """[S, K] bool: the person works weekend k (by clock, or by start date without `friday_night`)."""
    if st.friday_night:
        return audit_flags(view, spans)
    out = np.zeros((view.idx.S, len(spans)), dtype=bool)
    for k, (days, _, _) in enumerate(spans):
        out[:, k] = view.on[:, days].any(axis=1)
    return out


class MaxWorkingWeekends(Rule):
    id = "max_working_weekends"
    title = "At most N worked weekends over the period"
    source = "KS practice (about 17 weekends a year); INRC-II S7"

    def add_to_model(self, ctx, st) -> None:
        idx, model = ctx.idx, ctx.model
        spans = weekend_spans(idx)
        if st.friday_night:
            flags = model_flags(ctx, spans, "wkd")
        else:
            flags = {}
            for s in range(idx.S):
                for k, (days, _, _) in enumerate(spans):
                    lits = [v for d in days for _, v in ctx.day_vars(s, d)]
                    if lits:
                        flags[s, k] = ctx.any_of(("wkd_start", s, k), lits)
        for s, (cap, before) in enumerate(caps(idx, st)):
            lits = [flags[s, k] for k in range(len(spans)) if (s, k) in flags]
            if len(lits) + before <= cap:
                continue
            expr = ctx.weighted(lits, [1] * len(lits))
            if st.hard:
                ctx.at_most(st, self.id, s, expr, cap - before)
                continue
            if not lits:
                ctx.penalize(self.id, st.weight * (before - cap), None)
                continue
            over = model.new_int_var(0, len(lits) + before, f"mww_over_{s}")
            model.add_max_equality(over, [0, expr + (before - cap)])
            ctx.penalize(self.id, st.weight, over)

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        spans = weekend_spans(idx)
        flags = worked_flags(view, st, spans)
        worked = flags.sum(axis=1)
        out = []
        for s, (cap, before) in enumerate(caps(idx, st)):
            n = int(worked[s]) + before
            if n > cap:
                days = [d for k in np.nonzero(flags[s])[0].tolist() for d in spans[k][0]]
                out.append(
                    view.violation(
                        self.id, st, s, days, amount=1 if st.hard else n - cap, detail=f"{n} weekends > {cap}"
                    )
                )
        return out
