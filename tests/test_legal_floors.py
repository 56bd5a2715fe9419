"""Legal floors (issue 13, item 7): a rule setting beyond what the recorded agreements allow is bad input, statutory
rules cannot be OFF, and every roster says which agreement each deviation from the law's general limits relies on.

Each limit both ways: at the limit accepted, beyond it refused with `beyond_legal_floor` (naming the setting, the
limit and the agreement that would allow it), with that agreement accepted and listed in `Roster.deviations`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import solve, tiny_dict
from typer.testing import CliRunner

from api.cli import app
from models import InstanceError, Roster, validate_instance
from models.agreements import STATUTORY_RULES, Agreements, legal_review
from models.generate import generate_dict
from models.rules import Rules
from models.tasks_generate import add_tasks
from models.validation import read_json
from solver import check

ROOT = Path(__file__).resolve().parents[1]
NONE = {"averaging_tillitsvalgte": False, "sunday_averaging": False}  # no agreement at all: the law's general limits
runner = CliRunner()


def unit(rules: dict | None = None, agreements: dict | None = None) -> dict:
    """A tiny lawful unit (statutory rules at their defaults) with rule overrides and agreements."""
    return tiny_dict(1, rules=rules or {}, agreements=agreements or {})


def problems(data: dict) -> list[tuple[str, str, str]]:
    with pytest.raises(InstanceError) as err:
        validate_instance(data)
    return [(p.code, p.loc, p.message) for p in err.value.problems]


def deviations_of(data: dict) -> dict[str, tuple[str, object]]:
    inst, _ = validate_instance(data)
    return {d.setting: (d.agreement, d.value) for d in check(inst, []).deviations}


def setting(rule: str, field: str, value) -> dict:
    return {rule: {field: value}}


# (rule, field, at the limit, beyond, agreements, the agreement named for "beyond")
FLOORS = [
    ("daily_rest", "min_hours", 11, 10.5, {}, "shorter_rest"),
    ("daily_rest", "min_hours", 8, 7.5, {"shorter_rest": True}, None),
    ("weekly_rest", "min_hours", 35, 34, {}, "shorter_rest"),
    ("weekly_rest", "min_hours", 28, 27.5, {"shorter_rest": True}, None),
    ("weekly_rest_rolling", "min_hours", 35, 34, {}, "shorter_rest"),
    ("weekly_rest_rolling", "min_hours", 28, 27.5, {"shorter_rest": True}, None),
    ("weekly_rest_rolling", "max_gap_hours", 168, 169, {"shorter_rest": True}, None),
    ("max_daily_hours", "max_hours", 9, 9.5, NONE, "averaging_individual"),
    ("max_daily_hours", "max_hours", 10, 10.5, {**NONE, "averaging_individual": True}, "averaging_tillitsvalgte"),
    ("max_daily_hours", "max_hours", 12.5, 12.75, {}, "arbeidstilsynet_consent"),
    ("max_daily_hours", "max_hours", 13, 13.5, {"arbeidstilsynet_consent": True}, "union_exception"),
    ("max_daily_hours", "max_hours", 14, 14.5, {"union_exception": {"max_daily_hours": 14}}, None),
    ("max_weekly_hours", "max_hours_7d", 40, 41, NONE, "arbeidstilsynet_consent"),
    ("max_weekly_hours", "max_hours_7d", 50, 51, {**NONE, "averaging_individual": True}, "averaging_tillitsvalgte"),
    ("max_weekly_hours", "max_hours_7d", 54, 55, {}, None),
    ("max_weekly_hours", "max_avg_hours", 48, 48.5, {}, None),
    ("max_weekly_hours", "avg_weeks", 8, 9, {}, None),
    ("sunday_rule", "max_consecutive", 1, 2, NONE, "sunday_averaging"),
    ("sunday_rule", "max_consecutive", 3, 4, {}, None),
    ("night_average", "max_avg_hours", 8, 8.5, {}, "night_deviation"),
    ("night_average", "window_weeks", 4, 5, {}, "night_deviation"),
]


def _general(agreements: dict) -> dict:
    """The rule settings the law's general limits need when `agreements` are missing (else the defaults would be
    refused too and hide the setting under test)."""
    out: dict = {}
    ag = Agreements.model_validate(agreements)
    if not (ag.averaging_tillitsvalgte or ag.averaging_individual or ag.arbeidstilsynet_consent):
        out["max_daily_hours"] = {"max_hours": 9}
        out["max_weekly_hours"] = {"max_hours_7d": 40, "max_avg_hours": 40}
    elif not ag.averaging_tillitsvalgte:
        out["max_daily_hours"] = {"max_hours": 10 if ag.averaging_individual else 12.5}
        out["max_weekly_hours"] = {"max_hours_7d": 50 if ag.averaging_individual else 48}
    if not ag.sunday_averaging:
        out["sunday_rule"] = {"max_consecutive": 1}
    return out


def _with(agreements: dict, rule: str, field: str, value) -> dict:
    rules = _general(agreements)
    rules.setdefault(rule, {})[field] = value
    return unit(rules, agreements)


@pytest.mark.parametrize("rule,field,at,beyond,agreements,would", FLOORS)
def test_floor_both_ways(rule, field, at, beyond, agreements, would):
    validate_instance(_with(agreements, rule, field, at))  # at the limit: accepted
    got = problems(_with(agreements, rule, field, beyond))
    assert [(c, loc) for c, loc, _ in got] == [("beyond_legal_floor", f"rules.{rule}.{field}")]
    msg = got[0][2]
    if would is not None:
        assert f"agreements.{would}" in msg and "would allow it" in msg, msg
    else:
        assert "no agreement allows" in msg, msg


@pytest.mark.parametrize("rule,field,at,beyond,agreements,would", [f for f in FLOORS if f[5] is not None])
def test_with_the_agreement_the_value_is_accepted_and_reported(rule, field, at, beyond, agreements, would):
    grant = {"max_daily_hours": beyond} if would == "union_exception" else True
    data = _with({**agreements, would: grant}, rule, field, beyond)
    assert deviations_of(data)[f"{rule}.{field}"] == (would, beyond)


def test_the_issue_examples_are_refused_all_at_once():
    """Daily rest 5 h without a local agreement, 16 h days, 80 h weeks, work every weekend, a statutory rule OFF."""
    data = unit(
        {
            "daily_rest": {"min_hours": 5},
            "max_daily_hours": {"max_hours": 16},
            "max_weekly_hours": {"max_hours_7d": 80},
            "sunday_rule": {"max_consecutive": 12},
            "weekly_rest": {"level": "OFF"},
        }
    )
    got = problems(data)
    assert sorted((c, loc) for c, loc, _ in got) == sorted(
        [
            ("statutory_rule_off", "rules.weekly_rest.level"),
            ("beyond_legal_floor", "rules.daily_rest.min_hours"),
            ("beyond_legal_floor", "rules.max_daily_hours.max_hours"),
            ("beyond_legal_floor", "rules.max_weekly_hours.max_hours_7d"),
            ("beyond_legal_floor", "rules.sunday_rule.max_consecutive"),
        ]
    )
    by = {loc: msg for _, loc, msg in got}
    assert "11 h" in by["rules.daily_rest.min_hours"] and "8 h" in by["rules.daily_rest.min_hours"]
    assert "12.5 h with the recorded agreements" in by["rules.max_daily_hours.max_hours"]
    assert "agreements.union_exception" in by["rules.max_daily_hours.max_hours"]


def test_cli_exits_2_with_one_coded_line_per_problem(tmp_path):
    data = unit({"daily_rest": {"min_hours": 5}, "night_average": {"level": "OFF"}})
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    roster = tmp_path / "roster.json"
    roster.write_text('{"assignments": []}', encoding="utf-8")
    for args in (["check", str(path), str(roster)], ["solve", str(path), "-o", str(tmp_path / "out.json")]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2, r.output
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert [ln.split()[1] for ln in lines] == ["statutory_rule_off", "beyond_legal_floor"], lines
        assert "Traceback" not in r.output
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("rule", list(STATUTORY_RULES))
def test_statutory_rule_off_is_refused_even_with_every_agreement(rule):
    every = {
        "averaging_individual": True,
        "arbeidstilsynet_consent": True,
        "shorter_rest": True,
        "night_deviation": True,
        "union_exception": {"max_daily_hours": 16, "preferred": list(STATUTORY_RULES)},
    }
    got = problems(unit({rule: {"level": "OFF"}}, every))
    assert [(c, loc) for c, loc, _ in got] == [("statutory_rule_off", f"rules.{rule}.level")]


@pytest.mark.parametrize("rule", list(STATUTORY_RULES))
def test_statutory_rule_preferred_needs_an_agreement_that_allows_it(rule):
    got = problems(unit({rule: {"level": "PREFERRED"}}, {"shorter_rest": True}))
    assert [(c, loc) for c, loc, _ in got] == [("statutory_rule_preferred", f"rules.{rule}.level")]
    assert "agreements.union_exception" in got[0][2]
    union = {"union_exception": {"preferred": [rule]}}
    assert deviations_of(unit({rule: {"level": "PREFERRED"}}, union))[f"{rule}.level"] == (
        "union_exception",
        "PREFERRED",
    )


def test_night_average_preferred_with_the_night_deviation():
    data = unit({"night_average": {"level": "PREFERRED"}}, {"night_deviation": True})
    assert deviations_of(data)["night_average.level"] == ("night_deviation", "PREFERRED")


def test_practice_rules_may_be_off():
    off = {r: {"level": "OFF"} for r in Rules.model_fields if r not in STATUTORY_RULES}
    validate_instance(unit(off))


def test_switches_that_claim_an_agreement():
    got = problems(unit({"daily_rest": {"local_agreement": True, "floor_hours": 8}}))
    assert [(c, loc) for c, loc, _ in got] == [
        ("agreement_missing", "rules.daily_rest.local_agreement"),
        ("beyond_legal_floor", "rules.daily_rest.floor_hours"),
    ]
    devs = deviations_of(unit({"daily_rest": {"local_agreement": True, "floor_hours": 8}}, {"shorter_rest": True}))
    assert devs["daily_rest.floor_hours"] == ("shorter_rest", 8) and devs["daily_rest.local_agreement"][0] == (
        "shorter_rest"
    )
    got = problems(unit({"night_average": {"deviation_agreed": True}}))
    assert [(c, loc) for c, loc, _ in got] == [("agreement_missing", "rules.night_average.deviation_agreed")]
    # with the deviation agreed the 8 h average is lifted, so its fields are no longer limited
    data = unit({"night_average": {"deviation_agreed": True, "max_avg_hours": 12}}, {"night_deviation": True})
    assert deviations_of(data)["night_average.deviation_agreed"] == ("night_deviation", True)


def test_floor_hours_only_counts_with_the_local_agreement():
    validate_instance(unit({"daily_rest": {"floor_hours": 8}}))


def test_agreements_with_tillitsvalgte_need_a_tariff_bound_employer():
    got = problems(unit(_general({"tariff_bound": False, "averaging_tillitsvalgte": True}), {"tariff_bound": False}))
    assert [(c, loc) for c, loc, _ in got] == [("agreement_not_possible", "agreements.averaging_tillitsvalgte")]
    data = unit(_general({**NONE, "tariff_bound": False}), {**NONE, "tariff_bound": False})
    validate_instance(data)
    got = problems(unit({**_general(NONE), "max_daily_hours": {"max_hours": 10}}, {**NONE, "tariff_bound": False}))
    assert "agreements.averaging_individual" in got[0][2]  # not the tillitsvalgte agreement it cannot make


def test_defaults_are_the_normal_ks_unit():
    found, devs = legal_review(Rules(), Agreements())
    assert found == []
    assert {d.setting: d.agreement for d in devs} == {
        "max_daily_hours.max_hours": "averaging_tillitsvalgte",
        "max_weekly_hours.max_hours_7d": "averaging_tillitsvalgte",
        "max_weekly_hours.max_avg_hours": "averaging_tillitsvalgte",
        "sunday_rule.max_consecutive": "sunday_averaging",
    }
    by = {d.setting: d for d in devs}
    assert (by["max_daily_hours.max_hours"].statutory, by["max_daily_hours.max_hours"].limit) == (9, 12.5)
    assert by["max_weekly_hours.max_hours_7d"].source == "AML §10-5(2)"


def test_the_least_permissive_agreement_is_the_one_relied_on():
    both = {"arbeidstilsynet_consent": True, "union_exception": {"max_daily_hours": 15}}
    assert deviations_of(unit({}, both))["max_daily_hours.max_hours"][0] == "averaging_tillitsvalgte"
    assert deviations_of(unit({"max_daily_hours": {"max_hours": 13}}, both))["max_daily_hours.max_hours"][0] == (
        "arbeidstilsynet_consent"
    )
    assert deviations_of(unit({"max_daily_hours": {"max_hours": 15}}, both))["max_daily_hours.max_hours"][0] == (
        "union_exception"
    )


def test_solved_and_checked_rosters_carry_the_deviations(tmp_path):
    data = unit({"max_daily_hours": {"max_hours": 13}}, {"arbeidstilsynet_consent": True})
    inst, _ = validate_instance(data)
    roster = solve(inst, 5.0)
    assert {d.setting: d.agreement for d in roster.deviations}["max_daily_hours.max_hours"] == (
        "arbeidstilsynet_consent"
    )
    (tmp_path / "unit.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "roster.json").write_text(roster.model_dump_json(), encoding="utf-8")
    r = runner.invoke(app, ["check", "--json", str(tmp_path / "unit.json"), str(tmp_path / "roster.json")])
    assert r.exit_code == 0, r.output
    out = Roster.model_validate_json(r.stdout)
    assert [d.model_dump() for d in out.deviations] == [d.model_dump() for d in roster.deviations]


def test_service_refuses_beyond_the_floor_with_422_and_reports_deviations(tmp_path):
    from fastapi.testclient import TestClient

    from api.service import Settings, create_app

    data = unit({"daily_rest": {"min_hours": 5}, "sunday_rule": {"level": "OFF"}})
    settings = Settings(data_dir=tmp_path, api_keys=["k"], max_concurrent=1, poll_interval_s=0.05)
    with TestClient(create_app(settings), headers={"X-API-Key": "k"}) as client:
        for url in ("/v1/rosters", "/v1/rosters?operation=score"):
            resp = client.post(url, json={"input": {**data, "assignments": []}})
            assert resp.status_code == 422, resp.text
            codes = [(e["code"], e["loc"]) for e in resp.json()["errors"]]
            assert codes == [
                ("statutory_rule_off", "input.rules.sunday_rule.level"),
                ("beyond_legal_floor", "input.rules.daily_rest.min_hours"),
            ]
        # config.rules overrides are merged first and judged the same way
        resp = client.post("/v1/validate", json={"input": unit(), "config": {"rules": {"weekly_rest": {"level": "OFF"}}}})
        assert resp.json()["valid"] is False and resp.json()["errors"][0]["code"] == "statutory_rule_off"
        good = unit({"max_daily_hours": {"max_hours": 13}}, {"arbeidstilsynet_consent": True})
        resp = client.post("/v1/rosters?operation=score", json={"input": {**good, "assignments": []}})
        assert resp.status_code == 201, resp.text
        roster = client.get(f"/v1/rosters/{resp.json()['id']}").json()["roster"]
        assert {d["setting"]: d["agreement"] for d in roster["deviations"]}["max_daily_hours.max_hours"] == (
            "arbeidstilsynet_consent"
        )


def _bundled() -> list[tuple[str, dict]]:
    out = [(p.name, read_json(p)) for p in sorted((ROOT / "models" / "data").glob("*.json"))]
    out += [(f"generated-{s}", generate_dict(s, 6, 1)) for s in ("small", "medium", "large")]
    out += [("generated-medium-tasks", add_tasks(generate_dict("medium", 6, 1), 1))]
    return out


@pytest.mark.parametrize("name,data", _bundled(), ids=[n for n, _ in _bundled()])
def test_bundled_and_generated_units_pass_the_floors_and_record_their_agreements(name, data):
    inst, _ = validate_instance(data)
    devs = {d.setting: d.agreement for d in legal_review(inst.rules, inst.agreements)[1]}
    assert devs["night_average.deviation_agreed"] == "night_deviation"  # the 10 h nights rest on it


def test_every_scenario_variant_passes_the_floors():
    from scenarios.variants import load_scenario_file, prepare_all

    for path in sorted((ROOT / "examples" / "scenarios").glob("*.yaml")):
        spec, base = load_scenario_file(path)
        prepared = prepare_all(spec, base)
        assert prepared
        for p in prepared:
            assert legal_review(p.instance.rules, p.instance.agreements)[0] == [], p.name


def test_week_start_other_than_monday_needs_the_agreed_week_boundary():
    import pytest as _pytest

    from models import InstanceError, validate_instance
    from models.generate import generate_dict
    from solver import check

    data = generate_dict("small", 1, 1)
    data["period"]["week_start"] = "wednesday"
    with _pytest.raises(InstanceError) as err:
        validate_instance(data)
    assert [(p.code, p.loc) for p in err.value.problems] == [("agreement_missing", "period.week_start")]
    data.setdefault("agreements", {})["week_boundary"] = True
    inst = validate_instance(data)[0]
    devs = check(inst, []).deviations
    assert [(d.setting, d.value, d.agreement) for d in devs if d.setting == "period.week_start"] == [
        ("period.week_start", "wednesday", "week_boundary")
    ]
