"""At most `max_days` working days in a row (local practice; follows from weekly rest in law)."""

from __future__ import annotations

from models import Violation

from .base import Rule
from .sequences import audit_window_cap, model_window_cap


class MaxConsecutiveDays(Rule):
    id = "max_consecutive_days"
    title = "Max consecutive working days"
    source = "Local agreement / practice [C]"

    def add_to_model(self, ctx, st) -> None:
        flags = {}
        for s in range(ctx.idx.S):
            for d in range(ctx.idx.D):
                vs = [v for _, v in ctx.day_vars(s, d)]
                if vs:
                    flags[s, d] = sum(vs)
        model_window_cap(ctx, st, self.id, flags, ctx.idx.D, st.max_days + 1, st.max_days)

    def audit(self, view, st) -> list[Violation]:
        return audit_window_cap(view, st, self.id, view.on, st.max_days + 1, st.max_days, lambda k: [k])
