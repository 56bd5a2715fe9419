"""Tiny units for the scenario tests (hand-checkable: 4-6 staff, one week)."""

from __future__ import annotations

import copy

import pytest

MONDAY = "2027-01-04"

SHIFTS = [
    {"code": "D", "start": "07:30", "end": "15:00"},
    {"code": "A", "start": "14:30", "end": "22:00"},
    {"code": "N", "start": "21:45", "end": "07:45"},
]


def nurse(i: str, pct: float = 100, desired: float | None = None) -> dict:
    return {"id": i, "group": "sykepleier", "position_pct": pct, "desired_pct": desired,
            "competences": [{"code": "ansvarsvakt"}]}


def worker(i: str, group: str = "helsefagarbeider", pct: float = 50, desired: float | None = None) -> dict:
    return {"id": i, "group": group, "position_pct": pct, "desired_pct": desired}


def tiny_dict(**over) -> dict:
    """Mon-Wed demand: D needs an ansvarsvakt and 2 people, A needs 1 person. Rules relaxed to fit 1 week."""
    data = {
        "id": "tiny",
        "period": {"start": MONDAY, "weeks": 1},
        "staff": [nurse("n1", 100), worker("h1", pct=80), worker("h2", pct=50),
                  worker("a1", "assistent", pct=100)],
        "shift_types": copy.deepcopy(SHIFTS),
        "demand": [
            {"shift": "D", "dates": ["2027-01-04", "2027-01-05", "2027-01-06"],
             "slots": [{"id": "ansvarsvakt", "competences": ["ansvarsvakt"], "min": 1}, {"id": "total", "min": 2}]},
            {"shift": "A", "dates": ["2027-01-04", "2027-01-05", "2027-01-06"], "slots": [{"id": "total", "min": 1}]},
        ],
        "rules": {"contract_hours": {"level": "OFF"}},
    }
    data.update(over)
    return data


@pytest.fixture
def tiny() -> dict:
    return tiny_dict()


def solvable_dict() -> dict:
    """A unit the solver fills in well under a second: 6 staff, D and A every weekday, contract hours soft."""
    return {
        "id": "solvable",
        "period": {"start": MONDAY, "weeks": 1},
        "staff": [nurse("n1", 100), nurse("n2", 60, 80), worker("h1", pct=60, desired=90),
                  worker("h2", pct=40, desired=60), worker("h3", pct=40, desired=40),
                  worker("a1", "assistent", pct=20, desired=50)],
        "shift_types": copy.deepcopy(SHIFTS[:2]),
        "demand": [
            {"shift": "D", "weekdays": ["mon", "tue", "wed", "thu", "fri"],
             "slots": [{"id": "ansvarsvakt", "competences": ["ansvarsvakt"], "min": 1}, {"id": "total", "min": 3}]},
            {"shift": "A", "weekdays": ["mon", "tue", "wed", "thu", "fri"],
             "slots": [{"id": "ansvarsvakt", "competences": ["ansvarsvakt"], "min": 1}, {"id": "total", "min": 2}]},
        ],
        "rules": {"contract_hours": {"level": "PREFERRED", "tolerance_hours": 4}},
    }
