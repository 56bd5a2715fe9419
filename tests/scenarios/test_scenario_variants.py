"""Variant operations on the base instance, and bad input: coded problems naming the variant and the field."""

from __future__ import annotations

import json

import pytest

from models import InstanceError, validate_instance
from scenarios.spec import ScenarioFile
from scenarios.variants import build_variant, parse_scenario, prepare_all, set_path, split_path

from scenario_fixtures import tiny_dict


def _prep(variants, base=None, **extra):
    spec = parse_scenario({"base": "x.json", "variants": variants, **extra})
    inst, _ = validate_instance(base or tiny_dict())
    return {p.name: p for p in prepare_all(spec, inst)}


def _problems(fn) -> list:
    with pytest.raises(InstanceError) as err:
        fn()
    return err.value.problems


def test_weekend_every_and_set_rule():
    p = _prep([{"name": "w2", "ops": [{"op": "weekend_every", "n": 2}]},
               {"name": "rest", "ops": [{"op": "set_rule", "rule": "daily_rest",
                                         "values": {"local_agreement": True, "floor_hours": 9}}]}],
              base=tiny_dict(agreements={"shorter_rest": True}))  # the agreement the shorter rest relies on
    assert p["w2"].instance.rules.weekend_frequency.every_n == 2
    assert p["base"].instance.rules.weekend_frequency.every_n == 3
    assert p["rest"].instance.rules.daily_rest.local_agreement is True
    assert p["rest"].instance.rules.daily_rest.floor_hours == 9


def test_generic_set_by_id_and_index():
    p = _prep([{"name": "s", "ops": [{"op": "set", "path": "staff[h2].position_pct", "value": 75},
                                     {"op": "set", "path": "shift_types[0].end", "value": "15:30"},
                                     {"op": "set", "path": "extensions.note", "value": "free key"}]}])
    inst = p["s"].instance
    assert next(s for s in inst.staff if s.id == "h2").position_pct == 75
    assert inst.shift_types[0].end == 15 * 60 + 30
    assert inst.extensions["note"] == "free key"


def test_split_path():
    assert split_path("staff[A1-004].position_pct") == ["staff", ("A1-004",), "position_pct"]
    data = {"a": [{"id": "x", "b": 1}]}
    assert set_path(data, "a[x].b", 2) == "a[x].b" and data["a"][0]["b"] == 2


def test_unknown_field_names_variant_and_field():
    probs = _problems(lambda: _prep([{"name": "typo", "ops": [
        {"op": "set", "path": "rules.weekend_frequency.every_m", "value": 2}]}]))
    assert len(probs) == 1
    p = probs[0]
    assert p.code == "unknown_field" and p.loc == "variants[0].ops[0].path"
    assert "'typo'" in p.message and "every_m" in p.message


def test_unknown_rule_staff_group_shift():
    probs = _problems(lambda: _prep([
        {"name": "r", "ops": [{"op": "set_rule", "rule": "weekend_freq", "values": {"every_n": 2}}]},
        {"name": "g", "ops": [{"op": "change_group", "staff": ["nobody"], "to": "helsefagarbeider"}]},
        {"name": "g2", "ops": [{"op": "change_group", "from": "assistent", "to": "wizard"}]},
        {"name": "l", "ops": [{"op": "long_weekend_shifts", "shift": "XX"}]},
    ]))
    codes = [(p.code, p.loc) for p in probs]
    assert codes == [("unknown_rule", "variants[0].ops[0].rule"), ("unknown_staff", "variants[1].ops[0].staff"),
                     ("unknown_group", "variants[2].ops[0].to"), ("unknown_shift", "variants[3].ops[0].shift")]
    assert all(f"'{n}'" in p.message for n, p in zip("r g g2 l".split(), probs))


def test_conflicting_ops_in_one_variant():
    probs = _problems(lambda: _prep([{"name": "both", "ops": [
        {"op": "weekend_every", "n": 2},
        {"op": "set", "path": "rules.weekend_frequency.every_n", "value": 4}]}]))
    assert [p.code for p in probs] == ["conflicting_ops"]
    assert "rules.weekend_frequency.every_n" in probs[0].message and "'both'" in probs[0].message
    # a parent path set to a different sub-value also conflicts
    probs = _problems(lambda: _prep([{"name": "nested", "ops": [
        {"op": "set_rule", "rule": "weekend_frequency", "values": {"every_n": 2}},
        {"op": "set", "path": "rules.weekend_frequency", "value": {"every_n": 3}}]}]))
    assert [p.code for p in probs] == ["conflicting_ops"]
    # the same value twice is not a conflict
    _prep([{"name": "same", "ops": [{"op": "weekend_every", "n": 2},
                                    {"op": "set", "path": "rules.weekend_frequency.every_n", "value": 2}]}])


def test_extends_overrides_without_conflict():
    p = _prep([{"name": "a", "ops": [{"op": "weekend_every", "n": 2}, {"op": "raise_positions"}]},
               {"name": "b", "extends": "a", "ops": [{"op": "weekend_every", "n": 4}]}])
    assert p["b"].instance.rules.weekend_frequency.every_n == 4
    assert p["b"].raise_op is not None


def test_bad_values_are_reported_with_variant():
    probs = _problems(lambda: _prep([{"name": "neg", "ops": [
        {"op": "set", "path": "staff[h1].position_pct", "value": 150}]}]))
    assert probs[0].code == "out_of_range" and "neg" in probs[0].loc and "'neg'" in probs[0].message


