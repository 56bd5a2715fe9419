"""`turnus tasks-report`: tables, picture and JSON from a solved unit; oppgavedeling map."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from api.cli import app
from models.agreements import STATUTORY_RULES
from models.rules import Rules
from models.tasks import TaskAssignment
from solver.tasks.analysis import task_report

from .task_helpers import checked, nurse, person, task, unit

MATVERT = {"id": "m1", "group": "matvert", "position_pct": 100}


def _unit_and_roster():
    inst = unit([nurse("n1"), person("h1"), MATVERT],
                [task("frokost", "08:00", "09:00", 60, kind="meal", weekdays=["mon"]),
                 task("stell", "09:00", "10:00", 30, group="helsefagarbeider", weekdays=["mon"]),
                 task("lege", "10:00", "12:00", 120, group="sykepleier", weekdays=["mon"])])
    r = checked(inst, [("n1", 0, "D"), ("h1", 0, "D"), ("m1", 0, "D")],
                tasks=[("frokost", 0, "08:00", ["n1"]), ("stell", 0, "09:00", ["h1"]), ("lege", 0, "10:00", ["n1"])])
    return inst, r


def test_report_needed_vs_spent_and_moves():
    inst, r = _unit_and_roster()
    rep = task_report(inst, r)
    assert rep.needed_h["sykepleier"] == 2.0 and rep.spent_h["sykepleier"] == 3.0
    assert rep.needed_h["service (matvert/aktivitør)"] == 1.0 and rep.spent_h["service (matvert/aktivitør)"] == 0.0
    assert rep.needed_h["helsefagarbeider"] == 0.5
    (mv,) = rep.moves
    assert (mv["kind"], mv["from"], mv["to"], mv["hours"]) == ("meal", "sykepleier", "service (matvert/aktivitør)", 1.0)


def test_cli_writes_picture_and_json(tmp_path):
    inst, r = _unit_and_roster()
    # as a CLI input the unit keeps the statutory rules on (the legal floors); the roster was checked without them
    lawful = inst.rules.model_copy(update={r: getattr(Rules(), r) for r in STATUTORY_RULES})
    (tmp_path / "unit.json").write_text(inst.model_copy(update={"rules": lawful}).model_dump_json(), encoding="utf-8")
    (tmp_path / "roster.json").write_text(r.model_dump_json(), encoding="utf-8")
    res = CliRunner().invoke(app, ["tasks-report", str(tmp_path / "unit.json"), str(tmp_path / "roster.json"),
                                   "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "Oppgavedeling" in res.output
    for name in ("tasks_report.png", "tasks_report.svg", "tasks_report.json"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    data = json.loads((tmp_path / "out" / "tasks_report.json").read_text())
    assert data["oppgavedeling"][0]["to"].startswith("service")


def test_cli_unit_without_tasks_is_bad_input(tmp_path):
    inst = unit([person("h1")])
    (tmp_path / "u.json").write_text(inst.model_dump_json(), encoding="utf-8")
    (tmp_path / "r.json").write_text("{}", encoding="utf-8")
    res = CliRunner().invoke(app, ["tasks-report", str(tmp_path / "u.json"), str(tmp_path / "r.json")])
    assert res.exit_code == 2


def test_task_assignment_field_names_are_the_contract():
    ta = TaskAssignment(task="t", date="2027-01-04", start="08:00", staff=["a"])
    assert set(json.loads(ta.model_dump_json())) == {"task", "date", "start", "staff"}
