"""Contract hours (stillingsprosent × full-time week, KS HTA §4): planned hours over the period must match the
position within a tolerance (hard), and every minute away from the target costs `weight` (soft).

Whole days of absence reduce the target pro rata. Which full-time week applies (`mode: tariff`, the default) is read
per person from their own roster, as HTA §4 does:
- helkontinuerlig or comparable (pro rata ≥ 539 night hours and ≥ 231 Sunday/holiday hours a year): 33.6 h;
- tredelt (works at least every 3rd Sunday/holiday, has day, evening and night shifts, ≥ ¼ of the hours on day and
  evening shifts): 37.5 h where each Sunday/holiday hour counts 1 h 10 min and each night hour (21-06) 1 h 15 min,
  the actual week staying inside 33.6-35.5 h (HTA §4.2.4);
- turnus (at least every 3rd Sunday/holiday, or mainly night work): 35.5 h;
- otherwise (less than every 3rd Sunday): day work, 37.5 h.
"Every 3rd Sunday" counts the Sunday/holiday windows (models/calendar.py) the person could work at all.
`mode: fixed` uses `weekly_hours` for everyone; `mode: tredelt` the tredelt week for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models import Level, Violation

from .base import Rule
from .weekends import audit_flags, model_flags, sunday_spans

DAY_WORK, TURNUS, TREDELT_FULL = 37.5, 35.5, 37.5
TREDELT_MIN, TREDELT_MAX = 33.6, 35.5
HELKONTINUERLIG = 33.6
YEAR_NIGHT_H, YEAR_SUNDAY_H = 539, 231  # HTA §4.2.4: helkontinuerlig-comparable per year
MODES = ("day", "turnus", "tredelt", "helkontinuerlig")


def tredelt_extra(idx) -> np.ndarray:
    """[D, T] minutes a shift instance is credited beyond its work in the tredelt week (Sunday/holiday minutes × 1/6
    plus night minutes × 1/4, rounded per shift)."""
    return np.round((2 * idx.sunday_min + 3 * idx.night_at) / 12).astype(np.int64)


def sunday_available(idx) -> np.ndarray:
    """[S] Sunday/holiday windows each person could work at all (a shift they may work in the unit overlaps it,
    also on a sub-problem's index); computed once per index (every audit of a search reads it)."""
    if "sunday_available" not in idx.cache:
        out = np.zeros(idx.S, dtype=np.int64)
        could = idx.unit_allowed
        for _, a, b in sunday_spans(idx):
            insts = idx.overlapping(a, b)
            if insts:
                ds, ts = np.array(insts).T
                out += could[:, ds, ts].any(axis=1)
        idx.cache["sunday_available"] = out
    return idx.cache["sunday_available"]


@dataclass(frozen=True)
class Targets:
    """Per person, in minutes over the period: the full-time weeks' targets and the tredelt real-hour bounds."""

    day: np.ndarray
    turnus: np.ndarray
    tredelt_lo: np.ndarray
    tredelt_hi: np.ndarray
    hel: np.ndarray
    night_need: float  # night minutes over the period that make a rota helkontinuerlig-comparable
    sunday_need: float


def targets(idx, st) -> Targets:
    def r(weekly_hours: float) -> np.ndarray:
        return np.asarray(np.round(idx.target_minutes_all(weekly_hours)), dtype=np.int64)

    fixed = st.mode == "fixed"
    day = r(st.weekly_hours if fixed else DAY_WORK)
    turnus = r(st.weekly_hours if fixed else TURNUS)
    share = idx.D / 364
    return Targets(
        day,
        turnus,
        r(TREDELT_MIN),
        r(TREDELT_MAX),
        r(HELKONTINUERLIG),
        YEAR_NIGHT_H * 60 * share,
        YEAR_SUNDAY_H * 60 * share,
    )


def person_modes(view, st) -> np.ndarray:
    """[S] index into MODES of each person's full-time week, read from the roster (the audit's reading)."""
    idx = view.idx
    if st.mode == "fixed":
        return np.full(idx.S, MODES.index("turnus"))
    if st.mode == "tredelt":
        return np.full(idx.S, MODES.index("tredelt"))
    tg = targets(idx, st)
    on, sh = view.on, view.shift.clip(0)
    work = view.work.sum(axis=1)
    tag = lambda arr: (on & arr[sh]).any(axis=1)  # noqa: E731
    de = np.where(on & (idx.dayshift | idx.evening)[sh], view.work, 0).sum(axis=1)
    night_work = np.where(on & idx.night[sh], view.work, 0).sum(axis=1)
    night_min = view.per_day(idx.night_at).sum(axis=1)
    sunday_min = np.where(on, idx.sunday_min[np.arange(idx.D)[None, :], sh], 0).sum(axis=1)
    avail = sunday_available(idx)
    sundays = audit_flags(view, sunday_spans(idx)).sum(axis=1)
    sun_ok = (avail > 0) & (3 * sundays >= avail)
    three = tag(idx.dayshift) & tag(idx.evening) & tag(idx.night) & (4 * de >= work)
    hel = (night_min >= tg.night_need) & (sunday_min >= tg.sunday_need)
    mainly_night = 2 * night_work > work
    return np.where(hel, 3, np.where(sun_ok & three, 2, np.where(sun_ok | mainly_night, 1, 0)))


def planned(view, modes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """([S] credited minutes, [S] worked minutes) of each person under their mode."""
    idx = view.idx
    extra = np.where(view.on, tredelt_extra(idx)[np.arange(idx.D)[None, :], view.shift.clip(0)], 0).sum(axis=1)
    worked = view.work.sum(axis=1)
    return worked + np.where(modes == 2, extra, 0), worked


def target_of(tg: Targets, modes: np.ndarray) -> np.ndarray:
    return np.choose(modes, [tg.day, tg.turnus, tg.day, tg.hel])


def person_targets(view, st) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """([S] mode index into MODES, [S] target minutes, [S] credited minutes) as the audit reads the roster."""
    modes = person_modes(view, st)
    return modes, target_of(targets(view.idx, st), modes), planned(view, modes)[0]


class ContractHours(Rule):
    id = "contract_hours"
    title = "Planned hours match position % over the period"
    source = "KS HTA §4 (37.5 / 35.5 / 33.6-35.5 h by each person's rota)"
    scores = {"contract_deviation": "soft"}  # `weight` per minute away from the target

    def add_to_model(self, ctx, st) -> None:
        idx, model = ctx.idx, ctx.model
        tg = targets(idx, st)
        tol = round(st.tolerance_hours * 60)
        extra = tredelt_extra(idx)
        spans = sunday_spans(idx)
        avail = sunday_available(idx)
        sun_flags = model_flags(ctx, spans, "sun") if st.mode == "tariff" else {}
        for s in range(idx.S):
            terms = ctx.work_vars(s, range(idx.D))
            xs = [v for *_, v in terms]
            work = ctx.weighted(xs, [int(idx.work_at[d, t]) for d, t, _ in terms])
            top = int(sum(idx.work_at[d, t] + extra[d, t] for d, t, _ in terms))
            sundays = [sun_flags[s, k] for k in range(len(spans)) if (s, k) in sun_flags]
            m = self._modes(ctx, st, s, terms, work, tg, int(avail[s]), sundays)
            # credited minutes: the tredelt week adds its Sunday and night credit
            e = model.new_int_var(0, max(top, 0), f"contract_extra_{s}")
            model.add(e == ctx.weighted(xs, [int(extra[d, t]) for d, t, _ in terms])).only_enforce_if(m[2])
            model.add(e == 0).only_enforce_if(m[2].Not())
            target = sum(int(tgt[s]) * m[k] for k, tgt in enumerate((tg.day, tg.turnus, tg.day, tg.hel)))
            credited = work + e
            ctx.at_least(st, self.id, s, credited - target, -tol)
            ctx.at_most(st, self.id, s, credited - target, tol)
            # tredelt: the actual week stays inside 33.6-35.5 h (big-M off the tredelt week)
            big = top + int(tg.tredelt_hi[s]) + tol
            ctx.at_least(st, self.id, s, work - (int(tg.tredelt_lo[s]) - tol) * m[2], 0)
            ctx.at_most(st, self.id, s, work + big * m[2], int(tg.tredelt_hi[s]) + tol + big)
            if st.weight:
                dev = model.new_int_var(0, top + int(max(tg.day[s], tg.hel[s])), f"contract_dev_{s}")
                model.add_abs_equality(dev, credited - target)
                ctx.penalize("contract_deviation", st.weight, dev)

    @staticmethod
    def _modes(ctx, st, s, terms, work, tg: Targets, avail: int, sundays: list) -> list:
        """One literal per MODES entry, exactly one true: the person's full-time week as `person_modes` reads it."""
        model = ctx.model
        if st.mode != "tariff":
            fixed = 2 if st.mode == "tredelt" else 1
            return [model.new_constant(int(k == fixed)) for k in range(len(MODES))]
        idx = ctx.idx
        xs = [v for *_, v in terms]

        def reified(expr_ge0, name: str):
            b = model.new_bool_var(name)
            model.add(expr_ge0 >= 0).only_enforce_if(b)
            model.add(expr_ge0 <= -1).only_enforce_if(b.Not())
            return b

        def tagged(mask, name: str):
            return (
                ctx.any_of((name, s), [v for _, t, v in terms if mask[t]]) if any(mask[t] for _, t, _ in terms) else 0
            )

        work_at = idx.work_at
        de = ctx.weighted(xs, [int(work_at[d, t]) if (idx.dayshift[t] or idx.evening[t]) else 0 for d, t, _ in terms])
        night_w = ctx.weighted(xs, [int(work_at[d, t]) if idx.night[t] else 0 for d, t, _ in terms])
        night_m = ctx.weighted(xs, [int(idx.night_at[d, t]) for d, t, _ in terms])
        sun_m = ctx.weighted(xs, [int(idx.sunday_min[d, t]) for d, t, _ in terms])
        if avail > 0 and sundays:
            sun_ok = reified(3 * sum(sundays) - int(avail), f"ch_sun_{s}")
        else:
            sun_ok = model.new_constant(0)
        lits = [tagged(idx.dayshift, "ch_day"), tagged(idx.evening, "ch_eve"), tagged(idx.night, "ch_night")]
        quarter = reified(4 * de - work, f"ch_quarter_{s}")
        hel = model.new_bool_var(f"ch_hel_{s}")
        hel_n = reified(night_m - int(np.ceil(tg.night_need)), f"ch_heln_{s}")
        hel_s = reified(sun_m - int(np.ceil(tg.sunday_need)), f"ch_hels_{s}")
        model.add_bool_and([hel_n, hel_s]).only_enforce_if(hel)
        model.add_bool_or([hel_n.Not(), hel_s.Not()]).only_enforce_if(hel.Not())
        mainly_night = reified(2 * night_w - work - 1, f"ch_mnight_{s}")
        tre = model.new_bool_var(f"ch_tre_{s}")
        conds = [sun_ok, quarter, *lits]
        if any(isinstance(c, int) for c in conds):  # a shift kind the person never works: never tredelt
            model.add(tre == 0)
        else:
            model.add_bool_and([hel.Not(), *conds]).only_enforce_if(tre)
            model.add_bool_or([hel, *[c.Not() for c in conds]]).only_enforce_if(tre.Not())
        day = model.new_bool_var(f"ch_dayw_{s}")
        model.add_bool_and([hel.Not(), sun_ok.Not(), mainly_night.Not()]).only_enforce_if(day)
        model.add_bool_or([hel, sun_ok, mainly_night]).only_enforce_if(day.Not())
        turnus = model.new_bool_var(f"ch_turnus_{s}")
        model.add_exactly_one([day, turnus, tre, hel])
        return [day, turnus, tre, hel]

    def audit(self, view, st) -> list[Violation]:
        idx, out = view.idx, []
        tg = targets(idx, st)
        tol = round(st.tolerance_hours * 60)
        modes, tgt, credited = person_targets(view, st)
        worked = view.work.sum(axis=1)
        days: list[int] = []  # a whole-period rule: no particular dates
        for s in range(idx.S):
            c, w, g, mode = int(credited[s]), int(worked[s]), int(tgt[s]), MODES[modes[s]]
            if c < g - tol:
                out.append(
                    view.violation(self.id, st, s, days, detail=f"{c / 60:.1f} h < {(g - tol) / 60:.1f} h ({mode})")
                )
            if c > g + tol:
                out.append(
                    view.violation(self.id, st, s, days, detail=f"{c / 60:.1f} h > {(g + tol) / 60:.1f} h ({mode})")
                )
            if mode == "tredelt":
                if w < tg.tredelt_lo[s] - tol:
                    out.append(
                        view.violation(self.id, st, s, days, detail=f"worked {w / 60:.1f} h below tredelt floor")
                    )
                if w > tg.tredelt_hi[s] + tol:
                    out.append(
                        view.violation(self.id, st, s, days, detail=f"worked {w / 60:.1f} h above tredelt ceiling")
                    )
            dev = abs(c - g)
            if st.weight and dev:
                out.append(
                    view.violation(
                        "contract_deviation",
                        st,
                        s,
                        [],
                        amount=dev,
                        penalty=st.weight * dev,
                        detail=f"{dev:.0f} min from the {mode} target",
                        level=Level.PREFERRED,
                    )
                )
        return out
