"""At most one shift starts per person per date (en vakt per dag). Structural: always hard."""

from __future__ import annotations

from models import Violation

from .base import Rule


class OneShiftPerDay(Rule):
    id = "one_shift_per_day"
    title = "At most one shift per person per date"
    source = "Roster structure"
    section = None  # structural: always REQUIRED

    def add_to_model(self, ctx, st) -> None:
        for s in range(ctx.idx.S):
            for d in range(ctx.idx.D):
                lits = [v for _, v in ctx.day_vars(s, d)]
                if len(lits) > 1:
                    ctx.model.add_at_most_one(lits).with_name(f"{self.id}[{ctx.idx.staff_ids[s]},{d}]")

    def audit(self, view, st) -> list[Violation]:
        out = [
            view.violation(self.id, st, s, [d], detail=f"second shift {view.idx.shift_codes[t]}")
            for s, d, t in view.extra
        ]
        out += [view.violation(self.id, st, None, [], detail=f"unknown {what} {ref!r}") for what, ref in view.unknown]
        return out
