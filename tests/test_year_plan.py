"""Year plans (årsturnus, issue 14): periods up to 53 weeks, and generated year units with everyone's ferie."""

from __future__ import annotations

import datetime as dt

import pytest

from models import InstanceError, validate_instance
from models.generate import generate_dict


@pytest.fixture(scope="module")
def year() -> dict:
    return generate_dict("medium", 52, 1)


def test_a_year_plan_validates(year):
    inst = validate_instance(year)[0]
    assert inst.period.weeks == 52 and inst.period.days == 364


def test_53_weeks_is_the_limit(year):
    data = {**year, "period": {**year["period"], "weeks": 53}}
    assert validate_instance(data)[0].period.days == 371
    data["period"]["weeks"] = 54
    with pytest.raises(InstanceError):
        validate_instance(data)


def test_everyone_has_five_weeks_of_ferie_three_of_them_in_the_summer(year):
    starts_of_summer = set()
    for person in year["staff"]:
        weeks = sorted(dt.date.fromisoformat(a["start_date"]) for a in person["absences"] if a["kind"] == "ferie")
        assert len(weeks) == 5
        for a in person["absences"]:
            first, last = dt.date.fromisoformat(a["start_date"]), dt.date.fromisoformat(a["end_date"])
            assert first.weekday() == 0 and (last - first).days == 6  # Monday to Sunday
        assert len(set(weeks)) == 5  # no week twice
        summer = [w for w in weeks if dt.date(w.year, 6, 1) <= w <= dt.date(w.year, 9, 30)]
        runs = [w for w in summer if w + dt.timedelta(days=7) in summer and w + dt.timedelta(days=14) in summer]
        assert runs, f"no three summer weeks in a row: {weeks}"  # ferieloven §7: the main holiday
        starts_of_summer.add(runs[0])
    assert len(starts_of_summer) >= 4  # staggered over the summer, so the unit stays staffed


def test_short_units_keep_their_draws():
    """A year plan's ferie comes from its own draws: a 6-week unit is generated as before (one week of ferie for
    some people, wishes unchanged), so earlier benchmark figures stay comparable."""
    six = generate_dict("medium", 6, 1)
    assert sum(len(p["absences"]) for p in six["staff"]) < len(six["staff"])
    assert generate_dict("medium", 6, 1) == six
