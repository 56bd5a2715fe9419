"""Scenario KPIs against hand-computed values on a tiny hand-made roster (see the comments per shift)."""

from __future__ import annotations

import datetime as dt

import pytest

from models import Assignment, validate_instance
from scenarios.kpis import judge_shifts, scenario_kpis, vacant
from scenarios.runner import PersonCheck, _hard, fill_vacancies, offer_vacant_hours, with_positions
from scenarios.spec import GoodShiftSettings, RaisePositionsOp
from solver import check
from solver.index import build_index
from solver.view import build_view

MON, TUE, WED = dt.date(2027, 1, 4), dt.date(2027, 1, 5), dt.date(2027, 1, 6)

# Mon D: n1 h1      -> good (n1 also on D Tuesday: continuity carrier)
# Mon A: h2         -> no ansvarsvakt, h2 goes A -> D next morning (9.5 h rest: unlawful and sein-tidlig),
#                      no carrier (h2's next shift is a day shift)
# Tue D: n1 h2      -> h2 arrives after 9.5 h rest from an evening: rest and sein-tidlig fail; n1 carries
# Tue A: a1         -> no ansvarsvakt; a1 also on A Wednesday: carrier
# Wed D: h1         -> 1 of 2 people and no ansvarsvakt: competence and ansvarsvakt fail; no carrier
# Wed A: a1         -> no ansvarsvakt; carrier (A Tuesday)
ALWAYS = GoodShiftSettings(ansvarsvakt="always")
ROSTER = [("n1", MON, "D"), ("h1", MON, "D"), ("h2", MON, "A"), ("n1", TUE, "D"), ("h2", TUE, "D"),
          ("a1", TUE, "A"), ("h1", WED, "D"), ("a1", WED, "A")]


def _setup(data):
    inst, _ = validate_instance(data)
    assignments = [Assignment(staff=s, date=d, shift=t) for s, d, t in ROSTER]
    return inst, check(inst, assignments)


def test_good_shift_criteria_by_hand(tiny):
    inst, roster = _setup(tiny)
    view = build_view(build_index(inst), roster.assignments)
    judged = {(j.date, j.shift): j.checks for j in judge_shifts(view, ALWAYS)}
    assert len(judged) == 6
    f, t = False, True
    expected = {  # competence, ansvarsvakt, rest, no_quick_return, continuity
        ("2027-01-04", "D"): (t, t, t, t, t),
        ("2027-01-04", "A"): (t, f, f, f, f),
        ("2027-01-05", "D"): (t, t, f, f, t),
        ("2027-01-05", "A"): (t, f, t, t, t),
        ("2027-01-06", "D"): (f, f, t, t, f),
        ("2027-01-06", "A"): (t, f, t, t, t),
    }
    for key, want in expected.items():
        got = judged[key]
        assert (got["competence"], got["ansvarsvakt"], got["rest"], got["no_quick_return"], got["continuity"]) \
            == want, key


def test_good_shift_shares(tiny):
    inst, roster = _setup(tiny)
    kpis, _ = scenario_kpis(inst, roster, ALWAYS)
    assert kpis["good_shift_share"] == pytest.approx(round(1 / 6, 4))
    assert kpis["good_shift_competence_share"] == pytest.approx(round(5 / 6, 4))
    assert kpis["good_shift_ansvarsvakt_share"] == pytest.approx(round(2 / 6, 4))
    assert kpis["good_shift_rest_share"] == pytest.approx(round(4 / 6, 4))
    assert kpis["good_shift_no_quick_return_share"] == pytest.approx(round(4 / 6, 4))
    assert kpis["good_shift_continuity_share"] == pytest.approx(round(4 / 6, 4))


def test_ansvarsvakt_only_when_demanded(tiny):
    inst, roster = _setup(tiny)
    kpis, _ = scenario_kpis(inst, roster)  # the default: only where the bemanningsplan asks for one
    # A shifts do not ask for an ansvarsvakt: Tue A and Wed A become good, Mon A still fails on rest
    assert kpis["good_shift_ansvarsvakt_share"] == pytest.approx(round(5 / 6, 4))
    assert kpis["good_shift_share"] == pytest.approx(round(3 / 6, 4))


def test_continuity_same_shift_code(tiny):
    tiny["shift_types"].append({"code": "M", "start": "10:00", "end": "17:30"})
    inst, _ = validate_instance(tiny)
    roster = check(inst, [Assignment(staff=s, date=d, shift=t) for s, d, t in ROSTER]
                   + [Assignment(staff="h2", date=WED, shift="M")])
    view = build_view(build_index(inst), roster.assignments)
    same_kind = {(j.date, j.shift): j.checks["continuity"] for j in judge_shifts(view)}
    same_code = {(j.date, j.shift): j.checks["continuity"]
                 for j in judge_shifts(view, GoodShiftSettings(continuity="same_shift"))}
    # Tue D: n1 worked D on Monday (same code), h2 works M (a day shift) on Wednesday
    assert same_kind[("2027-01-05", "D")] and same_code[("2027-01-05", "D")]
    # Wed D: h1 alone, no neighbour day shift -> no carrier either way
    assert not same_kind[("2027-01-06", "D")] and not same_code[("2027-01-06", "D")]


