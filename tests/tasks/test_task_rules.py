"""Per-rule tests both ways: the solver keeps the rule (and its objective equals the checker's score), and the
checker finds a hand-made break of it priced as the model prices it."""

from __future__ import annotations

from solver.weights import HARD_WEIGHT

from .task_helpers import checked, nurse, of, person, solved, staff_of, task, unit

MATVERT = {"id": "m1", "group": "matvert", "position_pct": 100}


# ---- coverage -------------------------------------------------------------------------------------------------

def test_solver_covers_task_with_people_on_duty():
    inst = unit([person("h1")], [task("stell", "08:00", "09:00", 45, weekdays=["mon"])], pinned=[("h1", 0, "D")])
    r = solved(inst)
    assert staff_of(r, "stell", 0) == ["h1"]
    assert not r.unassigned_tasks and not of(r, "task_coverage")


def test_dobbeltkontroll_gets_two_people():
    comps = ["med.controlled_drug"]
    inst = unit([nurse("n1", comps=comps), nurse("n2", comps=comps), person("h1")],
                [task("a-prep", "14:30", "15:00", 15, competences=comps, count=2, weekdays=["mon"])],
                pinned=[("n1", 0, "D"), ("n2", 0, "A"), ("h1", 0, "D")])
    r = solved(inst)
    assert staff_of(r, "a-prep", 0) == ["n1", "n2"]


def test_unassigned_is_reported_with_reason_and_priced():
    # only n1 may do it and n1 is pinned to the evening: the morning task cannot be done
    inst = unit([nurse("n1"), person("h1")], [task("med", competences=["med.administer"], priority=5,
                                                   weekdays=["mon"])],
                pinned=[("n1", 0, "A"), ("h1", 0, "D")], active=["one_shift_per_day"])
    r = solved(inst)
    (u,) = r.unassigned_tasks
    assert (u.task, u.code, u.missing) == ("med", "no_qualified_on_duty", 1)
    (v,) = of(r, "task_coverage")
    assert v.penalty == 1000 * 5


def test_checker_prices_missing_people():
    inst = unit([person("h1"), person("h2")], [task("t", count=2, priority=2, weekdays=["mon"])])
    r = checked(inst, [("h1", 0, "D"), ("h2", 0, "D")], tasks=[("t", 0, "08:00", ["h1"])])
    (v,) = of(r, "task_coverage")
    assert v.penalty == 1000 * 2 and v.amount == 1
    assert r.unassigned_tasks[0].code == "qualified_staff_busy"


# ---- competence -----------------------------------------------------------------------------------------------

def test_solver_gives_nurse_task_to_the_nurse():
    inst = unit([person("h1"), nurse("n1")], [task("lege", "10:00", "12:00", 120, group="sykepleier",
                                                  weekdays=["tue"])],
                pinned=[("h1", 1, "D"), ("n1", 1, "D")])
    r = solved(inst)
    assert staff_of(r, "lege", 1) == ["n1"]


def test_or_better_lets_nurse_do_helsefagarbeider_task():
    inst = unit([nurse("n1")], [task("stell", group="helsefagarbeider", weekdays=["mon"])], pinned=[("n1", 0, "D")])
    assert staff_of(solved(inst), "stell", 0) == ["n1"]


def test_checker_flags_unqualified_person():
    inst = unit([person("h1"), nurse("n1")], [task("med", competences=["med.administer"], weekdays=["mon"])])
    r = checked(inst, [("h1", 0, "D"), ("n1", 0, "D")], tasks=[("med", 0, "08:00", ["h1"])])
    (v,) = of(r, "task_competence")
    assert v.level == "REQUIRED" and v.penalty == HARD_WEIGHT and v.staff == "h1"


def test_expired_competence_does_not_count():
    grant = {"code": "med.administer", "valid_to": "2027-01-04"}
    inst = unit([person("h1", competences=[grant]), nurse("n1")],
                [task("med", competences=["med.administer"], weekdays=["tue"])],
                pinned=[("h1", 1, "D"), ("n1", 1, "D")])
    assert staff_of(solved(inst), "med", 1) == ["n1"]


# ---- on duty --------------------------------------------------------------------------------------------------

def test_solver_only_uses_people_on_a_covering_shift():
    inst = unit([person("h1"), person("h2")], [task("kveld", "19:00", "21:00", 30, weekdays=["mon"])],
                pinned=[("h1", 0, "D"), ("h2", 0, "A")], active=["one_shift_per_day"])
    assert staff_of(solved(inst), "kveld", 0) == ["h2"]


def test_checker_flags_off_duty_and_outside_window():
    inst = unit([person("h1")], [task("t", "08:00", "09:00", 30, weekdays=["mon"])])
    r = checked(inst, [("h1", 0, "A")], tasks=[("t", 0, "08:00", ["h1"])])
    assert len(of(r, "task_on_duty")) == 1
    r = checked(inst, [("h1", 0, "D")], tasks=[("t", 0, "08:45", ["h1"])])
    (v,) = of(r, "task_on_duty")
    assert "outside its window" in v.detail


