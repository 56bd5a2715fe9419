"""Daily rest (daglig hviletid, AML §10-8(1)): 11 h unbroken rest between two shifts.

With a local agreement (§10-8(3)) rest may go down to the floor (≥ 8 h); every hour short of 11 h then costs
`short_rest.weight` (compensating rest is owed). Pairs are enumerated on the real timeline, so a night shift
ending 07:45 followed by a day shift at 15:00 is 7 h 15 min of rest, whatever the calendar dates say, and a rest
over the October clock change is an hour longer (models/timeline.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from models import Violation

from ..index import DAY
from .base import Rule, setting_of

MAX_GAP_DAYS = 2


def rest_groups(idx) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(k, days, gaps [T, T]): the rest from shift t1 on a day of `days` to shift t2 k days later, per group of
    days with the same real gaps (`Index.successor_groups`: a clock change makes a rest an hour longer or
    shorter)."""
    for k in range(1, MAX_GAP_DAYS + 1):
        for days, gaps in idx.successor_groups(k):
            yield k, days, gaps


def pair_gaps(view, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Persons s, days d and rest gaps between the shift on d and the shift on d+k (both worked; on a cyclic period
    the last days are followed by the first, `Index.day_pairs`)."""
    first, then, offset = view.idx.day_pairs(k)
    both = view.on[:, first] & view.on[:, then]
    s, d = np.nonzero(both)
    return s, d, view.start_abs[s, then[d]] + offset[d] - view.end_abs[s, d]


def history_pairs(idx, below: int) -> list[tuple[int, int, int, int]]:
    """(s, d, t2, gap): person s's shift on one of the last two history days (`Index.history`, the previous
    period's end) leaves `gap` < `below` minutes of rest before shift t2 on period day d, so a night worked on the
    day before the start forbids the first morning like any night inside the period."""
    hist = idx.history
    H = hist.shape[1]
    out = []
    for back in range(1, min(H, MAX_GAP_DAYS) + 1):  # days before the start
        for s in np.nonzero(hist[:, H - back] >= 0)[0].tolist():
            t1 = int(hist[s, H - back])
            end = int(idx.real(-back * DAY + int(idx.start[t1]) + int(idx.duration[t1])))
            for d in range(min(idx.D, MAX_GAP_DAYS - back + 1)):
                gaps = idx.s_abs[d] - end
                out += [(s, d, int(t2), int(gaps[t2])) for t2 in np.nonzero(gaps < below)[0]]
    return out


class DailyRest(Rule):
    id = "daily_rest"
    title = "Daily rest between shifts"
    source = "AML §10-8(1), (3)"
    scores = {"short_rest": "soft"}  # hours short of `min_hours` by local agreement (setting `short_rest`)

    def add_to_model(self, ctx, st) -> None:
        short = setting_of(ctx.inst, self.section, "short_rest")
        hard_min = st.hard_min_minutes
        want = round(st.min_hours * 60)
        soft_short = st.local_agreement and short.active and want > hard_min
        below = want if soft_short else hard_min
        idx = ctx.idx
        for k, days, gaps in rest_groups(idx):
            forbidden: dict[tuple[int, int], list[int]] = {}
            for t1, t2 in np.argwhere(gaps < below).tolist():
                gap = int(gaps[t1, t2])
                if gap < hard_min:
                    forbidden.setdefault((k, t1), []).append(t2)
                    continue
                hours = math.ceil((want - gap) / 60)
                for s, d, a, b in ctx.var_pairs(k, t1, t2, days):
                    ctx.penalize("short_rest", short.weight * hours, ctx.both(a, b, f"short_rest_{s}_{d}_{t1}_{t2}"))
            ctx.forbid_successors(st, self.id, forbidden, days)
        for s, d, t2, gap in history_pairs(idx, below):
            x = ctx.var(s, d, t2)
            if x is None:
                continue
            if gap < hard_min:
                ctx.clause(st, self.id, s, [x.Not()])
            else:
                ctx.penalize("short_rest", short.weight * math.ceil((want - gap) / 60), x)

    def audit(self, view, st) -> list[Violation]:
        short = setting_of(view.idx.inst, self.section, "short_rest")
        hard_min, want = st.hard_min_minutes, round(st.min_hours * 60)
        soft_short = st.local_agreement and short.active and want > hard_min
        out = []
        below = want if soft_short else hard_min
        for k in range(1, MAX_GAP_DAYS + 1):
            ss, dd, gaps = pair_gaps(view, k)
            short_pairs = gaps < below
            for s, d, gap in zip(
                ss[short_pairs].tolist(), dd[short_pairs].tolist(), gaps[short_pairs].tolist(), strict=True
            ):
                if gap < hard_min:
                    out.append(
                        view.violation(
                            self.id,
                            st,
                            s,
                            [d, d + k],
                            amount=1,
                            detail=f"rest {gap / 60:.2f} h < {hard_min / 60:.2f} h",
                        )
                    )
                elif soft_short and gap < want:
                    hours = math.ceil((want - gap) / 60)
                    out.append(
                        view.violation(
                            "short_rest",
                            short,
                            s,
                            [d, d + k],
                            amount=hours,
                            detail=f"rest {gap / 60:.2f} h, {hours} h short of {want / 60:.1f} h",
                        )
                    )
        for s, d, t2, gap in history_pairs(view.idx, below):
            if view.shift[s, d] != t2:
                continue
            if gap < hard_min:
                detail = f"rest {gap / 60:.2f} h after the history's last shift < {hard_min / 60:.2f} h"
                out.append(view.violation(self.id, st, s, [d], amount=1, detail=detail))
            elif soft_short and gap < want:
                hours = math.ceil((want - gap) / 60)
                detail = f"rest {gap / 60:.2f} h after the history's last shift, {hours} h short"
                out.append(view.violation("short_rest", short, s, [d], amount=hours, detail=detail))
        return out
