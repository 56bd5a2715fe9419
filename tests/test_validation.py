"""Bad input gives coded problems, every one at once (models.validate_instance / parse_json_text)."""

from __future__ import annotations

import json

import pytest

from helpers import person, tiny_dict
from models import InstanceError, validate_instance
from models.validation import load_instance, parse_json_text


def problems(data) -> list[tuple[str, str]]:
    with pytest.raises(InstanceError) as err:
        validate_instance(data)
    assert str(err.value)  # one readable message
    return [(p.code, p.loc) for p in err.value.problems]


def test_valid_tiny_instance():
    inst, warnings = validate_instance(tiny_dict(2))
    assert warnings == [] and len(inst.staff) == 2


def test_cross_reference_problems_all_at_once():
    data = tiny_dict([person("p1", absences=[{"start_date": "2027-01-05", "end_date": "2027-01-07"},
                                             {"start_date": "2027-01-07"}]),
                      person("p2", "assistent")],
                     shifts=("D", "A"),
                     demand=[{"shift": "Q", "slots": [{"min": 1}]},
                             {"shift": "D", "dates": ["2027-01-04", "2027-02-01"], "slots": [{"min": 1}]},
                             {"shift": "D", "slots": [{"group": "sykepleier", "or_better": False, "min": 1}]},
                             {"shift": "A", "slots": [{"competences": ["med.controlled_drug"], "min": 1}]}],
                     pinned=[("ghost", 0, "D"), ("p1", 0, "Z"), ("p1", 40, "D")])
    got = problems(data)
    assert got == [
        ("overlapping_absence", "staff[0].absences"),
        ("unknown_shift", "demand[0].shift"),
        ("date_outside_period", "demand[1].dates[1]"),
        ("competence_unavailable", "demand[2].slots[0]"),
        ("competence_unavailable", "demand[3].slots[0]"),
        ("unknown_staff", "pinned[0].staff"),
        ("unknown_shift", "pinned[1].shift"),
        ("date_outside_period", "pinned[2].date"),
    ]


def test_touching_absences_do_not_overlap():
    data = tiny_dict([person("p1", absences=[{"start_date": "2027-01-05"},
                                             {"start": "2027-01-06T00:00", "end": "2027-01-06T08:00"}])])
    validate_instance(data)


def test_competence_with_expired_grant_still_counts_as_existing():
    # the check is "does anyone hold it at all"; validity dates are the solver's business
    data = tiny_dict([person("p1", competences=[{"code": "med", "valid_to": "2020-01-01"}])], shifts=("D",),
                     demand=[{"shift": "D", "slots": [{"competences": ["med"], "min": 1}]}])
    validate_instance(data)


def test_field_problems_all_at_once():
    data = tiny_dict([person("p1", pct=-10), person("p2", pct=150)],
                     shifts=("D", {"code": "Z", "start": "08:00", "end": "08:00"}))
    data["staff"][0]["favourite_colour"] = "blue"
    data["bogus"] = 1
    got = problems(data)
    assert ("out_of_range", "staff[0].position_pct") in got
    assert ("out_of_range", "staff[1].position_pct") in got
    assert ("unknown_field", "staff[0].favourite_colour") in got
    assert ("unknown_field", "bogus") in got
    assert ("shift_zero_length", "shift_types[1]") in got
    assert len(got) == 5


@pytest.mark.parametrize("mutate,code", [
    (lambda d: d["shift_types"].append({"code": "Z", "start": "7:30", "end": "15:00"}), "invalid_value"),
    (lambda d: d["period"].update(weeks=0), "out_of_range"),
    (lambda d: d.pop("staff"), "missing_field"),
    (lambda d: d.update(staff=[]), "too_short"),
    (lambda d: d["staff"][0].update(absences=[{"start_date": "2027-01-05", "end_date": "2027-01-04"}]),
     "invalid_value"),
    (lambda d: d["staff"][0].update(wishes=[{"kind": "want"}]), "invalid_value"),
    (lambda d: d["rules"]["daily_rest"].update(local_agreement=True, floor_hours=6), "invalid_value"),
    (lambda d: d["rules"]["demand_coverage"].update(weight=20_000), "invalid_value"),
])
def test_single_field_problem_codes(mutate, code):
    data = tiny_dict(1)
    mutate(data)
    assert [c for c, _ in problems(data)] == [code]


