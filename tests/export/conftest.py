"""A small unit over 17 May 2027 and a fixed hand-made roster for it (no solve: the exports are tested on
known cells)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from models import Assignment, Instance, Roster, validate_instance
from solver.checker import check

GROUPS = ["sykepleier"] * 3 + ["helsefagarbeider"] * 4 + ["assistent"]


def may_unit() -> dict[str, Any]:
    """8 staff, 2 weeks from Monday 10 May 2027 (17 May: Grunnlovsdag and Andre pinsedag, 16 May: Første
    pinsedag); s1 on ferie 12-14 May, s2 on a course 19 May, s3 sick 20 May; D/A/N demand 2/1/1 every day."""
    staff = [
        {"id": f"s{i + 1}", "name": f"Person {i + 1}", "group": g, "position_pct": 100 if i % 2 == 0 else 75}
        for i, g in enumerate(GROUPS)
    ]
    staff[0]["absences"] = [{"start_date": "2027-05-12", "end_date": "2027-05-14", "kind": "ferie"}]
    staff[1]["absences"] = [{"start_date": "2027-05-19", "kind": "kurs"}]
    staff[2]["absences"] = [{"start_date": "2027-05-20", "kind": "sick"}]
    return {
        "id": "mai unit",
        "name": "Mai-test",
        "period": {"start": "2027-05-10", "weeks": 2},
        "staff": staff,
        "shift_types": [
            {"code": "D", "name": "Dagvakt", "start": "07:30", "end": "15:00"},
            {"code": "A", "name": "Aftenvakt", "start": "14:30", "end": "22:00"},
            {"code": "N", "name": "Nattvakt", "start": "22:00", "end": "06:00"},
        ],
        "demand": [
            {"shift": "D", "slots": [{"min": 2}]},
            {"shift": "A", "slots": [{"min": 1}]},
            {"shift": "N", "slots": [{"min": 1}]},
        ],
    }


def fixed_assignments(inst: Instance) -> list[Assignment]:
    """s4, s5 on D and s6 on A on weekdays, s7 on N Monday-Thursday; s4's first D pinned. Weekends and the
    17 May day shift stay short, so there are unfilled slots on known dates."""
    out = []
    for day in inst.period.dates():
        if day.weekday() >= 5:
            continue
        if day != dt.date(2027, 5, 17):
            out.append(Assignment(staff="s4", date=day, shift="D", pinned=day == inst.period.start))
            out.append(Assignment(staff="s5", date=day, shift="D"))
        out.append(Assignment(staff="s6", date=day, shift="A"))
        if day.weekday() <= 3:
            out.append(Assignment(staff="s7", date=day, shift="N"))
    return out


@pytest.fixture
def unit() -> dict[str, Any]:
    return copy.deepcopy(may_unit())


@pytest.fixture
def inst(unit) -> Instance:
    return validate_instance(unit)[0]


@pytest.fixture
def roster(inst) -> Roster:
    return check(inst, fixed_assignments(inst))