def test_night_task_across_midnight_goes_to_the_night_shift():
    inst = unit([person("h1"), person("h2")], [task("natt", "23:00", "01:00", 30, weekdays=["mon"])],
                shifts=("D", "A", "N"), pinned=[("h1", 0, "A"), ("h2", 0, "N")], active=["one_shift_per_day"])
    r = solved(inst)
    assert staff_of(r, "natt", 0) == ["h2"]


# ---- overlap --------------------------------------------------------------------------------------------------

def test_solver_never_double_books():
    inst = unit([nurse("n1")], [task("a", "08:00", "08:30", 30, competences=["med.administer"], weekdays=["mon"]),
                                task("b", "08:00", "08:30", 30, competences=["med.administer"], weekdays=["mon"],
                                     priority=5)],
                pinned=[("n1", 0, "D")])
    r = solved(inst)
    assert staff_of(r, "b", 0) == ["n1"] and staff_of(r, "a", 0) == []
    assert [u.task for u in r.unassigned_tasks] == ["a"]


def test_window_lets_second_task_move_later():
    inst = unit([person("h1")], [task("a", "08:00", "08:30", 30, weekdays=["mon"]),
                                 task("b", "08:00", "09:30", 30, weekdays=["mon"])], pinned=[("h1", 0, "D")])
    r = solved(inst)
    assert staff_of(r, "a", 0) == ["h1"] and staff_of(r, "b", 0) == ["h1"]


def test_checker_flags_overlap():
    inst = unit([person("h1")], [task("a", weekdays=["mon"]), task("b", weekdays=["mon"])])
    r = checked(inst, [("h1", 0, "D")], tasks=[("a", 0, "08:00", ["h1"]), ("b", 0, "08:15", ["h1"])])
    (v,) = of(r, "task_overlap")
    assert v.staff == "h1" and v.level == "REQUIRED"


# ---- workload -------------------------------------------------------------------------------------------------

def _long_tasks(n: int) -> list[dict]:
    return [task(f"t{i}", "07:30", "15:00", 120, weekdays=["mon"]) for i in range(n)]


def test_solver_keeps_workload_within_shift_minus_break():
    # D = 450 min, break 30: at most 420 task minutes = 3 × 120
    inst = unit([person("h1")], _long_tasks(4), pinned=[("h1", 0, "D")])
    r = solved(inst)
    assert sum(1 for ta in r.task_assignments) == 3 and len(r.unassigned_tasks) == 1


def test_checker_flags_overload():
    inst = unit([person("h1")], _long_tasks(4), task_rules={"task_workload": {"break_min": 100}})
    starts = ["07:30", "09:30", "11:30"]
    r = checked(inst, [("h1", 0, "D")], tasks=[(f"t{i}", 0, s, ["h1"]) for i, s in enumerate(starts)])
    (v,) = of(r, "task_workload")
    assert v.amount == 360 - 350


def test_workload_off_allows_more():
    inst = unit([person("h1")], [task(f"t{i}", "07:30", "15:00", 140, weekdays=["mon"]) for i in range(3)],
                pinned=[("h1", 0, "D")], task_rules={"task_workload": {"level": "OFF"}})
    assert len(solved(inst).task_assignments) == 3


# ---- roles ----------------------------------------------------------------------------------------------------

ANSVAR = {"code": "ansvarsvakt", "shift": "D", "competences": ["ansvarsvakt"], "weekdays": ["mon"]}


def test_solver_names_one_qualified_holder():
    inst = unit([person("h1"), nurse("n1")], roles=[ANSVAR], pinned=[("h1", 0, "D"), ("n1", 0, "D")])
    r = solved(inst)
    assert [(a.role, a.staff, a.shift) for a in r.role_assignments] == [("ansvarsvakt", "n1", "D")]
    assert r.kpis["roles_filled_share"] == 1.0


def test_role_without_qualified_on_shift_is_reported():
    inst = unit([person("h1"), nurse("n1")], roles=[ANSVAR], pinned=[("h1", 0, "D"), ("n1", 0, "A")],
                active=["one_shift_per_day"])
    r = solved(inst)
    (u,) = r.unassigned_tasks
    assert (u.task, u.code) == ("role:ansvarsvakt", "no_qualified_on_shift")
    assert of(r, "shift_roles")[0].penalty == 5000


def test_role_pulls_a_qualified_person_onto_the_shift():
    inst = unit([person("h1"), nurse("n1")], roles=[ANSVAR], pinned=[("h1", 0, "D")])
    r = solved(inst)
    assert [a.staff for a in r.role_assignments] == ["n1"]


def test_checker_role_holder_must_work_and_qualify():
    inst = unit([person("h1"), nurse("n1")], roles=[ANSVAR])
    cells = [("h1", 0, "D"), ("n1", 0, "D")]
    assert not of(checked(inst, cells, roles=[("ansvarsvakt", 0, "D", "n1")]), "shift_roles")
    assert of(checked(inst, cells, roles=[("ansvarsvakt", 0, "D", "h1")]), "shift_roles")
    assert of(checked(inst, [("h1", 0, "D")], roles=[("ansvarsvakt", 0, "D", "n1")]), "shift_roles")


