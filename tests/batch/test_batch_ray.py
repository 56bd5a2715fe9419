"""Batches on a real local Ray (2 CPUs, one per session): a manifest of small units, a re-plan and a scenario file
runs to completion with results in OUTDIR and the job store; a crashing job is retried once and isolated; a run
killed with SIGKILL part-way and resumed finishes every job exactly once."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.batch.results import Outdir
from api.batch.run import execute, load
from api.batch.runner import MIN_LIMIT_S, Options, run_batch
from api.cli import app
from api.service import Settings, create_app
from api.service.store import Store
from models import Instance, Roster
from solver import SolveOptions, check, solve

from .conftest import UNIT_LIMIT_S, write_units

pytestmark = pytest.mark.xdist_group("ray")

KEY = "batch-test-key"


def _manifest(folder: Path, text: str) -> Path:
    path = folder / "night.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_night_of_units_replan_and_scenarios(tmp_path: Path, ray_session):
    write_units(tmp_path / "units", 3)
    (tmp_path / "bad.json").write_text('{"staff": 3}', encoding="utf-8")
    unit = Instance.model_validate_json((tmp_path / "units" / "ward-1.json").read_text())
    earlier = solve(unit, SolveOptions(time_limit_s=4, workers=1, seed=0))  # 4 s: a roster even on a busy machine
    assert any(a.date.isoformat() < "2027-01-12" for a in earlier.assignments)
    (tmp_path / "earlier.roster.json").write_text(earlier.model_dump_json(), encoding="utf-8")
    (tmp_path / "a1.yaml").write_text(
        "base: units/ward-1.json\nvariants:\n  - name: weekend-2\n    ops:\n      - {op: weekend_every, n: 2}\n",
        encoding="utf-8",
    )
    person = next(s.id for s in unit.staff if not s.absences)  # sick on two days of the second week
    manifest = _manifest(
        tmp_path,
        f"name: night\ntime_limit_s: {UNIT_LIMIT_S}\ndeadline: '23:59'\njobs:\n"
        "  - units: units/\n"
        "  - unit: bad.json\n"
        "  - scenarios: a1.yaml\n"
        "  - replan: units/ward-1.json\n"
        "    roster: earlier.roster.json\n"
        f"    changes: [{{type: absence, staff: {person}, start_date: '2027-01-12', end_date: '2027-01-13'}}]\n"
        "    freeze_before: '2027-01-12'\n",
    )
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    store = Store(url)
    events: list[tuple[str, dict]] = []
    loaded = load(manifest)
    assert {p.spec.name: [q.code for q in p.problems] for p in loaded.bad} == {
        "bad": ["missing_field", "list_type", "missing_field"]
    }
    outcome, paths = execute(
        loaded,
        tmp_path / "out",
        Options(),
        store=store,
        tenant="night-shift",
        on_event=lambda kind, data: events.append((kind, data)),
    )
    recs = outcome.records
    assert sorted(recs) == ["a1", "bad", "ward-1", "ward-1-replan", "ward-2", "ward-3"]
    assert {n: r["status"] for n, r in recs.items() if r["status"] != "COMPLETED"} == {"bad": "FAILED"}
    assert recs["bad"]["error"]["code"] == "invalid_input" and recs["bad"]["attempts"] == 0
    assert "missing_field" in {e["code"] for e in recs["bad"]["error"]["errors"]}
    out = tmp_path / "out"
    for name in ("ward-1", "ward-2", "ward-3"):
        rec = recs[name]
        assert rec["attempts"] == 1 and rec["lawful"] is True and rec["kind"] == "unit"
        assert rec["time_limit_s"] <= UNIT_LIMIT_S
        inst = Instance.model_validate_json((tmp_path / "units" / f"{name}.json").read_text())
        roster = Roster.model_validate_json((out / rec["roster_file"]).read_text())
        assert check(inst, roster.assignments).score.total == rec["score"]["total"]  # the checker's verdict
        assert (out / rec["roster_file"]).stat().st_mode & 0o077 == 0  # private
    replan = recs["ward-1-replan"]
    assert replan["frozen"] > 0 and replan["changed"]["changed"] >= 0
    assert [v["variant"] for v in recs["a1"]["variants"]] == ["base", "weekend-2"]
    assert (out / recs["a1"]["report"]).is_file()
    csv_lines = paths["csv"].read_text().splitlines()
    assert len(csv_lines) == 1 + 6 and csv_lines[0].startswith("name,kind,status,lawful,score_total")
    html = paths["html"].read_text()
    assert "Failed jobs" in html and "Scenario comparisons" in html and "weekend-2" in html
    assert [k for k, _ in events].count("job") == 6

    # the service shows the batch results: GET /v1/rosters with the tenant's key, on the same database
    settings = Settings(data_dir=tmp_path, db_url=url, api_keys=[f"night-shift:{KEY}"], max_concurrent=0)
    with TestClient(create_app(settings), headers={"X-API-Key": KEY}) as client:
        listed = client.get("/v1/rosters", params={"limit": 50}).json()
        names = {item["name"] for item in listed["items"]}
        assert names == {f"night/{n}" for n in ("ward-1", "ward-2", "ward-3", "ward-1-replan", "bad")} | {
            "night/a1/base",
            "night/a1/weekend-2",
        }
        one = client.get(f"/v1/rosters/{recs['ward-2']['store_id']}").json()
        assert one["status"] == "COMPLETED" and one["score"]["total"] == recs["ward-2"]["score"]["total"]
        assert client.get(f"/v1/rosters/{recs['bad']['store_id']}").json()["status"] == "FAILED"
        analysis = client.get(f"/v1/rosters/{recs['ward-3']['store_id']}/analysis")
        assert analysis.status_code == 200 and analysis.json()["lawful"] is True
    store.dispose()


def test_a_crashing_job_is_retried_once_the_others_finish_by_the_deadline(tmp_path: Path, ray_session):
    write_units(tmp_path / "units", 2)
    # a job wanting 60 s, but the batch must be done in 8 s: it gets its share of the time left (2 slots, 2 jobs)
    deadline = (dt.datetime.now().astimezone() + dt.timedelta(seconds=8)).isoformat()
    loaded = load(_manifest(tmp_path, f"time_limit_s: 60\ndeadline: '{deadline}'\njobs:\n  - units: units/\n"))
    broken = loaded.prepared[0]
    broken.payload["input"] = {"staff": "not a unit"}  # valid when read, fails in the worker on every attempt
    retries: list[dict] = []
    outcome = run_batch(
        loaded.batch,
        loaded.prepared,
        Outdir(tmp_path / "out"),
        Options(),
        on_event=lambda kind, data: retries.append(data) if kind == "retry" else None,
    )
    bad, good = outcome.records["ward-1"], outcome.records["ward-2"]
    assert bad["status"] == "FAILED" and bad["attempts"] == 2
    assert bad["first_error"]["code"] == "job_crashed" and "InstanceError" in bad["error"]["detail"]
    assert retries == [{"name": "ward-1", "code": "job_crashed", "attempt": 2}]
    assert good["status"] == "COMPLETED" and good["attempts"] == 1 and good["lawful"]
    assert MIN_LIMIT_S <= good["time_limit_s"] <= 0.85 * 8  # spread over the deadline, not its own 60 s


def _results(out: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text()) for p in out.glob("*.result.json")}


def test_killed_batch_resumes_with_every_job_exactly_once(tmp_path: Path, ray_session):
    names = [f"ward-{k}" for k in range(1, 5)]
    write_units(tmp_path / "units", 4)
    manifest = _manifest(tmp_path, "name: resume\ntime_limit_s: 3\njobs:\n  - units: units/\n")
    out, url = tmp_path / "out", f"sqlite:///{tmp_path / 'jobs.db'}"
    args = ["batch", str(manifest), "-o", str(out), "--db", url, "--tenant", "t1", "--json"]
    address = ray_session.get_runtime_context().gcs_address
    proc = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", *args, "--address", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        cwd=tmp_path,
    )
    try:
        t0 = time.monotonic()
        while not _results(out) and proc.poll() is None and time.monotonic() - t0 < 240:
            time.sleep(0.05)  # poll the folder for the first finished job (bounded)
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:] if proc.stderr else ""
        os.killpg(proc.pid, signal.SIGKILL)  # kill -9: no chance to clean up
        proc.wait(30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    before = _results(out)
    assert 1 <= len(before) < 4, sorted(before)
    rows, _ = Store(url).list(100, 0, tenant="t1")
    stored = {r["name"].removeprefix("resume/") for r in rows}
    filed = {n.removesuffix(".result.json") for n in before}
    # every filed job is in the store; a job killed between its store row and its result file may be there too
    # (the resume below must then overwrite that row, not add a second: checked by `total == 4`)
    assert filed <= stored and len(stored) == len(rows), (sorted(filed), sorted(stored))

    res = CliRunner().invoke(app, [*args, "--resume"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(ln) for ln in res.output.splitlines() if ln.startswith("{")]
    start = next(ln for ln in lines if ln["event"] == "start")
    ran = sorted(ln["name"] for ln in lines if ln["event"] == "job")
    assert start["skipped"] == len(before)
    assert ran == sorted(set(names) - {n.removesuffix(".result.json") for n in before})  # only the rest ran
    after = _results(out)
    assert sorted(after) == sorted(f"{n}.result.json" for n in names)
    assert all(after[n] == rec for n, rec in before.items())  # nothing finished earlier was touched or lost
    rows, total = Store(url).list(100, 0, tenant="t1")
    assert total == 4 and sorted(r["name"] for r in rows) == [f"resume/{n}" for n in names]  # no duplicates
    assert len(Path(out / "summary.csv").read_text().splitlines()) == 5