def test_spec_unknown_fields_and_ops():
    probs = _problems(lambda: parse_scenario({"base": "demo", "varients": []}))
    assert probs[0].code == "unknown_field" and probs[0].loc == "varients"
    probs = _problems(lambda: parse_scenario({"base": "demo", "variants": [
        {"name": "v", "ops": [{"op": "weekend_every", "n": 2, "m": 1}]}]}))
    assert probs[0].code == "unknown_field" and "'v'" in probs[0].message
    probs = _problems(lambda: parse_scenario({"base": "demo", "variants": [
        {"name": "v", "ops": [{"op": "teleport"}]}]}))
    assert probs[0].loc.startswith("variants[0].ops[0]")
    probs = _problems(lambda: parse_scenario({"base": "demo", "variants": [{"name": "v"}, {"name": "v"}],
                                              "staircase": ["w"]}))
    assert {p.code for p in probs} == {"duplicate_variant", "unknown_variant"}


def test_long_weekend_shifts_merge_demand(tiny):
    tiny["demand"] = [
        {"shift": "D", "weekdays": ["mon", "sat", "sun"],
         "slots": [{"id": "ansvarsvakt", "competences": ["ansvarsvakt"], "min": 1}, {"id": "total", "min": 3}]},
        {"shift": "A", "weekdays": ["sat", "sun"], "slots": [{"id": "total", "min": 2, "ideal": 4}]},
    ]
    p = _prep([{"name": "ld", "ops": [{"op": "long_weekend_shifts", "accept": "wants_more",
                                       "also_accept": ["a1"]}]}], base=tiny)["ld"]
    inst = p.instance
    assert "LD" in [t.code for t in inst.shift_types]  # added with its default times
    ld = [d for d in inst.demand if d.shift == "LD"]
    assert len(ld) == 1 and [w.value for w in ld[0].weekdays] == ["sat", "sun"]
    slots = {s.id: (s.min, s.ideal) for s in ld[0].slots}
    assert slots == {"ansvarsvakt": (1, 1), "total": (3, 4)}  # the larger of D and A per slot
    left = [(d.shift, [w.value for w in d.weekdays]) for d in inst.demand if d.shift != "LD"]
    assert left == [("D", ["mon"])]
    accepting = {s.id for s in inst.staff if s.accepts_long_shifts}
    assert accepting == {"a1"}  # nobody in tiny wants more; a1 named explicitly


def test_scale_demand_splits_weekdays(tiny):
    tiny["demand"] = [{"shift": "D", "weekdays": ["mon", "tue", "sat"],
                       "slots": [{"id": "ansvarsvakt", "competences": ["ansvarsvakt"], "min": 1},
                                 {"id": "total", "min": 3, "ideal": 4}]}]
    p = _prep([{"name": "s", "ops": [{"op": "scale_demand", "factor": 1.5, "weekdays": ["mon", "tue"],
                                      "slots": ["total"], "rounding": "up"}]}], base=tiny)["s"]
    by = {tuple(w.value for w in d.weekdays): {s.id: (s.min, s.ideal) for s in d.slots} for d in p.instance.demand}
    assert by[("sat",)] == {"ansvarsvakt": (1, 1), "total": (3, 4)}
    assert by[("mon", "tue")] == {"ansvarsvakt": (1, 1), "total": (5, 6)}


def test_change_group_picks_largest_positions(tiny):
    tiny["staff"].append({"id": "a2", "group": "assistent", "position_pct": 40})
    p = _prep([{"name": "mix", "ops": [{"op": "change_group", "from": "assistent", "to": "helsefagarbeider",
                                        "count": 1, "add_competences": ["med.administer"]}]}], base=tiny)["mix"]
    by = {s.id: s for s in p.instance.staff}
    assert by["a1"].group.value == "helsefagarbeider"
    assert by["a1"].has_competence("med.administer", p.instance.period.start)
    assert by["a2"].group.value == "assistent"


def test_set_demand_and_weekend_curve():
    spec = ScenarioFile.model_validate({"base": "x", "weekend_curve": True, "weekend_curve_n": [2, 4],
                                        "variants": [{"name": "plan", "ops": [{"op": "set_demand", "demand": [
                                            {"shift": "D", "slots": [{"min": 2}]}]}]}]})
    inst, _ = validate_instance(tiny_dict())
    ps = prepare_all(spec, inst)
    assert [p.name for p in ps] == ["base", "plan", "weekend every 2", "weekend every 4"]
    assert len(ps[1].instance.demand) == 1
    assert [p.instance.rules.weekend_frequency.every_n for p in ps[2:]] == [2, 4]
    assert all(p.raise_op is not None and p.kind == "curve" for p in ps[2:])


def test_demo_example_file_is_valid():
    from pathlib import Path

    from scenarios.variants import load_scenario_file

    root = Path(__file__).resolve().parents[2]
    spec, base = load_scenario_file(root / "examples" / "scenarios" / "demo.yaml")
    ps = prepare_all(spec, base)
    assert len([p for p in ps if p.kind == "variant"]) >= 5
    assert json.dumps([p.name for p in ps])


def test_identical_instances_share_one_solve():
    from scenarios.runner import plan_jobs

    spec = parse_scenario({"base": "x", "weekend_curve": True, "weekend_curve_n": [2, 3],
                           "variants": [{"name": "heltid", "ops": [{"op": "raise_positions"}]},
                                        {"name": "w2", "ops": [{"op": "weekend_every", "n": 2}]}]})
    inst, _ = validate_instance(tiny_dict())
    plan = plan_jobs(prepare_all(spec, inst))
    # base, w2 and the two curve points: 2 distinct instances; heltid and "weekend every 3" are one raise job
    assert len(plan.plain) == 2
    assert plan.of["heltid"] == plan.of["weekend every 3"]
    assert plan.of["w2"] == plan.raises[plan.of["weekend every 2"]][0]
    assert plan.raises[plan.of["heltid"]][0] == plan.of["base"]
