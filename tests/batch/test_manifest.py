"""The manifest, job preparation, deadline spreading and the CLI's refusals: everything before Ray."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.batch.jobs import prepare
from api.batch.manifest import load_manifest, parse_deadline
from api.batch.progress import JsonLines, job_line
from api.batch.runner import MIN_LIMIT_S, Board, Budget, spread
from api.cli import app
from models import InstanceError

from .conftest import write_units


def _codes(err: InstanceError) -> list[str]:
    return [p.code for p in err.problems]


def test_the_issue_manifest_expands_into_jobs(tmp_path: Path):
    write_units(tmp_path / "units", 2)
    write_units(tmp_path, 1, first_seed=7)  # ward-7.json beside the manifest
    (tmp_path / "a1-scenarios.yaml").write_text("base: ward-7.json\nvariants: []\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        "time_limit_s: 60\n"
        "jobs:\n"
        "  - units: units/\n"
        "  - unit: ward-7.json\n"
        "    time_limit_s: 300\n"
        "    seed: 4\n"
        "    rules: {weekend_frequency: {every_n: 2}}\n"
        "  - scenarios: a1-scenarios.yaml\n",
        encoding="utf-8",
    )
    batch = load_manifest(tmp_path / "m.yaml")
    assert [(j.name, j.kind, j.time_limit_s) for j in batch.jobs] == [
        ("ward-1", "unit", 60.0),
        ("ward-2", "unit", 60.0),
        ("ward-7", "unit", 300.0),
        ("a1-scenarios", "scenarios", 60.0),
    ]
    assert batch.jobs[2].seed == 4 and batch.jobs[0].seed == 0
    assert batch.jobs[2].rules == {"weekend_frequency": {"every_n": 2}}
    prepared = prepare(batch.jobs[2])
    assert prepared.ok and prepared.payload["input"]["rules"]["weekend_frequency"]["every_n"] == 2
    scen = prepare(batch.jobs[3])
    assert scen.ok and scen.weight == 1  # base only: one solve


def test_every_manifest_problem_at_once(tmp_path: Path):
    write_units(tmp_path / "units", 1)
    write_units(tmp_path, 1)  # ward-1.json again, beside the manifest: same job name as units/ward-1.json
    (tmp_path / "empty").mkdir()
    (tmp_path / "m.json").write_text(
        json.dumps(
            {
                "time_limit_s": -5,
                "colour": "blue",
                "deadline": "2001-01-01T06:00",
                "jobs": [
                    {"units": "units"},
                    {"unit": "ward-1.json"},
                    {"unit": "missing.json"},
                    {"units": "empty"},
                    {"unit": "ward-1.json", "scenarios": "x.yaml"},
                    {"unit": "ward-1.json", "name": "../escape"},
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(InstanceError) as err:
        load_manifest(tmp_path / "m.json")
    assert set(_codes(err.value)) == {"out_of_range", "unknown_field"}  # the structure first
    data = json.loads((tmp_path / "m.json").read_text())
    del data["colour"], data["time_limit_s"]
    (tmp_path / "m.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InstanceError) as err:
        load_manifest(tmp_path / "m.json")
    codes = _codes(err.value)
    for code in ("deadline_passed", "file_not_found", "no_units", "job_kind", "invalid_value", "duplicate_job"):
        assert code in codes, (code, codes)
    assert all(p.loc for p in err.value.problems)


def test_yaml_aliases_and_malformed_files_are_refused(tmp_path: Path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &a [x, x]\nb: &b [*a, *a]\njobs: [*b]\n", encoding="utf-8")
    with pytest.raises(InstanceError) as err:
        load_manifest(bomb)
    assert _codes(err.value) == ["malformed_yaml"] and "aliases" in err.value.problems[0].message
    bad = tmp_path / "bad.json"
    bad.write_text("{jobs: ", encoding="utf-8")
    with pytest.raises(InstanceError) as err:
        load_manifest(bad)
    assert _codes(err.value) == ["malformed_json"]


def test_deadline_clock_time_is_the_next_one():
    now = dt.datetime(2027, 1, 10, 22, 30, tzinfo=dt.UTC)
    assert parse_deadline("06:00", now) == dt.datetime(2027, 1, 11, 6, 0, tzinfo=dt.UTC)
    assert parse_deadline("23:15", now) == dt.datetime(2027, 1, 10, 23, 15, tzinfo=dt.UTC)
    assert parse_deadline("2027-01-11T05:00+00:00", now).hour == 5
    with pytest.raises(ValueError):
        parse_deadline("tomorrow", now)


def test_spread_shares_the_remaining_time_over_the_waves_to_come():
    # 8 solves left on 2 slots: 4 waves in 1000 s -> 212.5 s each (0.85 of a quarter), under the job's 600 s
    assert spread(1000, 8, 2, 600) == pytest.approx(212.5)
    assert spread(1000, 1, 2, 60) == 60  # plenty of time: the job's own limit
    assert spread(1, 50, 2, 60) == MIN_LIMIT_S  # too late: still long enough for a roster


def test_budget_gives_late_jobs_less_time(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("api.batch.runner.time.time", lambda: now[0])
    budget = Budget(deadline_ts=1000.0 + 400, slots=1, weights={"a": 1, "b": 1, "c": 2})
    assert budget.limit("a", 600) == pytest.approx(0.85 * 400 / 4)  # 4 solves to come, one at a time
    now[0] += 85
    assert budget.limit("b", 600) == pytest.approx(0.85 * 315 / 3)
    assert budget.limit("b", 600) == pytest.approx(0.85 * 315 / 3)  # a retry: still one of the 3 to come
    assert budget.limit("c", 30) == 30  # its own limit is shorter than its share


def test_board_counts_running_jobs():
    board = Board()
    board.start("a")
    board.start("b")
    board.finish("a")
    assert board.running() == ["b"]


def test_bad_unit_is_prepared_as_a_failing_job_with_its_codes(tmp_path: Path):
    (tmp_path / "bad.json").write_text('{"staff": 3}', encoding="utf-8")
    (tmp_path / "m.yaml").write_text("jobs:\n  - unit: bad.json\n", encoding="utf-8")
    p = prepare(load_manifest(tmp_path / "m.yaml").jobs[0])
    assert not p.ok
    assert {"missing_field", "list_type"} <= {q.code for q in p.problems}
    assert all(q.loc.startswith("bad.json") for q in p.problems)


def test_json_lines_carry_codes_not_details():
    out = io.StringIO()
    events = JsonLines(out)
    rec = {
        "name": "ward-1",
        "status": "FAILED",
        "attempts": 2,
        "error": {"code": "invalid_input", "detail": "unknown staff 'Kari Nordmann'", "errors": [{"message": "x"}]},
    }
    events("job", rec)
    line = json.loads(out.getvalue())
    assert line == job_line(rec) and line["error"] == "invalid_input"
    assert "Kari" not in out.getvalue()


def test_cli_refuses_bad_manifest_and_used_folder_before_any_job(tmp_path: Path):
    runner = CliRunner()
    (tmp_path / "m.yaml").write_text("jobs:\n  - unit: nowhere.json\n  - units: nofolder/\n", encoding="utf-8")
    res = runner.invoke(app, ["batch", str(tmp_path / "m.yaml"), "-o", str(tmp_path / "out"), "--no-store"])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.startswith("error ")]
    assert [ln.split()[1] for ln in lines] == ["file_not_found", "folder_not_found"]
    assert "Traceback" not in res.output and not (tmp_path / "out").exists()

    write_units(tmp_path / "units", 1)
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("jobs:\n  - units: units/\n  - unit: bad.json\n", encoding="utf-8")
    res = runner.invoke(app, ["batch", str(tmp_path / "m.yaml"), "-o", str(tmp_path / "out"), "--strict"])
    assert res.exit_code == 2 and "missing_field" in res.output

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "batch.json").write_text("{}", encoding="utf-8")
    res = runner.invoke(app, ["batch", str(tmp_path / "m.yaml"), "-o", str(tmp_path / "out"), "--no-store"])
    assert res.exit_code == 2 and "outdir_in_use" in res.output

    res = runner.invoke(app, ["batch", str(tmp_path / "m.yaml"), "-o", str(tmp_path / "o2"), "--time-limit", "-1"])
    assert res.exit_code == 2 and "out_of_range" in res.output


def test_inline_inputs_and_the_path_policy_of_a_served_manifest(tmp_path: Path):
    from api.batch.manifest import parse_manifest
    from models.generate import generate_dict

    unit = generate_dict("small", weeks=2, seed=3)
    data = {
        "jobs": [
            {"unit": unit, "name": "inline-a"},
            {
                "scenarios": {"base": unit, "variants": [{"name": "w2", "ops": [{"op": "weekend_every", "n": 2}]}]},
                "name": "inline-s",
            },
        ]
    }
    batch = parse_manifest(data, "x", "served", None)
    jobs = [prepare(j) for j in batch.jobs]
    assert [(j.spec.name, j.spec.source, j.ok) for j in jobs] == [
        ("inline-a", "jobs[0]", True),
        ("inline-s", "jobs[1]", True),
    ]
    assert jobs[1].weight == 2  # base and w2
    with pytest.raises(InstanceError) as err:  # a served manifest names no files, and inline jobs need names
        parse_manifest({"jobs": [{"unit": "/etc/passwd"}, {"units": "."}, {"unit": unit}]}, "x", "served", None)
    assert _codes(err.value) == ["path_not_allowed", "path_not_allowed", "missing_field"]
    with pytest.raises(InstanceError) as err:  # confined to a folder: no way out of it
        parse_manifest({"jobs": [{"unit": "../x.json"}]}, "x", "served", tmp_path / "root", confine=True)
    assert _codes(err.value) == ["path_not_allowed"]
    bad = prepare(
        parse_manifest({"jobs": [{"scenarios": {"base": "units/a.json"}, "name": "s"}]}, "x", "l", None).jobs[0]
    )
    assert [q.code for q in bad.problems] == ["path_not_allowed"]


def test_an_address_where_no_ray_answers_is_one_line_before_any_write(tmp_path: Path):
    write_units(tmp_path / "units", 1)
    (tmp_path / "m.yaml").write_text("jobs:\n  - units: units/\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["batch", str(tmp_path / "m.yaml"), "-o", str(out), "--no-store", "--address", "127.0.0.1:1"]
    )
    assert res.exit_code == 2 and "error ray_unavailable at 127.0.0.1:1" in res.output
    assert not out.exists()  # nothing written: the same command with a working address starts afresh
