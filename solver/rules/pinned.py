"""Pinned assignments (låste vakter) stay exactly as given: published, agreed or already worked shifts."""

from __future__ import annotations

from models import InstanceError, Problem, Violation

from .base import Rule


class Pinned(Rule):
    id = "pinned"
    title = "Pinned assignments are kept"
    source = "Planner input"
    section = None  # structural: always REQUIRED

    def add_to_model(self, ctx, st) -> None:
        idx, bad = ctx.idx, []
        for i, a in enumerate(ctx.inst.pinned):
            s, d, t = idx.staff_pos[a.staff], idx.date_pos[a.date], idx.shift_pos[a.shift]
            var = ctx.var(s, d, t)
            if var is None:
                bad.append(
                    Problem(
                        code="pinned_not_allowed",
                        loc=f"pinned[{i}]",
                        message=f"pinned shift {a.shift} on {a.date} is not allowed for this person "
                        "(absence, allowed shifts or long-shift opt-in)",
                    )
                )
                continue
            ctx.fix(self.id, s, var, 1)
        if bad:
            raise InstanceError(bad)

    def audit(self, view, st) -> list[Violation]:
        idx, out = view.idx, []
        for a in idx.inst.pinned:
            s, d, t = idx.staff_pos.get(a.staff), idx.date_pos.get(a.date), idx.shift_pos.get(a.shift)
            if s is None or d is None or t is None:
                continue
            if view.shift[s, d] != t and (s, d, t) not in view.extra:
                out.append(view.violation(self.id, st, s, [d], detail=f"pinned {a.shift} missing"))
        return out
