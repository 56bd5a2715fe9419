"""Scenario KPIs on top of the checker's roster KPIs: vacant hours, fairness spreads, and "den gode vakta".

A *shift* here is one demanded (date, shift type, ward): the people of that ward who work that shift type that
day. It is a **good shift** when all five hold (working definition, domain.md §4.2, see docs/scenarios.md):

1. competence mix met: every slot of the bemanningsplan reaches its minimum;
2. ansvarsvakt present: someone on it holds the `ansvarsvakt` competence where the bemanningsplan asks for
   one (setting `always`: on every shift);
3. lawful rest: everyone on it has at least the lawful daily rest (AML §10-8, or the agreed floor) before it
   and after it;
4. no sein-tidlig: nobody comes to it from a late shift, or leaves it for an early shift, with less than
   `quick_return.max_rest_hours` rest (evening → day next morning);
5. a continuity carrier (kontinuitetsbærer): someone on it also works the same kind of shift (day / evening /
   night; setting `same_shift`: the same shift code) the day before or the day after.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from models import Instance, Roster
from solver.index import Index, build_index
from solver.kpis import per_person, quick_returns_per_person
from solver.rules.daily_rest import MAX_GAP_DAYS
from solver.view import RosterView, build_view

from .spec import GoodShiftSettings

CRITERIA = ("competence", "ansvarsvakt", "rest", "no_quick_return", "continuity")
CRITERIA_TEXT = {
    "competence": "competence mix met",
    "ansvarsvakt": "ansvarsvakt present",
    "rest": "lawful rest before and after",
    "no_quick_return": "no sein-tidlig",
    "continuity": "continuity carrier on shift",
}

# the report's headline KPIs (kpis.json / kpis.csv keys; names are a public contract)
HEADLINE = (
    "heltidsandel",
    "mean_position_pct",
    "competence_met_share",
    "formal_competence_hours_share",
    "unfilled_slots",
    "weekend_frequency",
    "good_shift_share",
)
# +1: higher is better, -1: lower is better
DIRECTION = {
    "heltidsandel": 1,
    "mean_position_pct": 1,
    "competence_met_share": 1,
    "formal_competence_hours_share": 1,
    "unfilled_slots": -1,
    "vacant_shifts": -1,
    "vacant_hours": -1,
    "weekend_frequency": 1,
    "good_shift_share": 1,
    "distinct_carers_per_user_14d": -1,
    "quick_returns": -1,
    "nights_per_person_sd": -1,
    "weekends_per_person_sd": -1,
    "quick_returns_per_person_sd": -1,
    "hard_violations": -1,
    "nurse_hours_share": 1,
    "planned_hours": 0,
    "staff_full_time": 1,
}


@dataclass
class ShiftJudgement:
    date: str
    shift: str
    unit: str | None
    staff: list[str]
    checks: dict[str, bool]

    @property
    def good(self) -> bool:
        return all(self.checks.values())


def shift_kind(idx: Index, t: int) -> str:
    return "night" if idx.night[t] else "evening" if idx.evening[t] else "day"


def _groups(idx: Index) -> dict[tuple[int, int, str | None], list]:
    """(day, shift, ward) -> [(Requirement, Slot)], in the order the index built its requirements."""
    out: dict[tuple[int, int, str | None], list] = defaultdict(list)
    reqs = iter(idx.requirements)
    for dem in idx.inst.demand:
        t = idx.shift_pos.get(dem.shift)
        if t is None:
            continue
        for d, day in enumerate(idx.dates):
            if not dem.applies(day):
                continue
            for slot in dem.slots:
                r = next(reqs)
                out[d, t, dem.unit].append((r, slot))
    return out


def judge_shifts(view: RosterView, settings: GoodShiftSettings | None = None) -> list[ShiftJudgement]:
    """One judgement per demanded (date, shift, ward), in date then shift order."""
    settings = settings or GoodShiftSettings()
    idx, inst = view.idx, view.idx.inst
    rules = inst.rules
    rest_min = rules.daily_rest.hard_min_minutes if rules.daily_rest.active else 0
    qr_min = round(rules.quick_return.max_rest_hours * 60)
    units = [s.unit for s in inst.staff]
    kinds = [shift_kind(idx, t) for t in range(idx.T)]
    sh = view.shift
    out = []
    for (d, t, unit), items in sorted(_groups(idx).items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        on = [s for s in np.nonzero(sh[:, d] == t)[0].tolist() if unit is None or units[s] == unit]
        day = idx.dates[d]
        checks: dict[str, bool] = {}
        checks["competence"] = all(int((sh[r.members, d] == t).sum()) >= r.min for r, _ in items)
        asks = any(settings.ansvarsvakt_competence in slot.competences and slot.min > 0 for _, slot in items)
        has = any(inst.staff[s].has_competence(settings.ansvarsvakt_competence, day) for s in on)
        checks["ansvarsvakt"] = has or (settings.ansvarsvakt == "when_demanded" and not asks)
        rest_ok, qr_ok, carrier = True, True, False
        for s in on:
            start, end = int(view.start_abs[s, d]), int(view.end_abs[s, d])
            for k in range(1, MAX_GAP_DAYS + 1):
                if d - k >= 0 and sh[s, d - k] >= 0 and start - int(view.end_abs[s, d - k]) < rest_min:
                    rest_ok = False
                if d + k < idx.D and sh[s, d + k] >= 0 and int(view.start_abs[s, d + k]) - end < rest_min:
                    rest_ok = False
            if (
                d >= 1
                and sh[s, d - 1] >= 0
                and idx.evening[sh[s, d - 1]]
                and idx.dayshift[t]
                and start - int(view.end_abs[s, d - 1]) < qr_min
            ):
                qr_ok = False
            if (
                d + 1 < idx.D
                and sh[s, d + 1] >= 0
                and idx.evening[t]
                and idx.dayshift[sh[s, d + 1]]
                and int(view.start_abs[s, d + 1]) - end < qr_min
            ):
                qr_ok = False
            for k in (-1, 1):
                if 0 <= d + k < idx.D and sh[s, d + k] >= 0:
                    other = int(sh[s, d + k])
                    if (other == t) if settings.continuity == "same_shift" else (kinds[other] == kinds[t]):
                        carrier = True
        checks["rest"] = rest_ok
        checks["no_quick_return"] = qr_ok
        checks["continuity"] = carrier
        out.append(ShiftJudgement(day.isoformat(), idx.shift_codes[t], unit, [idx.staff_ids[s] for s in on], checks))
    return out


def vacant(view: RosterView) -> tuple[int, float]:
    """Vacant person-shifts and their hours: per demanded (date, shift, ward) the largest shortfall of any slot
    (one extra qualified person can close several slots of one shift at once)."""
    idx = view.idx
    shifts, hours = 0, 0.0
    for (d, t, _), items in _groups(idx).items():
        miss = max((max(0, r.min - int((view.shift[r.members, d] == t).sum())) for r, _ in items), default=0)
        shifts += miss
        hours += miss * float(idx.work_at[d, t]) / 60.0
    return shifts, round(hours, 2)


def scenario_kpis(
    inst: Instance, roster: Roster, settings: GoodShiftSettings | None = None, idx: Index | None = None
) -> tuple[dict[str, float], list[ShiftJudgement]]:
    """KPIs of one checked roster: the checker's KPIs (unchanged) plus the scenario KPIs."""
    idx = idx or build_index(inst)
    view = build_view(idx, roster.assignments)
    out: dict[str, float] = dict(roster.kpis)
    judged = judge_shifts(view, settings)
    n = len(judged)
    out["good_shift_share"] = round(sum(j.good for j in judged) / n, 4) if n else 1.0
    for c in CRITERIA:
        out[f"good_shift_{c}_share"] = round(sum(j.checks[c] for j in judged) / n, 4) if n else 1.0
    out["vacant_shifts"], out["vacant_hours"] = vacant(view)
    pp = per_person(view)
    pp["quick_returns"] = quick_returns_per_person(view)
    for key in ("nights", "weekends", "quick_returns"):
        arr = pp[key].astype(float)
        # the checker's own values win where it already reports the key
        out.setdefault(f"{key}_per_person_mean", round(float(arr.mean()), 3) if len(arr) else 0.0)
        out.setdefault(f"{key}_per_person_sd", round(float(arr.std()), 3) if len(arr) else 0.0)
        out.setdefault(f"{key}_per_person_max", float(arr.max()) if len(arr) else 0.0)
    out["staff_full_time"] = float(int((idx.position_pct >= 100).sum()))
    out["hard_violations"] = float(sum(1 for v in roster.violations if v.level == "REQUIRED"))
    return out, judged


def weekend_arithmetic(inst: Instance, every_n: int, idx: Index | None = None) -> dict[str, float]:
    """Domain brief §2.2: if a weekend needs W people and everyone works every N-th weekend, the rota needs at
    least N·W people; the demanded hours spread over them give the average position the unit can offer.

    W is the largest number of people any weekend day of the period needs (per demanded shift, the largest slot
    minimum, summed over the day's shifts); the demanded hours are those people × shift hours over the period."""
    idx = idx or build_index(inst)
    per_day = np.zeros(idx.D)
    hours = 0.0
    for (d, t, _), items in _groups(idx).items():
        people = max((r.min for r, _ in items), default=0)
        per_day[d] += people
        hours += people * float(idx.work_at[d, t]) / 60.0
    weekend = [per_day[d] for d in range(idx.D) if idx.weekday[d] >= 5]
    w = float(max(weekend)) if weekend else 0.0
    need = every_n * w
    full = inst.rules.contract_hours.weekly_hours * idx.D / 7.0
    return {
        "weekend_people_per_day": w,
        "weekend_people_needed": need,
        "demand_hours": round(hours, 1),
        "implied_mean_position_pct": round(100.0 * hours / (need * full), 1) if need else 0.0,
    }
