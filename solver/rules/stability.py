"""Stability for re-planning (minimal disruption): when the instance carries a previous roster in
`assignments`, every previous assignment dropped and every new one added costs `weight`."""

from __future__ import annotations

import numpy as np

from models import Violation

from ..view import shift_array
from .base import Rule


def previous(idx) -> np.ndarray | None:
    """[S, D] previous shift index (-1 off), or None without a previous roster."""
    return shift_array(idx, idx.inst.assignments)


class Stability(Rule):
    id = "stability"
    title = "Few changes against the previous roster (re-planning)"
    source = "Planner practice; minimal-disruption re-planning"

    def add_to_model(self, ctx, st) -> None:
        prev = previous(ctx.idx)
        if prev is None or not st.weight:
            return
        for s, d in zip(*np.nonzero(prev >= 0), strict=True):
            v = ctx.var(int(s), int(d), int(prev[s, d]))
            if v is None:
                ctx.penalize(self.id, st.weight, None)
            else:
                ctx.penalize(self.id, st.weight, v.Not())
        for (s, d, t), v in ctx.x.items():
            if prev[s, d] != t:
                ctx.penalize(self.id, st.weight, v)

    def audit(self, view, st) -> list[Violation]:
        prev = previous(view.idx)
        if prev is None or not st.weight:
            return []
        out = []
        for s, d in zip(*np.nonzero(prev != view.shift), strict=True):
            s, d = int(s), int(d)
            n = int(prev[s, d] >= 0) + int(view.shift[s, d] >= 0)
            out.append(view.violation(self.id, st, s, [d], amount=n, detail="changed from previous roster"))
        return out
