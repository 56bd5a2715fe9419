"""`turnus export` / `turnus import` and `GET /v1/rosters/{id}/export`, `GET /v1/calendar/holidays`, the page
and the offline docs through the HTTP app."""

from __future__ import annotations

import io
import json
import stat

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli import app as cli_app
from api.service import Settings, create_app

from .conftest import fixed_assignments

KEY = "export-key"
H = {"X-API-Key": KEY}


@pytest.fixture
def files(tmp_path, unit, inst, roster):
    unit_path = tmp_path / "unit.json"
    unit_path.write_text(json.dumps(unit), encoding="utf-8")
    roster_path = tmp_path / "roster.json"
    roster_path.write_text(roster.model_dump_json(), encoding="utf-8")
    return unit_path, roster_path


def run(*args):
    return CliRunner().invoke(cli_app, [str(a) for a in args])


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ics"])
def test_cli_export_writes_private_file(files, tmp_path, fmt):
    unit_path, roster_path = files
    out = tmp_path / f"r.{fmt}"
    res = run("export", roster_path, "-i", unit_path, "--format", fmt, "-o", out)
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 0 and stat.S_IMODE(out.stat().st_mode) == 0o600


def test_cli_round_trip_gives_the_same_check(files, tmp_path, roster):
    unit_path, roster_path = files
    out = tmp_path / "r.xlsx"
    assert run("export", roster_path, "-i", unit_path, "-o", out).exit_code == 0
    back = tmp_path / "back.json"
    res = run("import", out, "-i", unit_path, "-o", back)
    assert res.exit_code == 0, res.output
    checked = run("check", unit_path, back, "--json")
    assert checked.exit_code in (0, 1)
    assert json.loads(checked.output)["score"] == json.loads(roster.score.model_dump_json())


def test_cli_bad_options_are_coded_lines(files, tmp_path):
    unit_path, roster_path = files
    res = run("export", roster_path, "-i", unit_path, "--format", "pdf", "--lang", "de", "-o", tmp_path / "x")
    assert res.exit_code == 2
    assert "error unknown_format at --format" in res.output and "error invalid_value at --lang" in res.output
    assert "Traceback" not in res.output
    res = run("export", roster_path, "-i", unit_path, "--format", "ics", "--staff", "zz", "-o", tmp_path / "x.ics")
    assert res.exit_code == 2 and "error unknown_staff at --staff" in res.output
    res = run("export", roster_path, "-i", unit_path, "-o", tmp_path / "missing" / "x.xlsx")
    assert res.exit_code == 2 and "file_unwritable" in res.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"assignments": [{"staff": "nobody", "date": "2027-05-10", "shift": "D"}]}))
    res = run("export", bad, "-i", unit_path, "-o", tmp_path / "x.xlsx")
    assert res.exit_code == 2 and "unknown_staff" in res.output and "Traceback" not in res.output
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"no workbook")
    res = run("import", junk, "-i", unit_path, "-o", tmp_path / "back.json")
    assert res.exit_code == 2 and "error malformed_xlsx" in res.output


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(data_dir=tmp_path, api_keys=[KEY], max_concurrent=0))
    with TestClient(app) as c:
        yield c


def scored_job(client, unit, inst) -> str:
    body = dict(unit, assignments=[a.model_dump(mode="json") for a in fixed_assignments(inst)])
    res = client.post("/v1/rosters?operation=score", json={"input": body}, headers=H)
    assert res.status_code == 201, res.text
    return res.json()["id"]


def test_http_export_formats(client, unit, inst, roster):
    job = scored_job(client, unit, inst)
    res = client.get(f"/v1/rosters/{job}/export?format=xlsx", headers=H)
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert res.headers["content-disposition"] == 'attachment; filename="mai-unit.xlsx"'
    wb = load_workbook(io.BytesIO(res.content))
    assert wb["Poeng"].cell(wb["Poeng"].max_row, 4).value == roster.score.total
    res = client.get(f"/v1/rosters/{job}/export?format=csv&decimal=point&layout=shifts", headers=H)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    assert res.content.decode("utf-8-sig").splitlines()[1].startswith("s4,Person 4,2027-05-10")
    res = client.get(f"/v1/rosters/{job}/export?format=ics&staff=s7", headers=H)
    assert res.status_code == 200 and b"TZID=Europe/Oslo" in res.content
    assert 'filename="mai-unit-s7.ics"' in res.headers["content-disposition"]


def test_http_export_errors(client, unit, inst):
    job = scored_job(client, unit, inst)
    assert client.get(f"/v1/rosters/{job}/export").status_code == 401
    res = client.get(f"/v1/rosters/{job}/export?format=pdf", headers=H)
    assert res.status_code == 422 and res.headers["content-type"].startswith("application/problem+json")
    res = client.get(f"/v1/rosters/{job}/export?format=ics&staff=nobody", headers=H)
    assert res.status_code == 422 and res.json()["errors"][0]["code"] == "unknown_staff"
    assert client.get(f"/v1/rosters/{'0' * 32}/export", headers=H).json()["code"] == "job_not_found"
    assert client.get("/v1/rosters/not-an-id/export", headers=H).status_code == 404
    queued = client.post("/v1/rosters", json={"input": unit, "config": {"run": {"time_limit_s": 5}}}, headers=H)
    res = client.get(f"/v1/rosters/{queued.json()['id']}/export", headers=H)
    assert res.status_code == 409 and res.json()["code"] == "no_roster"


def test_http_holidays(client):
    res = client.get("/v1/calendar/holidays?start=2027-05-10&end=2027-05-23", headers=H)
    assert res.status_code == 200
    assert [h["date"] for h in res.json()] == ["2027-05-16", "2027-05-17"]
    res = client.get("/v1/calendar/holidays?start=2027-05-10&end=2027-05-01", headers=H)
    assert res.status_code == 422
    assert client.get("/v1/calendar/holidays?start=2027-05-10&end=2027-05-23").status_code == 401


def test_page_and_offline_docs(client):
    page = client.get("/")
    assert page.status_code == 200 and '<script type="module" src="/ui/app.js">' in page.text
    for asset in ("/ui/app.js", "/ui/i18n.js", "/ui/app.css"):
        assert client.get(asset).status_code == 200
    demo = client.get("/ui/demo/demo.json")
    assert demo.status_code == 200 and len(demo.json()["staff"]) == 35
    assert client.get("/ui/demo/nope.json").status_code == 404
    for path, asset in (("/docs", "/docs-assets/swagger-ui-bundle.js"), ("/redoc", "/docs-assets/redoc.standalone.js")):
        html = client.get(path).text
        assert asset in html and "cdn" not in html.lower() and "fonts.googleapis" not in html
        assert client.get(asset).status_code == 200
