"""At most `max_nights` night shifts in a row (local practice; night work strain, AML §10-11)."""

from __future__ import annotations

from models import Violation

from .base import Rule
from .sequences import audit_window_cap, model_window_cap


class MaxConsecutiveNights(Rule):
    id = "max_consecutive_nights"
    title = "Max consecutive night shifts"
    source = "Local agreement / practice [C]"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        flags = {}
        for s in range(idx.S):
            for d in range(idx.D):
                vs = [v for t, v in ctx.day_vars(s, d) if idx.night[t]]
                if vs:
                    flags[s, d] = sum(vs)
        model_window_cap(ctx, st, self.id, flags, idx.D, st.max_nights + 1, st.max_nights)

    def audit(self, view, st) -> list[Violation]:
        return audit_window_cap(view, st, self.id, view.night, st.max_nights + 1, st.max_nights, lambda k: [k])
