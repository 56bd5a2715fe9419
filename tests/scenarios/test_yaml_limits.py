"""A YAML alias bomb in a scenario file is a coded error with bounded work (issue 18, item 7): the expansion is
counted on the composed node graph, never built."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli import app
from models import InstanceError
from scenarios.variants import MAX_YAML_NODES, load_yaml, read_scenario_data

BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    + ["base: unit.json", "variants: *a8"]
)  # 10^9 leaves in 10 lines (the 163 MB file of the issue was smaller)


def _one(err: InstanceError):
    assert len(err.problems) == 1
    return err.problems[0]


def test_alias_bomb_is_refused_before_construction(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    with pytest.raises(InstanceError) as exc:  # built, 10^9 nodes would not fit in memory; counted: ~100 nodes
        read_scenario_data(path)
    p = _one(exc.value)
    assert p.code == "yaml_too_large" and str(MAX_YAML_NODES) in p.message and p.loc == str(path)


def test_shared_anchors_under_the_cap_still_load():
    data = load_yaml("base: &b {every_n: 2}\nvariants:\n  - {name: a, rules: *b}\n  - {name: b, rules: *b}\n", "x")
    assert data["variants"][1]["rules"] == {"every_n": 2}


def test_recursive_alias_is_a_coded_error():
    with pytest.raises(InstanceError) as exc:
        load_yaml("a: &a [1, *a]\n", "f.yaml")
    assert _one(exc.value).code == "malformed_yaml"


def test_cli_scenarios_with_an_alias_bomb_is_one_line(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB)
    result = CliRunner().invoke(app, ["scenarios", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error yaml_too_large"), lines