def test_vacant_hours_and_checker_kpis(tiny):
    inst, roster = _setup(tiny)
    kpis, _ = scenario_kpis(inst, roster)
    # Wed D lacks one person: the ansvarsvakt slot and the total slot each miss 1 -> 1 person-shift of 7.5 h
    assert vacant(build_view(build_index(inst), roster.assignments)) == (1, 7.5)
    assert kpis["vacant_shifts"] == 1 and kpis["vacant_hours"] == 7.5
    assert kpis["unfilled_slots"] == 2  # the checker counts per slot
    # positions 100, 80, 50, 100
    assert kpis["heltidsandel"] == pytest.approx(0.5)
    assert kpis["mean_position_pct"] == pytest.approx(82.5)
    # 5 of the 6 demanded (date, shift) pairs have every slot at its minimum
    assert kpis["competence_met_share"] == pytest.approx(0.8333)
    # 60 h worked, 15 h of them by the assistent
    assert kpis["formal_competence_hours_share"] == pytest.approx(0.75)
    assert kpis["weekend_frequency"] == 0.0  # nobody works a weekend


def test_fairness_per_person(tiny):
    inst, roster = _setup(tiny)
    kpis, _ = scenario_kpis(inst, roster)
    # sein-tidlig per person: h2 1, others 0 -> mean 0.25, sd sqrt(0.25 - 0.0625), max 1
    assert kpis["quick_returns_per_person_mean"] == pytest.approx(0.25)
    assert kpis["quick_returns_per_person_sd"] == pytest.approx(0.433, abs=1e-3)
    assert kpis["quick_returns_per_person_max"] == 1
    assert kpis["nights_per_person_mean"] == 0 and kpis["weekends_per_person_mean"] == 0
    assert kpis["staff_full_time"] == 2


def test_nights_spread(tiny):
    inst, _ = validate_instance(tiny)
    roster = check(inst, [Assignment(staff="h1", date=MON, shift="N"), Assignment(staff="h1", date=TUE, shift="N"),
                          Assignment(staff="h2", date=MON, shift="N")])
    kpis, _ = scenario_kpis(inst, roster)
    # nights 0, 2, 1, 0 -> mean 0.75, population sd sqrt(5/4 - 0.5625) = 0.829, max 2
    assert kpis["nights_per_person_mean"] == pytest.approx(0.75)
    assert kpis["nights_per_person_sd"] == pytest.approx(0.829, abs=1e-3)
    assert kpis["nights_per_person_max"] == 2


def _fill_setup(tiny, h2_pct, h2_desired):
    tiny["rules"] = {"contract_hours": {"tolerance_hours": 4}}
    for d in tiny["demand"]:  # no ansvarsvakt slot: only head count
        d["slots"] = [sl for sl in d["slots"] if sl["id"] == "total"]
    tiny["staff"][2].update(position_pct=h2_pct, desired_pct=h2_desired)
    inst, roster = _setup(tiny)
    return inst, roster, {s.id: s.position_pct for s in inst.staff}


def test_fill_vacancies_raises_who_wants_more(tiny):
    inst, roster, pct = _fill_setup(tiny, 20, 60)
    new, filled = fill_vacancies(inst, roster, RaisePositionsOp(op="raise_positions"), pct)
    # Wed D lacks one person; free that day: n1 (100 %, no wish) and h2 (20 %, wants 60 %): h2 has more room.
    # h2 then works 22.5 h; 35.5 h x p/100 + 4 h tolerance >= 22.5 h needs p >= 52.1 -> 55 % (5 % steps)
    assert new == {"n1": 100, "h1": 80, "h2": 55, "a1": 100}
    added = [a for a in filled if a not in roster.assignments]
    assert [(a.staff, a.date, a.shift) for a in added] == [("h2", WED, "D")]
    raised = with_positions(inst, new)
    assert _hard(check(raised, filled)) <= _hard(roster)  # never breaks a new required rule


def test_fill_vacancies_caps_at_desired(tiny):
    inst, roster, pct = _fill_setup(tiny, 20, 40)
    new, filled = fill_vacancies(inst, roster, RaisePositionsOp(op="raise_positions"), pct)
    # h2 could go to 40 % at most (14.2 h + 4 h < 22.5 h): n1 takes the shift within her own contract
    assert new == pct
    assert [(a.staff, a.date, a.shift) for a in filled if a not in roster.assignments] == [("n1", WED, "D")]


