"""End to end on a tiny unit: the report files carry exactly the checker's numbers; bad input exits 2."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from models import Instance
from scenarios import run_file
from scenarios.kpis import scenario_kpis
from scenarios.report import compare, winners
from scenarios.runner import split_workers
from solver import check

from scenario_fixtures import solvable_dict, tiny_dict

REQUIRED_KEYS = ("name", "heltidsandel", "mean_position_pct", "competence_met_share", "formal_competence_hours_share",
                 "unfilled_slots", "weekend_frequency", "good_shift_share")


def _write(tmp: Path, spec: dict, base: dict) -> Path:
    (tmp / "unit.json").write_text(json.dumps(base))
    path = tmp / "scen.yaml"
    path.write_text(yaml.safe_dump({"base": "unit.json", "seed": 0, **spec}, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scen")
    spec = {
        "title": "tiny",
        "weekend_curve": True, "weekend_curve_n": [2, 3], "weekend_curve_raise": False,
        "variants": [
            {"name": "heltid", "ops": [{"op": "raise_positions", "rounds": 1}]},
            {"name": "more", "ops": [{"op": "scale_demand", "factor": 1.5, "shifts": ["D"], "slots": ["total"]}]},
            # n1 pinned to D after a pinned A: 9.5 h rest breaks daily rest -> conflicting required rules
            {"name": "clash", "ops": [{"op": "set", "path": "pinned", "value": [
                {"staff": "n1", "date": "2027-01-04", "shift": "A"},
                {"staff": "n1", "date": "2027-01-05", "shift": "D"}]}]},
        ],
    }
    path = _write(tmp, spec, solvable_dict())
    results, paths = run_file(path, tmp / "out", time_limit_s=2, workers=1, parallel=False)
    return results, paths


def test_files_and_keys(solved):
    results, paths = solved
    rows = json.loads(paths["json"].read_text())
    assert [r["name"] for r in rows] == ["base", "heltid", "more", "clash", "weekend every 2", "weekend every 3"]
    for row in rows:
        for k in REQUIRED_KEYS:
            assert k in row, k
    with paths["csv"].open() as f:
        csv_rows = list(csv.DictReader(f))
    assert [r["name"] for r in csv_rows] == [r["name"] for r in rows]
    for row, c in zip(rows, csv_rows):
        for k in REQUIRED_KEYS[1:]:
            assert float(c[k]) == pytest.approx(row[k])
    html = paths["html"].read_text()
    assert html.startswith("<!doctype html>") and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "data:image/png;base64," in html and "<svg" in html


def test_report_numbers_equal_the_checker(solved):
    results, paths = solved
    rows = {r["name"]: r for r in json.loads(paths["json"].read_text())}
    for r in results:
        inst = Instance.model_validate_json(r.instance.model_dump_json())
        again = check(inst, r.roster.assignments)  # an independent re-check of the written roster
        mine, _ = scenario_kpis(inst, again)
        row = rows[r.name]
        for k, v in again.kpis.items():
            assert row[k] == pytest.approx(v), (r.name, k)
        for k in ("good_shift_share", "vacant_hours", "vacant_shifts"):
            assert row[k] == pytest.approx(mine[k]), (r.name, k)
        assert row["unfilled_slots"] == sum(u.missing for u in again.unfilled)


def test_conflicting_variant_still_reported(solved):
    results, paths = solved
    clash = next(r for r in results if r.name == "clash")
    assert clash.roster.conflicts and any(c.rule == "daily_rest" for c in clash.roster.conflicts)
    row = next(r for r in json.loads(paths["json"].read_text()) if r["name"] == "clash")
    assert row["conflicts"] and row["lawful"] is False
    html = paths["html"].read_text()
    assert "Conflicting rules" in html and "daily_rest" in html


def test_heltid_raises_are_reported(solved):
    results, paths = solved
    base, heltid = results[0], results[1]
    if base.roster.unfilled:
        assert heltid.raises, "vacant shifts and part-timers wanting more: someone should be raised"
        assert heltid.kpis["mean_position_pct"] > base.kpis["mean_position_pct"]
        for c in heltid.raises:
            assert c.from_pct < c.to_pct <= c.desired_pct
        assert "Bigger positions" in paths["html"].read_text()


def test_sentences_name_the_winner(solved):
    results, _ = solved
    text = " ".join(winners(results))
    assert "Good shifts" in text and "best is" in text
    gains, costs = compare(results[0], results[2])  # more demand: more vacant hours is a cost
    if results[2].kpis["vacant_hours"] > results[0].kpis["vacant_hours"]:
        assert any("vacant hours" in c for c in costs)


def test_split_workers():
    assert split_workers(10, 2) == (2, 1)
    assert split_workers(1, 8) == (1, 8)
    assert split_workers(3, 8) == (3, 2)
    assert split_workers(5, 0) == (1, 1)


def test_parallel_pool(tmp_path):
    path = _write(tmp_path, {"variants": [{"name": "w2", "ops": [{"op": "weekend_every", "n": 2}]}]}, solvable_dict())
    results, paths = run_file(path, tmp_path / "out", time_limit_s=1, workers=2, parallel=True)
    assert [r.name for r in results] == ["base", "w2"] and all(r.error is None for r in results)
    assert all(r.roster.solve.workers == 1 for r in results)  # 2 processes x 1 worker


def _cli(args):
    from api.cli import app

    return CliRunner().invoke(app, args)


def test_cli_bad_input_exit_2(tmp_path):
    base = tiny_dict()
    base["colour"] = "blue"  # unknown base field
    path = _write(tmp_path, {"variants": [{"name": "v", "ops": [{"op": "weekend_every", "n": 2}]}]}, base)
    res = _cli(["scenarios", str(path), "-o", str(tmp_path / "o")])
    assert res.exit_code == 2 and "unknown_field" in res.stderr and "colour" in res.stderr

    path = _write(tmp_path, {"variants": [
        {"name": "typo", "ops": [{"op": "set", "path": "rules.weekend_frequency.evry_n", "value": 2}]},
        {"name": "both", "ops": [{"op": "weekend_every", "n": 2}, {"op": "weekend_every", "n": 3}]}]}, tiny_dict())
    res = _cli(["scenarios", str(path), "-o", str(tmp_path / "o")])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "unknown_field" in lines[0] and "'typo'" in lines[0] and "evry_n" in lines[0]
    assert "conflicting_ops" in lines[1] and "'both'" in lines[1] and "every_n" in lines[1]
    assert not (tmp_path / "o").exists()


def test_cli_runs(tmp_path):
    path = _write(tmp_path, {"variants": [{"name": "w2", "ops": [{"op": "weekend_every", "n": 2}]}]}, solvable_dict())
    res = _cli(["scenarios", str(path), "-o", str(tmp_path / "o"), "--time-limit", "1", "--workers", "1"])
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "o" / "report.html").exists() and (tmp_path / "o" / "kpis.csv").exists()


def test_report_templates_escape_and_install(solved):
    import dataclasses
    import fnmatch
    import tomllib

    from scenarios.report import _templates, variant_sentence, winners

    results, _ = solved
    odd = dataclasses.replace(results[1], name="<i>heltid</i> & co")
    text = variant_sentence(results[0], odd) + " ".join(winners([results[0], odd]))
    assert "<i>" not in text and "&lt;i&gt;heltid&lt;/i&gt; &amp; co" in text
    env = _templates()
    assert env.autoescape is True
    data = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    patterns = data["tool"]["setuptools"]["package-data"]["scenarios"]
    for name in env.list_templates():  # every template ships with the package
        assert any(fnmatch.fnmatch(f"templates/{name}", p) for p in patterns), name
