"""The README's rule tables against the registry: every rule id and score id has one row of four columns, and every
row names an id the registry knows; every shift rule has its test module, every task rule its tests."""

from __future__ import annotations

import re
from pathlib import Path

from solver.registry import OWNER, RULES, TIERS
from solver.rules import SHIFT_RULES
from solver.tasks import TASK_RULES

ROOT = Path(__file__).resolve().parents[1]
ROW = re.compile(r"^\| `([a-z_]+)` \|")


def rule_rows() -> list[tuple[str, list[str]]]:
    """(id, cells) of every table row in the README's "## Rules" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    out = []
    for line in section.splitlines():
        m = ROW.match(line)
        if m:
            out.append((m.group(1), [c.strip() for c in line.strip().strip("|").split("|")]))
    return out


def test_every_score_id_has_a_readme_row_and_every_row_a_score_id():
    ids = [rid for rid, _ in rule_rows()]
    assert sorted(set(OWNER) - set(ids)) == [], "rules or score ids missing from the README's rule tables"
    assert sorted(set(ids) - set(OWNER)) == [], "README rule rows naming no rule or score id of the registry"
    assert len(ids) == len(set(ids)), "an id with two README rows"


def test_readme_rule_rows_have_four_columns():
    assert [rid for rid, cells in rule_rows() if len(cells) != 4] == []


def test_every_score_id_has_one_owner_and_a_tier():
    ids = [sid for r in RULES for sid in (r.id, *r.scores)]
    assert len(ids) == len(set(ids)) == len(OWNER) == len(TIERS)
    assert set(TIERS.values()) <= {"soft", "unfilled"}


def test_every_rule_has_its_tests():
    missing = [r.id for r in SHIFT_RULES if not (ROOT / "tests" / "rules" / f"test_{r.id}.py").exists()]
    assert missing == [], "shift rules without tests/rules/test_<id>.py"
    task_tests = (ROOT / "tests" / "tasks" / "test_task_rules.py").read_text(encoding="utf-8")
    assert [r.id for r in TASK_RULES if r.id not in task_tests] == [], "task rules not in tests/tasks/test_task_rules.py"
