"""An INRC-II static instance as a turnus `Instance`, and a turnus roster back as the competition's cells.

The mapping (issue 15): skills -> competences; cover (min, optimal) per shift x skill x day -> one demand slot
per skill with `min`/`ideal` (`exclusive_slots`: each assignment fills one skill slot, no "or better"); shift-off
requests -> avoid wishes of weight 10; contracts -> `Staff.limits` for the pattern rules (work_runs, off_runs,
total_assignments, complete_weekends, max_working_weekends) and shift types' run bounds -> `shift_runs`;
forbidden successions -> `forbidden_successions` (REQUIRED); the H0 border data -> `Instance.history`
(synthesised assignments that end exactly in the recorded runs). Every working-time rule INRC-II does not have
(rest hours, weekly rest, 54 h, contract hours, the Sunday rule, weekend frequency, ...) is switched OFF, not
bent; such an instance is a benchmark, not a lawful Norwegian unit (the legal-floor validation of `turnus
solve` would refuse it, `solver.solve` does not apply it).

Weights are the competition's: S1 30 (demand ideal), S2 30 per working day and 15 per same-shift day, S3 30,
S4 10, S5 30, S6 20, S7 30. Missing minimum cover (H2) is turnus's unfilled tier (10 000 per person).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from models import Assignment, Instance, Roster

from .evaluator import Cell
from .problem import Problem

START = dt.date(2029, 1, 1)  # a Monday; demand is given per date, so holidays do not move it
CLOCK = {
    "Early": ("06:00", "14:00"),
    "Day": ("09:00", "17:00"),
    "Late": ("14:00", "22:00"),
    "Night": ("22:00", "06:00"),
}

# rules the converted instance keeps on; every other rule is OFF
ACTIVE = (
    "demand_coverage",
    "wishes",
    "work_runs",
    "off_runs",
    "shift_runs",
    "complete_weekends",
    "max_working_weekends",
    "total_assignments",
    "forbidden_successions",
)


def _clock(name: str, k: int) -> tuple[str, str]:
    if name in CLOCK:
        return CLOCK[name]
    h = (6 + 4 * k) % 24  # unknown names: 8 h shifts spread over the day
    return f"{h:02d}:00", f"{(h + 8) % 24:02d}:00"


def _history(p: Problem) -> list[dict[str, Any]]:
    """Assignments before day 0 whose runs end exactly as the H0 border data say: the last `same_shift` days on
    the last shift type, the rest of the `working` days on another type (one the last may follow), an off day
    before; or `off` days off after one worked day."""
    out: list[dict[str, Any]] = []
    names = p.shift_names

    def day(k: int) -> str:  # k days before the start
        return (START - dt.timedelta(days=k)).isoformat()

    for n in p.nurses:
        h = p.history[n.name]
        if h.last_shift is not None and h.working > 0:
            same = max(1, min(h.same_shift, h.working))
            other = [s for s in names if s != h.last_shift and h.last_shift not in p.forbidden.get(s, ())]
            other_shift = (other or [s for s in names if s != h.last_shift] or [h.last_shift])[0]
            for k in range(1, h.working + 1):
                out.append({"staff": n.name, "date": day(k), "shift": h.last_shift if k <= same else other_shift})
        elif h.off > 0:
            out.append({"staff": n.name, "date": day(h.off + 1), "shift": names[0]})
    return out


def to_instance(p: Problem) -> Instance:
    staff = []
    for n in p.nurses:
        c, h = p.contract_of(n.name), p.history[n.name]
        wishes = [
            {
                "kind": "avoid",
                "date": (START + dt.timedelta(days=d)).isoformat(),
                "weight": 10,
                **({"shift": sh} if sh is not None else {}),
            }
            for nn, sh, d in p.off_requests()
            if nn == n.name
        ]
        staff.append(
            {
                "id": n.name,
                "group": "sykepleier",
                "position_pct": 100,
                "competences": [{"code": s} for s in n.skills],
                "wishes": wishes,
                "limits": {
                    "complete_weekends": c.complete_weekends,
                    "max_weekends": c.max_weekends,
                    "min_assignments": c.min_total,
                    "max_assignments": c.max_total,
                    "weekends_before": h.weekends,
                    "assignments_before": h.assignments,
                    "min_consecutive_work_days": c.min_work,
                    "max_consecutive_work_days": c.max_work,
                    "min_consecutive_days_off": c.min_off,
                    "max_consecutive_days_off": c.max_off,
                },
            }
        )
    shifts = []
    for k, s in enumerate(p.shifts):
        a, b = _clock(s.name, k)
        shifts.append({"code": s.name, "start": a, "end": b})
    demand = []
    for d in range(p.days):
        date = (START + dt.timedelta(days=d)).isoformat()
        for s in p.shift_names:
            slots = []
            for sk in p.skills:
                lo, opt = p.cover(d, s, sk)
                if opt > 0 or lo > 0:
                    slots.append({"id": sk, "competences": [sk], "or_better": False, "min": lo, "ideal": max(lo, opt)})
            if slots:
                demand.append({"shift": s, "dates": [date], "slots": slots})
    from models.rules import Rules

    rules: dict[str, Any] = {r: {"level": "OFF"} for r in Rules.model_fields if r not in ACTIVE}
    rules |= {
        "demand_coverage": {"weight": 30, "exclusive_slots": True},
        "wishes": {"level": "PREFERRED", "weight": 1},
        "work_runs": {"level": "PREFERRED", "weight": 30, "min_days": 1},
        "off_runs": {"level": "PREFERRED", "weight": 30, "min_days": 1},
        "shift_runs": {
            "level": "PREFERRED",
            "weight": 15,
            "closed_ends": False,  # FORMAT.md: a series at the border may go on
            "runs": [
                {"shifts": [s.name], "min_days": s.min_consecutive, "max_days": s.max_consecutive} for s in p.shifts
            ],
        },
        "complete_weekends": {"level": "PREFERRED", "weight": 30, "friday_night": False},
        "max_working_weekends": {"level": "PREFERRED", "weight": 30, "friday_night": False},
        "total_assignments": {"level": "PREFERRED", "weight": 20},
        "forbidden_successions": {
            "level": "REQUIRED",
            "pairs": [{"first": a, "then": list(b)} for a, b in p.forbidden.items() if b],
        },
    }
    data: dict[str, Any] = {
        "id": p.name,
        "name": f"INRC-II {p.name}",
        "period": {"start": START.isoformat(), "weeks": len(p.week_data)},
        "staff": staff,
        "shift_types": shifts,
        "demand": demand,
        "rules": rules,
        "history": _history(p),
    }
    return Instance.model_validate(data)


def roster_cells(p: Problem, inst: Instance, assignments: list[Assignment] | Roster) -> list[Cell]:
    """The competition's (nurse, day, shift, skill) cells of a roster: each assignment in the skill slot the best
    allocation gives it (the one the checker scores, solver/rules/demand_coverage.py), or the nurse's first skill
    where it fills none (a nurse above every cover of her skills)."""
    import numpy as np

    from solver.index import build_index
    from solver.rules.demand_coverage import allocate

    asg = assignments.assignments if isinstance(assignments, Roster) else assignments
    idx = build_index(inst)
    shift = np.full((idx.S, idx.D), -1, dtype=np.int64)
    for a in asg:
        shift[idx.staff_pos[a.staff], idx.date_pos[a.date]] = idx.shift_pos[a.shift]
    slot = allocate(idx, shift)[1]
    skills = {n.name: n.skills for n in p.nurses}
    out: list[Cell] = []
    for a in asg:
        s, d = idx.staff_pos[a.staff], idx.date_pos[a.date]
        r = int(slot[s, d])
        out.append((a.staff, d, a.shift, idx.requirements[r].label if r >= 0 else skills[a.staff][0]))
    return out
