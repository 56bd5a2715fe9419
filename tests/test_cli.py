"""The `turnus` CLI through typer's CliRunner: exit codes 0/1/2, schema, generate, solve."""

from __future__ import annotations

import json

import pytest
from helpers import asg, person, tiny_dict
from typer.testing import CliRunner

from api.cli import app
from models import Instance, Roster, validate_instance
from solver import check as check_roster

runner = CliRunner()


def write(path, data) -> str:
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    return str(path)


def roster_json(cells) -> dict:
    return {"assignments": [a.model_dump(mode="json") for a in asg(cells)]}


@pytest.fixture
def unit(tmp_path):
    return write(tmp_path / "unit.json", tiny_dict(1, shifts=("D", "M", "A"), active=["daily_rest"]))


def test_check_lawful_roster_exits_0(unit, tmp_path):
    r = runner.invoke(app, ["check", unit, write(tmp_path / "r.json", roster_json([("p1", 0, "A"), ("p1", 1, "M")]))])
    assert r.exit_code == 0, r.output
    assert "Score per rule" in r.output


def test_check_violations_exit_1_and_are_listed(unit, tmp_path):
    r = runner.invoke(app, ["check", unit, write(tmp_path / "r.json", roster_json([("p1", 0, "A"), ("p1", 1, "D")]))])
    assert r.exit_code == 1, r.output
    assert "daily_rest" in r.output and "staff=p1" in r.output and "2027-01-04,2027-01-05" in r.output


def test_check_json_output(unit, tmp_path):
    r = runner.invoke(
        app, ["check", "--json", unit, write(tmp_path / "r.json", roster_json([("p1", 0, "A"), ("p1", 1, "D")]))]
    )
    assert r.exit_code == 1
    out = Roster.model_validate_json(r.stdout)
    # A 14:30-22:00 then D 07:30-15:00: 8.5 h rest, and 14.5 h of work in the 24 h from 14:30 (AML §10-5(2))
    assert [v.rule for v in out.violations] == ["daily_rest", "max_daily_hours"] and out.score.hard == 2_000_000


def test_check_bad_instance_exits_2_one_line_per_problem(tmp_path):
    data = tiny_dict(
        [person("p1"), person("p2", "assistent")],
        shifts=("D",),
        demand=[{"shift": "D", "slots": [{"group": "sykepleier", "or_better": False, "min": 1}]}],
        pinned=[("ghost", 0, "D"), ("p1", 30, "D")],
    )
    r = runner.invoke(app, ["check", write(tmp_path / "i.json", data), write(tmp_path / "r.json", roster_json([]))])
    assert r.exit_code == 2
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert [ln.split()[1] for ln in lines] == ["competence_unavailable", "unknown_staff", "date_outside_period"]
    assert all(ln.startswith("error ") for ln in lines)
    assert "Traceback" not in r.output


def test_check_field_errors_exit_2(tmp_path):
    data = tiny_dict([person("p1", pct=-5)], shifts=({"code": "Z", "start": "08:00", "end": "08:00"},))
    data["colour"] = "red"
    r = runner.invoke(app, ["check", write(tmp_path / "i.json", data), write(tmp_path / "r.json", roster_json([]))])
    assert r.exit_code == 2
    codes = sorted(ln.split()[1] for ln in r.stderr.splitlines() if ln.strip())
    assert codes == ["out_of_range", "shift_zero_length", "unknown_field"]
    assert "Traceback" not in r.output


