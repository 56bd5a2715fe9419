"""A roster naming an unknown staff id, an unknown shift or a date outside the period is bad input (issue 13,
item 8): `turnus check` exits 2 with one coded line each, all at once, and the service's score answers 422 with the
same codes. A roster that only breaks rules still exits 1 (a violation, not bad input)."""

from __future__ import annotations

import json

import pytest
from helpers import day, tiny_dict
from typer.testing import CliRunner

from api.cli import app
from models import validate_instance
from models.validation import roster_problems

runner = CliRunner()


def write(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def assignment(staff: str, offset: int, shift: str) -> dict:
    return {"staff": staff, "date": day(offset).isoformat(), "shift": shift}


BAD = [
    assignment("p1", 0, "D"),
    assignment("ghost", 1, "D"),  # unknown staff
    assignment("p1", 9, "D"),  # one week from 2027-01-04: outside the period
    assignment("p1", 2, "Q"),  # unknown shift
    assignment("nobody", -3, "D"),  # both at once
]
EXPECTED = [
    ("unknown_staff", "assignments[1].staff"),
    ("date_outside_period", "assignments[2].date"),
    ("unknown_shift", "assignments[3].shift"),
    ("unknown_staff", "assignments[4].staff"),
    ("date_outside_period", "assignments[4].date"),
]


@pytest.fixture
def unit(tmp_path) -> str:
    return write(tmp_path / "unit.json", tiny_dict(1, shifts=("D", "A")))


def test_cli_check_exits_2_with_every_bad_assignment_at_once(unit, tmp_path):
    r = runner.invoke(app, ["check", unit, write(tmp_path / "r.json", {"assignments": BAD})])
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert [(ln.split()[1], ln.split()[3].rstrip(":")) for ln in lines] == EXPECTED
    assert all(ln.startswith("error ") for ln in lines)
    assert "2027-01-13 is outside the period 2027-01-04 – 2027-01-10" in r.stderr
    assert "Score per rule" not in r.stdout and "Traceback" not in r.output


def test_cli_check_json_also_exits_2_and_prints_no_roster(unit, tmp_path):
    r = runner.invoke(app, ["check", "--json", unit, write(tmp_path / "r.json", {"assignments": BAD[:2]})])
    assert r.exit_code == 2 and r.stdout == ""
    assert [ln.split()[1] for ln in r.stderr.splitlines() if ln.strip()] == ["unknown_staff"]


def test_known_staff_inside_the_period_is_checked_not_refused(unit, tmp_path):
    ok = [assignment("p1", 0, "D"), assignment("p1", 1, "A")]
    assert runner.invoke(app, ["check", unit, write(tmp_path / "ok.json", {"assignments": ok})]).exit_code == 0
    # two shifts on one day is a broken rule (one_shift_per_day), not bad input: exit 1
    twice = [assignment("p1", 0, "D"), assignment("p1", 0, "A")]
    r = runner.invoke(app, ["check", unit, write(tmp_path / "two.json", {"assignments": twice})])
    assert r.exit_code == 1 and "one_shift_per_day" in r.stdout


def test_roster_problems_at_the_period_edges():
    inst, _ = validate_instance(tiny_dict(1, shifts=("D",)))
    from models import Roster

    edges = Roster.model_validate({"assignments": [assignment("p1", 0, "D"), assignment("p1", 6, "D")]})
    assert roster_problems(inst, edges) == []
    outside = Roster.model_validate({"assignments": [assignment("p1", -1, "D"), assignment("p1", 7, "D")]})
    assert [(p.code, p.loc) for p in roster_problems(inst, outside)] == [
        ("date_outside_period", "assignments[0].date"),
        ("date_outside_period", "assignments[1].date"),
    ]


def test_service_score_answers_422_with_the_same_codes(tmp_path):
    from fastapi.testclient import TestClient

    from api.service import Settings, create_app

    data = {**tiny_dict(1, shifts=("D", "A")), "assignments": BAD}
    settings = Settings(data_dir=tmp_path, api_keys=["k"], max_concurrent=1, poll_interval_s=0.05)
    with TestClient(create_app(settings), headers={"X-API-Key": "k"}) as client:
        resp = client.post("/v1/rosters?operation=score", json={"input": data})
        assert resp.status_code == 422, resp.text
        assert resp.headers["content-type"].startswith("application/problem+json")
        got = [(e["code"], e["loc"]) for e in resp.json()["errors"]]
        assert got == [(code, f"input.{loc}") for code, loc in EXPECTED]
        ok = {**data, "assignments": BAD[:1]}
        assert client.post("/v1/rosters?operation=score", json={"input": ok}).status_code == 201
