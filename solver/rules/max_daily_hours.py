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


def work_in_24h(idx, t1: int, k: int, t2: int) -> int:
    """Most work minutes any 24 h window holds from shift t1 (day 0) and shift t2 (day k)."""
    a1, e1 = int(idx.start[t1]), int(idx.start[t1] + idx.duration[t1])
    a2 = k * DAY + int(idx.start[t2])
    e2 = a2 + int(idx.duration[t2])
    best = 0
    for w0 in (a1, e2 - DAY):
        w1 = w0 + DAY
        part1 = max(0, min(e1, w1) - max(a1, w0)) * int(idx.work[t1]) // max(1, e1 - a1)
        part2 = max(0, min(e2, w1) - max(a2, w0)) * int(idx.work[t2]) // max(1, e2 - a2)
        best = max(best, part1 + part2)
    return best


def pair_table(idx) -> np.ndarray:
    """[T, T] `work_in_24h` for a shift followed by another the next day (once per unit: `Index.shared`)."""
    if "max_daily_pairs" not in idx.shared:
        idx.shared["max_daily_pairs"] = np.array(
            [[work_in_24h(idx, a, 1, b) for b in range(idx.T)] for a in range(idx.T)]
        )
    return idx.shared["max_daily_pairs"]


class MaxDailyHours(Rule):
    id = "max_daily_hours"
    title = "At most 12.5 h work per 24 h; long shifts only by opt-in"
    source = "AML §10-5(2); langvakt agreements"

    def _too_long(self, idx, st) -> np.ndarray:
        """[S, T] a single shift breaks the rule for that person."""
        limit = st.max_hours * 60
        opt_in = np.array([s.accepts_long_shifts for s in idx.inst.staff])
        return (idx.work[None, :] > limit) | (idx.long[None, :] & ~opt_in[:, None])

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        limit = round(st.max_hours * 60)
        if not st.hard:  # variables exist: price each too-long shift
            too_long = self._too_long(idx, st)
            for (s, _d, t), v in ctx.x.items():
                if too_long[s, t]:
                    ctx.penalize(self.id, st.weight, v)
        forbidden: dict[tuple[int, int], list[int]] = {}
        for k in (1,):
            for t1 in range(idx.T):
                for t2 in range(idx.T):
                    if work_in_24h(idx, t1, k, t2) <= limit:
                        continue
                    forbidden.setdefault((k, t1), []).append(t2)
        ctx.forbid_successors(st, self.id, forbidden)

    def audit(self, view, st) -> list[Violation]:
        idx, out = view.idx, []
        limit = round(st.max_hours * 60)
        too_long = self._too_long(idx, st)
        s_, d_ = np.nonzero(view.on)
        t_ = view.shift[s_, d_]
        bad = too_long[s_, t_]
        cells = list(zip(s_[bad].tolist(), d_[bad].tolist(), t_[bad].tolist(), strict=True))
        cells += [(s, d, t) for s, d, t in view.extra if too_long[s, t]]
        for s, d, t in cells:
            out.append(view.violation(self.id, st, s, [d], detail=f"{idx.shift_codes[t]} too long or not opted in"))
        table = pair_table(idx) > limit
        s_, d_ = np.nonzero(view.on[:, :-1] & view.on[:, 1:])
        over = table[view.shift[s_, d_], view.shift[s_, d_ + 1]]
        for s, d in zip(s_[over].tolist(), d_[over].tolist(), strict=True):
            out.append(view.violation(self.id, st, s, [d, d + 1], detail="over the limit within 24 h"))
        return out
