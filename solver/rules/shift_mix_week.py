"""No day-evening-night mix within one plan week: a person working more than `max_kinds` of the three kinds of
shift (day, evening, night) in one plan week costs `weight` for that week.

Why: a week that turns the sleep rhythm twice (days, then evenings, then nights) is what planners and sleep
research warn of; a two-shift rota (day and evening) is normal in Norwegian units, so the default `max_kinds` 2
prices only the three-way mix, and 1 prices any two. A shift's kind is its tag (night before evening before
day; models/shifts.py derives them); untagged shifts have none. Plan weeks start on `period.week_start`
(`Period.plan_weeks`); days of an edge week outside the period count as free. One group per person and week.
"""

from __future__ import annotations

import numpy as np

from models import Violation

from .base import Rule

KINDS = ("day", "evening", "night")


def shift_kind(idx) -> np.ndarray:
    """[T] 0 day, 1 evening, 2 night, -1 none (a night tag wins over evening, evening over day)."""
    return np.where(idx.night, 2, np.where(idx.evening, 1, np.where(idx.dayshift, 0, -1)))


def week_days(idx) -> list[list[int]]:
    """The period's days of each plan week (once per unit: `Index.shared`)."""
    key = "plan_week_days"
    if key not in idx.shared:
        idx.shared[key] = [[d for d in wk if 0 <= d < idx.D] for wk in idx.inst.period.plan_weeks()]
    weeks: list[list[int]] = idx.shared[key]
    return weeks


class ShiftMixWeek(Rule):
    id = "shift_mix_week"
    title = "No day-evening-night mix within one plan week"
    source = "Planner practice; sleep research (rotation) [C]"

    def add_to_model(self, ctx, st) -> None:
        idx = ctx.idx
        kind = shift_kind(idx)
        for w, days in enumerate(week_days(idx)):
            for s in range(idx.S):
                lits = []
                for k in range(len(KINDS)):
                    vs = [v for d in days for t, v in ctx.day_vars(s, d) if kind[t] == k]
                    if vs:
                        lits.append(ctx.any_of(("kind_week", s, w, k), vs))
                if len(lits) > st.max_kinds:
                    ctx.at_most(st, self.id, s, ctx.weighted(lits, [1] * len(lits)), st.max_kinds)

    def audit(self, view, st) -> list[Violation]:
        idx = view.idx
        kind = shift_kind(idx)
        k_on = np.where(view.on, kind[np.maximum(view.shift, 0)], -1)  # [S, D]
        worked = np.stack([k_on == k for k in range(len(KINDS))], axis=2)  # [S, D, 3]
        for s, d, t in view.extra:
            if kind[t] >= 0:
                worked[s, d, kind[t]] = True
        out = []
        for days in week_days(idx):
            if not days:
                continue
            have = np.asarray(worked[:, days].any(axis=1))  # [S, 3]
            for s in np.nonzero(have.sum(axis=1) > st.max_kinds)[0].tolist():
                names = "+".join(KINDS[k] for k in range(len(KINDS)) if have[s, k])
                out.append(view.violation(self.id, st, s, days, detail=f"{names} in one week"))
        return out
