"""Bad task input: coded problems (validation) and the generator's output."""

from __future__ import annotations

import pytest

from models import InstanceError, validate_instance
from models.generate import generate_dict
from models.tasks_generate import add_tasks

from .task_helpers import nurse, person, task, tiny_dict


def codes(data) -> set[str]:
    with pytest.raises(InstanceError) as err:
        validate_instance(data)
    return {p.code for p in err.value.problems}


def test_unknown_user():
    assert "unknown_user" in codes(tiny_dict([person("h1")], tasks=[task("t", user="nobody")]))


def test_window_too_short():
    assert "task_window_too_short" in codes(tiny_dict([person("h1")], tasks=[task("t", "08:00", "08:20", 30)]))


def test_competence_nobody_has():
    assert "task_competence_unavailable" in codes(
        tiny_dict([person("h1")], tasks=[task("t", competences=["med.controlled_drug"])]))


def test_dobbeltkontroll_needs_two_cleared():
    data = tiny_dict([nurse("n1", comps=["med.controlled_drug"]), person("h1")],
                     tasks=[task("t", competences=["med.controlled_drug"], count=2)])
    assert "task_competence_unavailable" in codes(data)


def test_unknown_contact_and_role_shift():
    data = tiny_dict([person("h1")], users=[{"id": "u1", "primary_contact": "zz"}],
                     roles=[{"code": "ansvarsvakt", "shift": "Q"}])
    assert {"unknown_staff", "unknown_shift"} <= codes(data)


def test_window_across_midnight_is_fine():
    validate_instance(tiny_dict([person("h1")], tasks=[task("t", "23:00", "01:00", 30)]))


@pytest.mark.parametrize("size", ["small", "medium", "large"])
def test_generator_valid_and_deterministic(size):
    a = add_tasks(generate_dict(size, 2, 3), 3)
    b = add_tasks(generate_dict(size, 2, 3), 3)
    assert a == b
    inst, _ = validate_instance(a)
    wards = {s.unit for s in inst.staff if s.unit}
    assert len(inst.users) >= 10 * len(wards)
    if size == "medium":
        assert len(inst.users) == 30
    assert {t.kind for t in inst.tasks} >= {"care", "medication", "meal", "activity", "laundry", "doctor_round"}
    assert any(t.count == 2 for t in inst.tasks)
    assert {r.code for r in inst.roles} == {"ansvarsvakt", "medication_responsible"}
    assert add_tasks(a, 3) == a  # idempotent