def test_duplicates_and_unknown_refs():
    data = tiny_dict([person("p1", allowed_shifts=["Q"], wishes=[{"kind": "avoid", "shift": "Q"}]), person("p1")],
                     shifts=("D", "D"), demand=[{"shift": "D", "unit": "X", "slots": [{"min": 1}]}])
    got = [c for c, _ in problems(data)]
    assert sorted(got) == sorted(["duplicate_staff", "duplicate_shift", "unknown_shift", "unknown_shift",
                                  "unknown_unit", "competence_unavailable"])


def test_warnings_are_returned_not_raised():
    data = tiny_dict([person("p1", desired_pct=50, pct=80, wishes=[{"kind": "want", "date": "2030-01-01"}])])
    inst, warnings = validate_instance(data)
    assert sorted(w.code for w in warnings) == ["date_outside_period", "desired_below_position"]
    assert all(w.severity == "warning" for w in warnings)
    with pytest.raises(InstanceError):
        validate_instance(data, strict_warnings=True)


def test_malformed_json():
    with pytest.raises(InstanceError) as err:
        parse_json_text('{"id": "x", "staff": [}', "unit.json")
    (p,) = err.value.problems
    assert p.code == "malformed_json" and p.loc == "unit.json" and "line 1" in p.message


def test_load_instance_from_file(tmp_path):
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(tiny_dict(1)), encoding="utf-8")
    assert load_instance(path).id == "tiny"
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(InstanceError) as err:
        load_instance(path)
    assert [p.code for p in err.value.problems] == ["malformed_json"]
    with pytest.raises(InstanceError) as err:
        load_instance(tmp_path / "missing.json")
    assert [p.code for p in err.value.problems] == ["file_unreadable"]


def test_pin_the_person_can_never_work_is_an_input_error():
    """Regression: such a pin passed validation and only failed inside the solver (`turnus solve` crashed with a
    traceback and exit 1 instead of exit 2)."""
    data = tiny_dict([person("p1", absences=[{"start_date": "2027-01-06"}]), person("p2", night_only=True),
                      person("p3", allowed_shifts=["D"])], shifts=("D", "N", "LD"), active=["max_daily_hours"],
                     pinned=[("p1", 2, "D"), ("p1", 1, "N"), ("p1", 1, "D"), ("p2", 0, "D"), ("p3", 0, "N"),
                             ("p3", 1, "LD")])
    got = problems(data)
    assert sorted(got) == sorted([("pinned_not_allowed", f"pinned[{i}]") for i in (0, 1, 3, 4, 5)]
                                 + [("pinned_twice", "pinned[2]")])


@pytest.mark.parametrize("mdh_level", ["REQUIRED", "PREFERRED"])
def test_pin_check_matches_the_solver_index(mdh_level):
    from solver.index import build_index

    staff = [person("a", absences=[{"start_date": "2027-01-06"},
                                   {"start": "2027-01-08T12:00", "end": "2027-01-08T16:00"}]),
             person("b", night_only=True, accepts_long_shifts=True),
             person("c", allowed_shifts=["D", "LD"]),
             person("d", accepts_long_shifts=True)]
    lx = {"code": "LX", "start": "07:00", "end": "20:00"}  # 13 h: over 12.5 h
    # a PREFERRED day length needs a union exception that says so (AML §10-12(4))
    union = {"union_exception": {"preferred": ["max_daily_hours"]}} if mdh_level == "PREFERRED" else {}
    data = tiny_dict(staff, shifts=("D", "A", "N", "LD", lx),
                     rules={"max_daily_hours": {"level": mdh_level}}, agreements=union)
    inst, _ = validate_instance(data)
    idx = build_index(inst)
    from models.validation import pin_not_allowed
    for s, p in enumerate(inst.staff):
        for d, day in enumerate(idx.dates):
            for t, st in enumerate(inst.shift_types):
                assert bool(pin_not_allowed(inst, p, st, day)) == (not idx.allowed[s, d, t]), (p.id, day, st.code)


def test_two_pins_for_one_person_on_one_date_is_a_coded_error():
    import pytest as _pytest

    from models import InstanceError, validate_instance
    from models.generate import generate_dict

    data = generate_dict("small", 1, 1)
    sid = data["staff"][0]["id"]
    data["pinned"] = [{"staff": sid, "date": "2027-01-04", "shift": "D"},
                      {"staff": sid, "date": "2027-01-04", "shift": "A"}]
    with _pytest.raises(InstanceError) as err:
        validate_instance(data)
    assert [p.code for p in err.value.problems] == ["pinned_twice"]
