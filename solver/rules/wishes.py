"""Staff wishes (ønsketurnus): want or avoid a shift, a date or a weekday. Each unmet wish day costs the wish's
weight times the rule weight. A shift-only "want" means: on days worked, prefer that shift."""

from __future__ import annotations

import numpy as np

from models import Violation
from models.staff import Wish, WishKind

from .base import Rule


def wish_cells(idx, wish) -> tuple[list[int], int | None, bool]:
    """(days, shift index or None, day-level) a wish speaks about."""
    t = idx.shift_pos.get(wish.shift) if wish.shift else None
    if wish.date is not None:
        days = [idx.date_pos[wish.date]] if wish.date in idx.date_pos else []
    elif wish.weekday is not None:
        days = [d for d in range(idx.D) if idx.weekday[d] == wish.weekday.index]
    else:
        days = list(range(idx.D))
    return days, t, wish.date is None and wish.weekday is None


class Wishes(Rule):
    id = "wishes"
    title = "Staff wishes (want/avoid shift or day)"
    source = "Ønsketurnus (local practice)"

    def add_to_model(self, ctx, st) -> None:
        if not st.weight:
            return
        idx = ctx.idx
        for s, person in enumerate(ctx.inst.staff):
            for wish in person.wishes:
                w = wish.weight * st.weight
                days, t, shift_only = wish_cells(idx, wish)
                for d in days:
                    vs = ctx.day_vars(s, d)
                    if shift_only and wish.kind == WishKind.want:
                        for tt, v in vs:  # a worked day on another shift
                            if tt != t:
                                ctx.penalize(self.id, w, v)
                        continue
                    hit = [v for tt, v in vs if t is None or tt == t]
                    if wish.kind == WishKind.avoid:
                        for v in hit:
                            ctx.penalize(self.id, w, v)
                    else:  # want: penalty w unless hit
                        ctx.penalize(self.id, w, None)
                        for v in hit:
                            ctx.penalize(self.id, -w, v)

    @staticmethod
    def _cells(idx) -> list[tuple[int, Wish, np.ndarray, int | None, bool]]:
        """(person, wish, days, shift, shift-only) for every wish, resolved once per instance."""
        if "wish_cells" not in idx.cache:
            idx.cache["wish_cells"] = [
                (s, wish, np.asarray(days, dtype=np.int64), t, shift_only)
                for s, person in enumerate(idx.inst.staff)
                for wish in person.wishes
                for days, t, shift_only in [wish_cells(idx, wish)]
            ]
        return idx.cache["wish_cells"]

    def audit(self, view, st) -> list[Violation]:
        if not st.weight:
            return []
        out = []
        for s, wish, days, t, shift_only in self._cells(view.idx):
            sh = view.shift[s, days]
            if shift_only and wish.kind == WishKind.want:
                broken = (sh >= 0) & (sh != t)
            else:
                hit = (sh >= 0) & ((sh == t) if t is not None else True)
                broken = hit if wish.kind == WishKind.avoid else ~hit
            if view.score_only:  # one priced total per wish
                n = int(np.count_nonzero(broken))
                if n:
                    one = view.violation(self.id, st, s, [], amount=wish.weight)
                    out.append(one._replace(penalty=one.penalty * n, count=n))
                continue
            for d in days[broken].tolist():
                out.append(
                    view.violation(
                        self.id, st, s, [d], amount=wish.weight, detail=f"{wish.kind.value} {wish.shift or 'work'}"
                    )
                )
        return out