def test_check_malformed_json_exits_2(unit, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = runner.invoke(app, ["check", str(bad), str(bad)])
    assert r.exit_code == 2 and r.stderr.startswith("error malformed_json")
    r = runner.invoke(app, ["check", unit, str(bad)])
    assert r.exit_code == 2 and "malformed_json" in r.stderr
    r = runner.invoke(app, ["check", unit, str(tmp_path / "missing.json")])
    assert r.exit_code == 2 and "file_unreadable" in r.stderr
    assert "Traceback" not in r.output


def test_check_roster_with_unknown_field_exits_2(unit, tmp_path):
    r = runner.invoke(
        app,
        [
            "check",
            unit,
            write(
                tmp_path / "r.json", {"assignments": [{"staff": "p1", "date": "2027-01-04", "shift": "D", "colour": 1}]}
            ),
        ],
    )
    assert r.exit_code == 2 and "unknown_field" in r.stderr


@pytest.mark.parametrize("what,model", [("instance", Instance), ("roster", Roster)])
def test_schema_prints_json(what, model):
    r = runner.invoke(app, ["schema", what])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert schema["title"] == model.__name__ and "properties" in schema


def test_schema_unknown_exits_2():
    r = runner.invoke(app, ["schema", "nope"])
    assert r.exit_code == 2 and "unknown_schema" in r.stderr


def test_generate_writes_a_valid_instance(tmp_path):
    out = tmp_path / "small.json"
    r = runner.invoke(app, ["generate", "--size", "small", "--weeks", "2", "--seed", "1", "-o", str(out)])
    assert r.exit_code == 0, r.output
    inst, _ = validate_instance(json.loads(out.read_text(encoding="utf-8")))
    assert inst.period.weeks == 2 and 8 <= len(inst.staff) <= 20 and inst.demand
    # seeded: the same file again
    again = tmp_path / "again.json"
    runner.invoke(app, ["generate", "--size", "small", "--weeks", "2", "--seed", "1", "-o", str(again)])
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_generate_bad_size_exits_2(tmp_path):
    r = runner.invoke(app, ["generate", "--size", "huge", "-o", str(tmp_path / "x.json")])
    assert r.exit_code == 2 and "invalid_value" in r.stderr


def test_solve_small_generated_unit_is_lawful(tmp_path):
    unit = tmp_path / "small.json"
    assert (
        runner.invoke(app, ["generate", "--size", "small", "--weeks", "2", "--seed", "1", "-o", str(unit)]).exit_code
        == 0
    )
    out = tmp_path / "roster.json"
    r = runner.invoke(
        app, ["solve", str(unit), "-o", str(out), "--time-limit", "3", "--workers", "1", "--seed", "0", "--quiet"]
    )
    assert r.exit_code == 0, r.output
    roster = Roster.model_validate_json(out.read_text(encoding="utf-8"))
    inst, _ = validate_instance(json.loads(unit.read_text(encoding="utf-8")))
    checked = check_roster(inst, roster.assignments)
    assert checked.lawful, [v for v in checked.violations if v.level == "REQUIRED"][:5]
    assert roster.solve is not None and roster.solve.objective == checked.score.total
    # and `check` agrees
    r = runner.invoke(app, ["check", str(unit), str(out)])
    assert r.exit_code == 0, r.output


def test_solve_bad_input_exits_2(tmp_path):
    data = tiny_dict(1, pinned=[("ghost", 0, "D")])
    r = runner.invoke(app, ["solve", write(tmp_path / "i.json", data), "-o", str(tmp_path / "r.json")])
    assert r.exit_code == 2 and "unknown_staff" in r.stderr and "Traceback" not in r.output


def test_solve_pin_the_person_cannot_work_exits_2(tmp_path):
    data = tiny_dict([person("p1", absences=[{"start_date": "2027-01-06"}])], shifts=("D",), pinned=[("p1", 2, "D")])
    r = runner.invoke(app, ["solve", write(tmp_path / "i.json", data), "-o", str(tmp_path / "r.json")])
    assert r.exit_code == 2 and "pinned_not_allowed" in r.stderr
    assert "Traceback" not in r.output


# ---------------------------------------------------------------- bad input: one coded line, exit 2 (issue 18)
def _one_line(r, code):
    assert r.exit_code == 2, r.output
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert lines and all(ln.startswith("error ") for ln in lines), r.stderr
    assert code in lines[0], lines
    assert "Traceback" not in r.output


def test_binary_and_latin1_files_exit_2(unit, tmp_path):
    for name, raw in (("bin.json", b"\x00\xff\xfe\x01"), ("latin.json", '{"id": "Bjørn"}'.encode("latin-1"))):
        path = tmp_path / name
        path.write_bytes(raw)
        _one_line(runner.invoke(app, ["check", str(path), unit]), "malformed_json")
        _one_line(runner.invoke(app, ["check", unit, str(path)]), "malformed_json")


def test_deep_json_and_huge_integer_exit_2(unit, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _one_line(runner.invoke(app, ["check", str(deep), unit]), "too_deep")
    nested = tmp_path / "nested.json"
    nested.write_text('{"a":' * 200 + "1" + "}" * 200, encoding="utf-8")  # parses, but deeper than any instance
    _one_line(runner.invoke(app, ["solve", str(nested), "-o", str(tmp_path / "r.json")]), "too_deep")
    big = tmp_path / "big.json"
    big.write_text('{"id": ' + "9" * 5000 + "}", encoding="utf-8")
    _one_line(runner.invoke(app, ["check", str(big), unit]), "malformed_json")


def test_absence_without_end_9999_is_accepted(tmp_path):
    data = tiny_dict([person("p1", absences=[{"start_date": "2027-01-06", "end_date": "9999-12-31"}])], shifts=("D",))
    r = runner.invoke(app, ["check", write(tmp_path / "i.json", data), write(tmp_path / "r.json", roster_json([]))])
    assert r.exit_code in (0, 1) and "Traceback" not in r.output, r.output


def test_period_in_late_9999_exit_2(tmp_path):
    data = tiny_dict(1, shifts=("D",))
    data["period"]["start"] = "9999-12-20"
    r = runner.invoke(app, ["check", write(tmp_path / "i.json", data), write(tmp_path / "r.json", roster_json([]))])
    _one_line(r, "out_of_range")


@pytest.mark.parametrize(
    "args,loc",
    [
        (["--time-limit", "-1"], "--time-limit"),
        (["--time-limit", "nan"], "--time-limit"),
        (["--workers", "-3"], "--workers"),
        (["--gap", "5"], "--gap"),
    ],
)
def test_solve_options_out_of_range_exit_2_before_solving(unit, tmp_path, args, loc):
    r = runner.invoke(app, ["solve", unit, "-o", str(tmp_path / "r.json"), *args])
    _one_line(r, "out_of_range")
    assert f"at {loc}" in r.stderr
    assert not (tmp_path / "r.json").exists()


def test_output_in_missing_folder_or_a_directory_exit_2_before_solving(unit, tmp_path):
    _one_line(runner.invoke(app, ["solve", unit, "-o", str(tmp_path / "nope" / "r.json")]), "file_unwritable")
    _one_line(runner.invoke(app, ["solve", unit, "-o", str(tmp_path)]), "file_unwritable")
    _one_line(
        runner.invoke(app, ["generate", "--size", "small", "-o", str(tmp_path / "nope" / "x.json")]), "file_unwritable"
    )


def test_serve_with_a_bad_setting_is_one_line_exit_2(tmp_path):
    r = runner.invoke(
        app, ["serve", "--port", "0"], env={"TURNUS_MAX_CONCURRENT": "abc", "TURNUS_DATA_DIR": str(tmp_path)}
    )
    _one_line(r, "invalid_setting")
    assert "TURNUS_MAX_CONCURRENT" in r.stderr and len(r.stderr.strip().splitlines()) == 1