def test_role_reserve_counts_in_workload():
    role = {**ANSVAR, "reserve_min": 120}
    inst = unit([nurse("n1")], _long_tasks(3), roles=[role], pinned=[("n1", 0, "D")])
    r = solved(inst)
    assert len(r.role_assignments) == 1 and len(r.task_assignments) == 2  # 120 + 2×120 <= 420


# ---- continuity -----------------------------------------------------------------------------------------------

def test_solver_prefers_primary_contact():
    users = [{"id": "u1", "primary_contact": "h2", "secondary_contact": "h1"}]
    inst = unit([person("h1"), person("h2"), person("h3")],
                [task("stell", "08:00", "09:00", 30, user="u1")], users, pinned=[(s, d, "D") for s in ("h1", "h2", "h3")
                                                                                for d in range(7)])
    r = solved(inst)
    assert {s for ta in r.task_assignments for s in ta.staff} == {"h2"}
    assert r.kpis["primary_contact_share"] == 1.0 and r.kpis["carers_per_user_period_mean"] == 1.0


def test_solver_keeps_few_carers_without_contacts():
    inst = unit([person("h1"), person("h2"), person("h3")],
                [task("stell", "08:00", "09:00", 30, user="u1")], [{"id": "u1"}],
                pinned=[(s, d, "D") for s in ("h1", "h2", "h3") for d in range(7)])
    r = solved(inst)
    assert r.kpis["carers_per_user_period_mean"] == 1.0


def test_checker_prices_carers_and_contacts():
    users = [{"id": "u1", "primary_contact": "h1", "secondary_contact": "h2"}]
    inst = unit([person("h1"), person("h2"), person("h3"), person("h4")],
                [task("stell", user="u1", weekdays=["mon"])], users)
    cells = [(s, 0, "D") for s in ("h1", "h2", "h3", "h4")]
    inst2 = inst.model_copy(update={"tasks": [inst.tasks[0].model_copy(update={"count": 2})]})
    r = checked(inst2, cells, tasks=[("stell", 0, "08:00", ["h2", "h3"])])
    (v,) = of(r, "continuity")
    assert v.penalty == 40 * 1 + 4 + 1 and v.amount == 1
    r = checked(inst, cells, tasks=[("stell", 0, "08:00", ["h1"])])
    assert not of(r, "continuity")


# ---- oppgavedeling --------------------------------------------------------------------------------------------

def test_meal_flows_to_matvert_and_frees_the_nurse():
    inst = unit([nurse("n1"), MATVERT], [task("frokost", "08:00", "09:00", 60, kind="meal", weekdays=["mon"])],
                pinned=[("n1", 0, "D"), ("m1", 0, "D")])
    r = solved(inst)
    assert staff_of(r, "frokost", 0) == ["m1"]
    assert not of(r, "oppgavedeling")
    assert r.kpis["nurse_hours_on_non_nurse_tasks"] == 0.0


def test_checker_prices_nurse_minutes_below_competence():
    inst = unit([nurse("n1"), MATVERT, person("h1")],
                [task("frokost", "08:00", "09:00", 60, weekdays=["mon"]),
                 task("stell", "09:00", "10:00", 30, group="helsefagarbeider", weekdays=["mon"])])
    cells = [("n1", 0, "D"), ("m1", 0, "D"), ("h1", 0, "D")]
    r = checked(inst, cells, tasks=[("frokost", 0, "08:00", ["n1"]), ("stell", 0, "09:00", ["n1"])])
    (v,) = of(r, "oppgavedeling")
    # frokost: nurse (2/min) + health staff on a no-health task (1/min); stell: nurse on a non-nurse task (2/min)
    assert v.penalty == 60 * 3 + 30 * 2 and v.amount == 90
    assert r.kpis["nurse_hours_on_non_nurse_tasks"] == 1.5
    assert r.kpis["nurse_task_hours_needing_nurse_share"] == 0.0


def test_nurse_only_task_is_not_penalised():
    inst = unit([nurse("n1"), person("h1")], [task("lege", group="sykepleier", weekdays=["mon"])])
    r = checked(inst, [("n1", 0, "D"), ("h1", 0, "D")], tasks=[("lege", 0, "08:00", ["n1"])])
    assert not of(r, "oppgavedeling")
    assert r.kpis["nurse_task_hours_needing_nurse_share"] == 1.0


# ---- roster without tasks, unknown references ------------------------------------------------------------------

def test_unit_without_tasks_has_no_task_fields():
    from helpers import check as plain_check

    r = plain_check(unit([person("h1")]), [("h1", 0, "D")])
    assert r.task_assignments == [] and r.unassigned_tasks == [] and "task_slots" not in r.kpis


def test_checker_flags_unknown_task_and_staff():
    inst = unit([person("h1")], [task("t", weekdays=["mon"])])
    r = checked(inst, [("h1", 0, "D")], tasks=[("zz", 0, "08:00", ["h1"]), ("t", 0, "08:00", ["ghost"])])
    assert of(r, "task_on_duty") and of(r, "task_competence")
