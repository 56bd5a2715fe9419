"""Demand coverage (bemanningsplan): each competence slot of each shift gets at least `min` qualified people
(else the shortfall is *unfilled demand*, priced in its own tier so it always outranks soft goals) and
ideally `ideal` (each person below ideal costs `weight`)."""

from __future__ import annotations

import numpy as np

from models import Unfilled, Violation

from .base import Rule


class DemandCoverage(Rule):
    id = "demand_coverage"
    title = "Staffing demand per competence slot"
    source = "Bemanningsplan (unit input)"
    tier = "unfilled"
    scores = {"demand_ideal": "soft"}  # `weight` per person below a slot's ideal

    def add_to_model(self, ctx, st) -> None:
        model = ctx.model
        for i, req in enumerate(ctx.idx.requirements):
            lits = [v for s in req.members if (v := ctx.var(int(s), req.day, req.shift)) is not None]
            ideal_w = st.weight if req.ideal > req.min else 0
            if not lits:  # nobody could ever fill it
                ctx.penalize(self.id, st.unfilled_weight * req.min, None, "unfilled")
                ctx.penalize("demand_ideal", ideal_w * (req.ideal - req.min), None)
                continue
            cnt = sum(lits)
            # objective = U*short + w*(gap - short) with short = max(0, min-cnt), gap = max(0, ideal-cnt):
            # written as (U-w)*short + w*gap so every coefficient stays non-negative (a tighter LP bound)
            if req.min > 0:
                short = model.new_int_var(0, req.min, f"short_{i}")
                model.add_max_equality(short, [req.min - cnt, 0])
                ctx.penalize(self.id, st.unfilled_weight - ideal_w, short, "unfilled")
            if ideal_w:
                gap = model.new_int_var(0, req.ideal, f"gap_{i}")
                model.add_max_equality(gap, [req.ideal - cnt, 0])
                ctx.penalize("demand_ideal", ideal_w, gap)

    def counts(self, view) -> np.ndarray:
        """Qualified people on each requirement's shift, [R]."""
        if "demand_counts" not in view.memo:
            day, shift, members = view.idx.requirement_arrays
            view.memo["demand_counts"] = (
                (members & (view.shift[:, day].T == shift[:, None])).sum(axis=1)
                if len(day)
                else np.zeros(0, dtype=np.int64)
            )
        return view.memo["demand_counts"]

    @staticmethod
    def bounds(idx) -> tuple[np.ndarray, np.ndarray]:
        """Per requirement min and ideal head count, [R] each (once per instance)."""
        if "demand_bounds" not in idx.cache:
            idx.cache["demand_bounds"] = (
                np.array([r.min for r in idx.requirements], dtype=np.int64),
                np.array([r.ideal for r in idx.requirements], dtype=np.int64),
            )
        return idx.cache["demand_bounds"]

    def unfilled(self, view) -> list[Unfilled]:
        idx, reqs = view.idx, view.idx.requirements
        counts = self.counts(view)
        mins = self.bounds(idx)[0]
        out = []
        for r in np.nonzero(counts < mins)[0].tolist():
            req, c = reqs[r], int(counts[r])
            out.append(
                Unfilled(
                    date=idx.dates[req.day],
                    shift=idx.shift_codes[req.shift],
                    slot=req.label,
                    required=req.min,
                    assigned=c,
                    missing=req.min - c,
                )
            )
        return out

    def audit(self, view, st) -> list[Violation]:
        idx, reqs, out = view.idx, view.idx.requirements, []
        counts = self.counts(view)
        mins, ideals = self.bounds(idx)
        shorts = np.maximum(0, mins - counts)
        gaps = np.maximum(0, ideals - np.maximum(counts, mins)) if st.weight else np.zeros_like(shorts)
        if view.score_only:  # one priced total per rule instead of a record per requirement
            for rule, amounts, weight in ((self.id, shorts, st.unfilled_weight), ("demand_ideal", gaps, st.weight)):
                n = int(np.count_nonzero(amounts))
                if n:
                    total = view.violation(rule, st, None, [], penalty=int(weight * amounts.sum()))
                    out.append(total._replace(count=n))
            return out
        for r in np.nonzero((shorts > 0) | (gaps > 0))[0].tolist():
            req, c, short, gap = reqs[r], int(counts[r]), int(shorts[r]), int(gaps[r])
            code = idx.shift_codes[req.shift]
            if short:
                out.append(
                    view.violation(
                        self.id,
                        st,
                        None,
                        [req.day],
                        amount=short,
                        penalty=st.unfilled_weight * short,
                        detail=f"{code} {req.label}: {c}/{req.min}",
                    )
                )
            if gap:
                out.append(
                    view.violation(
                        "demand_ideal",
                        st,
                        None,
                        [req.day],
                        amount=gap,
                        penalty=st.weight * gap,
                        detail=f"{code} {req.label}: {c}/{req.ideal} ideal",
                    )
                )
        return out
