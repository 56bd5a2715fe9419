"""Fair spread of unsocial shifts (FO, NSF): the gap between the most and the fewest nights, and worked
weekends, among regular staff (position ≥ 50 %, not night-only) costs `weight` per shift of gap."""

from __future__ import annotations

import numpy as np

from models import Violation

from .base import Rule
from .weekends import audit_flags, model_flags, unsocial_spans

MIN_PCT = 50


def pool(idx) -> list[int]:
    """Regular staff: the people among whom nights and weekends should be spread evenly."""
    return [s for s, p in enumerate(idx.inst.staff) if p.position_pct >= MIN_PCT and not p.night_only]


class FairUnsocial(Rule):
    id = "fair_unsocial"
    title = "Fair spread of nights and weekends"
    source = "FO/NSF fairness practice [C]"

    def add_to_model(self, ctx, st) -> None:
        members = pool(ctx.idx)
        frame = ctx.idx.frame
        if not st.weight or (frame.fair_pool if frame else len(members)) < 2 or not members:
            return
        idx, model = ctx.idx, ctx.model
        spans = unsocial_spans(idx)
        wk = model_flags(ctx, spans, "wkd")
        counts = {
            "nights": [sum(v for d in range(idx.D) for t, v in ctx.day_vars(s, d) if idx.night[t]) for s in members],
            "weekends": [sum(wk[s, k] for k in range(len(spans)) if (s, k) in wk) for s in members],
        }
        for what, exprs in counts.items():
            if frame is not None and what in frame.fair_outside:  # the fixed members' extremes are constants
                exprs = exprs + list(frame.fair_outside[what])
            top = idx.D
            hi = model.new_int_var(0, top, f"fair_{what}_max")
            lo = model.new_int_var(0, top, f"fair_{what}_min")
            model.add_max_equality(hi, exprs)
            model.add_min_equality(lo, exprs)
            ctx.penalize(self.id, st.weight, hi)
            ctx.penalize(self.id, -st.weight, lo)

    def audit(self, view, st) -> list[Violation]:
        members = pool(view.idx)
        if not st.weight or len(members) < 2:
            return []
        nights = view.night.sum(axis=1)[members]
        weekends = audit_flags(view, unsocial_spans(view.idx)).sum(axis=1)[members]
        out = []
        for what, c in (("nights", nights), ("weekends", weekends)):
            gap = int(np.max(c) - np.min(c))
            if gap:
                out.append(view.violation(self.id, st, None, [], amount=gap, detail=f"{what} spread {gap}"))
        return out