def test_fill_vacancies_needs_qualified_staff(tiny):
    tiny["rules"] = {"contract_hours": {"tolerance_hours": 4}}
    tiny["staff"][0]["absences"] = [{"start_date": "2027-01-06"}]  # the only ansvarsvakt is away on Wednesday
    tiny["staff"][2].update(position_pct=20, desired_pct=60)
    inst, roster = _setup(tiny)
    pct = {s.id: s.position_pct for s in inst.staff}
    new, filled = fill_vacancies(inst, roster, RaisePositionsOp(op="raise_positions"), pct)
    # the total slot still gets its second person (h2 has most room), the ansvarsvakt slot stays vacant
    assert [(a.staff, a.shift) for a in filled if a not in roster.assignments] == [("h2", "D")]
    assert new["h2"] == 55


def test_offer_vacant_hours_raises_by_the_hours(tiny):
    inst, roster, pct = _fill_setup(tiny, 20, 100)
    new = offer_vacant_hours(inst, roster, RaisePositionsOp(op="raise_positions"), pct)
    # Wed D lacks one person (7.5 h). h2 (20 %, wants 100 %) works 15 h: 15 + 7.5 = 22.5 h needs 35.5 h x p/100 +
    # 4 h >= 22.5 h, p >= 52.1 -> 55 % (as fill_vacancies gives her); n1 and a1 want nothing more
    assert new == {**pct, "h2": 55}
    inst, roster, pct = _fill_setup(tiny, 20, 40)  # room 35.5 x 0.4 + 4 - 15 = 3.2 h: the 7.5 h do not fit
    assert offer_vacant_hours(inst, roster, RaisePositionsOp(op="raise_positions"), pct) == pct


def test_a_year_plan_scenario_offers_hours_and_re_plans(tiny, monkeypatch):
    """On a year plan the heltid scenario raises positions by the hours offered (offer_vacant_hours) and re-plans
    from the plan itself (the hint is the roster unchanged, the solve places the hours)."""
    import scenarios.runner as runner

    inst, roster, _ = _fill_setup(tiny, 20, 100)
    monkeypatch.setattr(runner, "is_annual", lambda _inst: True)
    hints = []

    def solve_fn(cand, phase, hint=None):
        hints.append(hint)
        return check(cand, hint or [])

    final, _, solves = runner.solve_scenario(inst, RaisePositionsOp(op="raise_positions", rounds=1), solve_fn, roster)
    assert {s.id: s.position_pct for s in final.staff}["h2"] == 55
    assert solves == 1 and hints == [list(roster.assignments)]


def _person_check_agrees(inst, assignments, cells):
    """PersonCheck refuses exactly the added shifts that raise the full check's REQUIRED penalty."""
    idx = build_index(inst)
    view = build_view(idx, assignments)
    person = PersonCheck(idx, view.shift)
    base = check(inst, assignments).score.hard
    verdicts = []
    for s, d, t in cells:
        trial = assignments + [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t])]
        breaks = check(inst, trial).score.hard > base
        assert person.adds_break(s, d, t, float(idx.position_pct[s])) == breaks, (s, d, t)
        verdicts.append(breaks)
    return verdicts


def test_person_check_agrees_with_the_full_check(tiny):
    inst, roster = _setup(tiny)
    idx = build_index(inst)
    view = build_view(idx, roster.assignments)
    cells = [(s, d, t) for s in range(idx.S) for d in range(idx.D) for t in range(idx.T)
             if view.shift[s, d] < 0 and idx.allowed[s, d, t]]
    verdicts = _person_check_agrees(inst, list(roster.assignments), cells)
    assert any(verdicts) and not all(verdicts)  # both ways: some shifts break a rule (rest after A/N), some do not


def test_person_check_agrees_on_a_solved_unit():
    import random

    from models.generate import generate
    from solver import SolveOptions, solve

    inst = generate("small", weeks=2, seed=3)
    roster = solve(inst, SolveOptions(time_limit_s=5, workers=1, seed=0, max_moves=20))
    idx = build_index(inst)
    view = build_view(idx, roster.assignments)
    free = [(s, d, t) for s in range(idx.S) for d in range(idx.D) for t in range(idx.T)
            if view.shift[s, d] < 0 and idx.allowed[s, d, t]]
    cells = random.Random(0).sample(free, 60)
    verdicts = _person_check_agrees(inst, list(roster.assignments), cells)
    assert any(verdicts) and not all(verdicts)


def test_weekend_arithmetic(tiny):
    from scenarios.kpis import weekend_arithmetic

    for d in tiny["demand"]:
        d["dates"].append("2027-01-09")  # the Saturday too
    inst, _ = validate_instance(tiny)
    out = weekend_arithmetic(inst, 3)
    # Saturday needs 2 on D (largest slot minimum) + 1 on A = 3 people; every 3rd weekend -> 9 on the rota
    assert out["weekend_people_per_day"] == 3 and out["weekend_people_needed"] == 9
    # demanded hours: 4 days x (2 x 7.5 + 1 x 7.5) = 90 h; 90 / (9 x 35.5) = 28.2 %
    assert out["demand_hours"] == 90 and out["implied_mean_position_pct"] == 28.2
