"""Packaging (issue 18, item 8): the service is part of the core install; a command whose optional extra is
missing says in one line which extra to install (exit 2) before any work starts. The missing import is
simulated by setting the module to None in sys.modules (what `import` then refuses)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.server import need_driver

ROOT = Path(__file__).resolve().parents[2]


def test_service_dependencies_are_core_with_upper_bounds():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = {d.split(">")[0].split("<")[0].split("[")[0].strip(): d for d in project["dependencies"]}
    for name in ("fastapi", "starlette", "uvicorn", "sqlalchemy", "pydantic-settings"):
        assert name in core, name
    assert "<1" in core["fastapi"] and "<2" in core["starlette"]


@pytest.mark.parametrize("module", ["matplotlib", "jinja2"])
def test_scenarios_without_the_report_extra_is_one_line(module, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, module, None)
    scenario = ROOT / "examples" / "scenarios" / "demo.yaml"
    result = CliRunner().invoke(app, ["scenarios", str(scenario), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error missing_extra at scenarios:") and "turnus[report]" in lines[0]
    assert module in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # nothing was solved or written


def test_serve_with_a_postgresql_url_without_the_driver_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(SystemExit) as exc:
        need_driver("postgresql+psycopg://turnus@/turnus")
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error missing_extra at serve: needs psycopg; install it with pip install 'turnus[postgres]'"]
    need_driver("sqlite:///x.db")  # SQLite needs nothing extra


def test_a_late_import_of_a_missing_extra_is_one_line(monkeypatch, capsys):
    """Any command: an extra's module missing at run time (not checked up front) still ends in one line."""
    import api.cli as cli

    def needs_ray():
        raise ModuleNotFoundError("No module named 'ray'", name="ray")

    monkeypatch.setattr(cli, "app", needs_ray)
    monkeypatch.setattr(sys, "argv", ["turnus", "batch"])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "error missing_extra at batch: needs ray; install it with pip install 'turnus[batch]'"
    ]
