"""At most 12.5 h of work in any 24 h (AML §10-5(2)); long shifts (langvakt, over 10 h) only for staff who
have opted in (voluntary by agreement, NSF/Delta).

When REQUIRED, too-long or not-opted-in shifts get no variable at all (see `build_index`); a pair of shifts
that would put more than the limit inside one 24 h window is forbidden here.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from ..index import DAY
from .base import Rule


def work_in_24h(idx, d: int, k: int) -> np.ndarray:
    """[T, T] most work minutes any real 24 h window holds from shift t1 begun on day d and t2 on day d + k."""
    a1, e1, w1 = (arr(d)[:, None] for arr in (idx.start_on, idx.end_on, idx.work_on))
    a2, e2, w2 = (arr(d + k)[None, :] for arr in (idx.start_on, idx.end_on, idx.work_on))  # wraps on a cyclic period
    best = np.zeros((idx.T, idx.T), dtype=np.int64)
    for w0 in (a1, e2 - DAY):  # the window opening at the first start or closing at the last end holds the most
        w_end = w0 + DAY
        part1 = np.maximum(0, np.minimum(e1, w_end) - np.maximum(a1, w0)) * w1 // np.maximum(1, e1 - a1)
        part2 = np.maximum(0, np.minimum(e2, w_end) - np.maximum(a2, w0)) * w2 // np.maximum(1, e2 - a2)
        best = np.maximum(best, part1 + part2)
    return best


def pair_tables(idx) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(days, [T, T] `work_in_24h`)] for a shift followed by another the next day, per group of days with the
    same real times (`Index.day_groups`; once per unit: `Index.shared`)."""
    if "max_daily_pairs" not in idx.shared:
        idx.shared["max_daily_pairs"] = [(days, work_in_24h(idx, int(days[0]), 1)) for days in idx.day_groups(1)]
    out: list[tuple[np.ndarray, np.ndarray]] = idx.shared["max_daily_pairs"]
    return out


def pairs_over(idx, limit: int) -> np.ndarray:
    """[D - 1, T, T] bool (D on a cyclic period, `Index.day_pairs`): shift t1 on day d and t2 the next day put more
    than `limit` minutes in some 24 h (the audit's lookup, once per unit and limit: every scored roster reads it)."""
    key = ("max_daily_over", limit)
    if key not in idx.shared:
        over = np.zeros((len(idx.day_pairs(1)[0]), idx.T, idx.T), dtype=bool)
        for days, table in pair_tables(idx):
            over[days] = table > limit
        idx.shared[key] = over
    out: np.ndarray = idx.shared[key]
    return out


class MaxDailyHours(Rule):
    id = "max_daily_hours"
    title = "At most 12.5 h work per 24 h; long shifts only by opt-in"
    source = "AML §10-5(2); langvakt agreements"

    def _too_long(self, idx, st) -> np.ndarray:
        """[S, D, T] a single shift breaks the rule for that person (its real hours: a night over the October clock
        change works an hour more)."""
        limit = st.max_hours * 60
        opt_in = np.array([s.accepts_long_shifts for s in idx.inst.staff], dtype=bool)
        return (idx.work_at[None, :, :] > limit) | (idx.long[None, None, :] & ~opt_in[:, None, None])

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        limit = round(st.max_hours * 60)
        if not st.hard:  # variables exist: price each too-long shift
            too_long = self._too_long(idx, st)
            for (s, d, t), v in ctx.x.items():
                if too_long[s, d, t]:
                    ctx.penalize(self.id, st.weight, v)
        for days, table in pair_tables(idx):
            forbidden: dict[tuple[int, int], list[int]] = {}
            for t1, t2 in np.argwhere(table > limit).tolist():
                forbidden.setdefault((1, t1), []).append(t2)
            ctx.forbid_successors(st, self.id, forbidden, days)

    def audit(self, view, st) -> list[Violation]:
        idx, out = view.idx, []
        limit = round(st.max_hours * 60)
        too_long = self._too_long(idx, st)
        s_, d_ = np.nonzero(view.on)
        t_ = view.shift[s_, d_]
        bad = too_long[s_, d_, t_]
        cells = list(zip(s_[bad].tolist(), d_[bad].tolist(), t_[bad].tolist(), strict=True))
        cells += [(s, d, t) for s, d, t in view.extra if too_long[s, d, t]]
        for s, d, t in cells:
            out.append(view.violation(self.id, st, s, [d], detail=f"{idx.shift_codes[t]} too long or not opted in"))
        over_on = pairs_over(idx, limit)
        first, then, _ = idx.day_pairs(1)
        s_, d_ = np.nonzero(view.on[:, first] & view.on[:, then])
        over = over_on[d_, view.shift[s_, d_], view.shift[s_, then[d_]]]
        for s, d in zip(s_[over].tolist(), d_[over].tolist(), strict=True):
            out.append(view.violation(self.id, st, s, [d, d + 1], detail="over the limit within 24 h"))
        return out
