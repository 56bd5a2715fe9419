"""Contract hours (stillingsprosent × full-time week, KS HTA §4): planned hours over the period must match the
position within a tolerance (hard), and every minute away from the target costs `weight` (soft).

Whole days of absence reduce the target pro rata. In `tredelt` mode full time is 37.5 h where Sunday hours
count 1 h 10 min and night hours (21-06) 1 h 15 min, so minutes are credited in twelfths:
12·work + 2·Sunday + 3·night, and the actual week must stay inside 33.6-35.5 h (HTA §4.2.4).
"""

from __future__ import annotations

import numpy as np

from models import Level, Violation

from .base import Rule

TREDELT_FULL = 37.5
TREDELT_MIN, TREDELT_MAX = 33.6, 35.5


def credit_units(idx, tredelt: bool) -> np.ndarray:
    """[D, T] credited units of each shift instance (minutes, or twelfths of a minute in tredelt mode)."""
    base = np.broadcast_to(idx.work[None, :], (idx.D, idx.T))
    if not tredelt:
        return base.astype(np.int64)
    return (12 * base + 2 * idx.sunday_min + 3 * idx.night_min[None, :]).astype(np.int64)


def targets(idx, st) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """Per person: target credited units, lowest and highest allowed, plus worked-minute bounds (tredelt)."""
    tredelt = st.mode == "tredelt"
    scale = 12 if tredelt else 1
    full = TREDELT_FULL if tredelt else st.weekly_hours
    tol = round(st.tolerance_hours * 60) * scale
    tgt = np.round(idx.target_minutes_all(full) * scale).astype(np.int64)
    worked_bounds: list[tuple[int, int]] = []
    if tredelt:
        tol_min = round(st.tolerance_hours * 60)
        lo = np.maximum(0, np.round(idx.target_minutes_all(TREDELT_MIN)).astype(np.int64) - tol_min)
        hi = np.round(idx.target_minutes_all(TREDELT_MAX)).astype(np.int64) + tol_min
        worked_bounds = list(zip(lo.tolist(), hi.tolist(), strict=True))
    return tgt, np.maximum(tgt - tol, 0), tgt + tol, worked_bounds


class ContractHours(Rule):
    id = "contract_hours"
    title = "Planned hours match position % over the period"
    source = "KS HTA §4 (35.5 h; 33.6-35.5 h tredelt)"
    scores = {"contract_deviation": "soft"}  # `weight` per minute away from the target

    def add_to_model(self, ctx, st) -> None:
        idx, model = ctx.idx, ctx.model
        units = credit_units(idx, st.mode == "tredelt")
        tgt, lo, hi, worked = targets(idx, st)
        for s in range(idx.S):
            terms = ctx.work_vars(s, range(idx.D))
            credited = ctx.weighted([v for _, _, v in terms], [int(units[d, t]) for d, t, _ in terms])
            ctx.at_least(st, self.id, s, credited, int(lo[s]))
            ctx.at_most(st, self.id, s, credited, int(hi[s]))
            if worked:
                minutes = ctx.weighted([v for _, _, v in terms], [int(idx.work[t]) for _, t, _ in terms])
                ctx.at_least(st, self.id, s, minutes, worked[s][0])
                ctx.at_most(st, self.id, s, minutes, worked[s][1])
            if st.weight:
                top = int(sum(units[d, t] for d, t, _ in terms)) + int(tgt[s])
                dev = model.new_int_var(0, top, f"contract_dev_{s}")
                model.add_abs_equality(dev, credited - int(tgt[s]))
                ctx.penalize("contract_deviation", st.weight, dev)

    def audit(self, view, st) -> list[Violation]:
        idx, out = view.idx, []
        tredelt = st.mode == "tredelt"
        units = credit_units(idx, tredelt)
        credited = np.where(view.on, units[np.arange(idx.D)[None, :], view.shift.clip(0)], 0).sum(axis=1)
        worked_min = view.work.sum(axis=1)
        tgt, lo, hi, worked = targets(idx, st)
        scale = 12 if tredelt else 1
        days: list[int] = []  # a whole-period rule: no particular dates
        dev_all = np.abs(credited - tgt)
        suspects = (credited < lo) | (credited > hi) | (dev_all > 0)
        if worked:
            wl, wh = np.array(worked).T
            suspects |= (worked_min < wl) | (worked_min > wh)
        for s in np.nonzero(suspects)[0].tolist():
            c = int(credited[s])
            if c < lo[s]:
                out.append(
                    view.violation(self.id, st, s, days, detail=f"{c / scale / 60:.1f} h < {lo[s] / scale / 60:.1f} h")
                )
            if c > hi[s]:
                out.append(
                    view.violation(self.id, st, s, days, detail=f"{c / scale / 60:.1f} h > {hi[s] / scale / 60:.1f} h")
                )
            if worked:
                w = int(worked_min[s])
                if w < worked[s][0]:
                    out.append(
                        view.violation(self.id, st, s, days, detail=f"worked {w / 60:.1f} h below tredelt floor")
                    )
                if w > worked[s][1]:
                    out.append(
                        view.violation(self.id, st, s, days, detail=f"worked {w / 60:.1f} h above tredelt ceiling")
                    )
            dev = abs(c - int(tgt[s]))
            if st.weight and dev:
                out.append(
                    view.violation(
                        "contract_deviation",
                        st,
                        s,
                        [],
                        amount=dev,
                        penalty=st.weight * dev,
                        detail=f"{dev / scale:.0f} min from target",
                        level=Level.PREFERRED,
                    )
                )
        return out
