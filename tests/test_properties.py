"""Property tests: random small units (2-6 staff, 2-3 shift types, 1-2 weeks, random demand, absences, wishes,
competences, rule levels and pins).

1. The solver's roster passes the checker (no REQUIRED violation unless the solver reported a conflict and a
   relaxed status), its objective equals the checker's score, and pins are kept.
2. For any roster (drawn at random from the allowed cells), the CP-SAT model with every variable fixed to that
   roster prices it exactly as the checker does, rule by rule (the model is built with every REQUIRED group
   relaxed, so each broken group costs HARD_WEIGHT on both sides).
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
from hypothesis import HealthCheck, assume, event, given, reject, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from helpers import MONDAY, SHIFTS, asg, assert_consistent, hard, pins_kept, solve
from models import Assignment, InstanceError, Level, validate_instance
from solver import check
from solver.build import build_model
from solver.index import build_index
from solver.rules.pinned import Pinned

# TURNUS_PROP_EXAMPLES=500 TURNUS_PROP_RANDOM=1 for a deeper (non-deterministic) bug hunt
SETTINGS = settings(max_examples=int(os.environ.get("TURNUS_PROP_EXAMPLES", 25)), deadline=None,
                    derandomize=not os.environ.get("TURNUS_PROP_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

EXTRA_SHIFTS = {
    "DB": {"code": "DB", "start": "07:00", "end": "15:30", "unpaid_break_min": 30},  # unpaid break
    "A0": {"code": "A0", "start": "16:00", "end": "00:00"},  # ends exactly at midnight
    "NL": {"code": "NL", "start": "19:30", "end": "08:00", "unpaid_break_min": 15},  # long night
}
SHIFT_POOL = ["D", "M", "A", "N", "LD", "N8", "E", "L", "DB", "A0", "NL"]
ALL_SHIFTS = {**SHIFTS, **EXTRA_SHIFTS}
GROUPS = ["sykepleier", "helsefagarbeider", "assistent", "vernepleier"]
COMPETENCES = ["med", "ansvar"]
TOGGLED = ["daily_rest", "weekly_rest", "max_daily_hours", "max_weekly_hours", "contract_hours", "sunday_rule",
           "weekend_frequency", "max_consecutive_days", "max_consecutive_nights", "night_average",
           "demand_coverage", "quick_return", "wishes", "fair_unsocial", "short_rest", "stability",
           "work_runs", "off_runs", "shift_runs", "complete_weekends", "max_working_weekends", "fair_weekends",
           "shift_mix_week", "forward_rotation", "forbidden_successions", "total_assignments"]
LEVELS = ["REQUIRED", "PREFERRED", "OFF"]


def iso(d: int, start: dt.date = MONDAY) -> str:
    return (start + dt.timedelta(days=d)).isoformat()


@st.composite
def units(draw, dense: bool = False) -> dict:
    weeks = draw(st.integers(1, 2))
    days = 7 * weeks
    # mostly Monday starts; sometimes another weekday (partial weekends at the period edges)
    first = MONDAY + dt.timedelta(days=draw(st.sampled_from([0, 0, 0, 2, 5, 6])))

    def iso(d: int) -> str:
        return (first + dt.timedelta(days=d)).isoformat()

    codes = draw(st.lists(st.sampled_from(SHIFT_POOL), min_size=2, max_size=3, unique=True))
    n = draw(st.integers(2, 6))
    staff = []
    for i in range(n):
        grants = []
        for code in draw(st.lists(st.sampled_from(COMPETENCES), max_size=2, unique=True)):
            g = {"code": code}
            if draw(st.booleans()):
                g["valid_to"] = iso(draw(st.integers(0, days - 1)))
            grants.append(g)
        absences = []
        if draw(st.integers(0, 3)) == 0:
            a = draw(st.integers(0, days - 1))
            absences.append({"start_date": iso(a), "end_date": iso(min(days - 1, a + draw(st.integers(0, 3))))})
        elif draw(st.integers(0, 4)) == 0:
            a = draw(st.integers(0, days - 1))
            h = draw(st.integers(0, 20))
            absences.append({"start": f"{iso(a)}T{h:02d}:00", "end": f"{iso(a)}T{h + 3:02d}:30"})
        wishes = []
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["want", "avoid"]))
            target = draw(st.sampled_from(["date", "weekday", "shift", "date+shift"]))
            w = {"kind": kind, "weight": draw(st.integers(1, 20))}
            if "date" in target:
                w["date"] = iso(draw(st.integers(0, days - 1)))
            if target == "weekday":
                w["weekday"] = draw(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]))
            if "shift" in target:
                w["shift"] = draw(st.sampled_from(codes))
            wishes.append(w)
        staff.append({
            "id": f"s{i}", "group": draw(st.sampled_from(GROUPS)),
            "position_pct": draw(st.sampled_from([30, 50, 75, 80, 100])),
            "unit": draw(st.sampled_from([None, "A", "B"])),
            "accepts_long_shifts": draw(st.booleans()),
            "night_only": draw(st.integers(0, 7)) == 0,
            "competences": grants, "absences": absences, "wishes": wishes,
        })
    units_present = sorted({s["unit"] for s in staff if s["unit"]})
    demand = []
    for _ in range(draw(st.integers(0, 3))):
        slots = []
        for _ in range(draw(st.integers(1, 2))):
            lo = draw(st.integers(0, 2))
            slot = {"min": lo, "ideal": lo + draw(st.integers(0, 1))}
            if draw(st.booleans()):
                slot["group"] = draw(st.sampled_from(GROUPS))
                slot["or_better"] = draw(st.booleans())
            if draw(st.integers(0, 2)) == 0:
                slot["competences"] = [draw(st.sampled_from(COMPETENCES))]
            slots.append(slot)
        dem = {"shift": draw(st.sampled_from(codes)), "slots": slots}
        sel = draw(st.sampled_from(["all", "weekdays", "dates"]))
        if sel == "weekdays":
            dem["weekdays"] = draw(st.lists(st.sampled_from(["mon", "wed", "fri", "sat", "sun"]), min_size=1,
                                            max_size=3, unique=True))
        elif sel == "dates":
            dem["dates"] = [iso(d) for d in draw(st.lists(st.integers(0, days - 1), min_size=1, max_size=4,
                                                          unique=True))]
        if units_present and draw(st.booleans()):
            dem["unit"] = draw(st.sampled_from(units_present))
        demand.append(dem)
    rules: dict[str, dict] = {}
    for rid in draw(st.lists(st.sampled_from(TOGGLED), max_size=8 if dense else 5, unique=True)):
        rules[rid] = {"level": draw(st.sampled_from(LEVELS))}
        if rules[rid]["level"] == "PREFERRED" or dense:
            rules[rid]["weight"] = draw(st.integers(1, 50))
    if draw(st.booleans()):
        rules.setdefault("daily_rest", {})["local_agreement"] = True
    if draw(st.integers(0, 3)) == 0:
        rules.setdefault("contract_hours", {})["mode"] = "tredelt"
    if draw(st.booleans()):
        rules.setdefault("weekend_frequency", {})["every_n"] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        rules.setdefault("max_consecutive_nights", {})["max_nights"] = draw(st.integers(1, 3))
    if draw(st.booleans()):
        rules.setdefault("contract_hours", {})["tolerance_hours"] = draw(st.sampled_from([2, 8, 20]))
    # the weekend, succession and total rules' readings and bounds (solver/rules/complete_weekends.py and others)
    for rid in ("complete_weekends", "max_working_weekends"):
        if draw(st.booleans()):
            rules.setdefault(rid, {})["friday_night"] = False
    if draw(st.booleans()):
        rules.setdefault("max_working_weekends", {})["max_weekends"] = draw(st.integers(0, 2))
    if draw(st.booleans()):
        rules.setdefault("fair_weekends", {})["by"] = draw(st.sampled_from(["group", "pool"]))
    if draw(st.booleans()):
        rules.setdefault("shift_mix_week", {})["max_kinds"] = 1
    if "forbidden_successions" in rules:
        rules["forbidden_successions"]["pairs"] = [
            {"first": draw(st.sampled_from(codes)), "then": draw(st.lists(st.sampled_from(codes), min_size=1,
                                                                         max_size=2, unique=True))}]
    if "total_assignments" in rules:
        lo = draw(st.integers(0, 4))
        rules["total_assignments"] |= {"min_shifts": lo, "max_shifts": lo + draw(st.integers(0, 4))}
    for p in staff:
        if draw(st.integers(0, 3)) == 0:
            p["limits"] = {"complete_weekends": draw(st.booleans()), "max_weekends": draw(st.integers(0, 2)),
                           "weekends_before": draw(st.integers(0, 2)), "assignments_before": draw(st.integers(0, 3)),
                           "min_assignments": draw(st.integers(0, 3)), "max_assignments": draw(st.integers(3, 8))}
    if "demand_coverage" in rules and rules["demand_coverage"].get("weight", 0) >= 10_000:
        rules["demand_coverage"]["weight"] = 200
    return {
        "id": "prop", "period": {"start": first.isoformat(), "weeks": weeks},
        "staff": staff, "shift_types": [ALL_SHIFTS[c] for c in codes], "demand": demand, "rules": rules,
    }


def valid(data: dict):
    # the properties hold for any rule configuration, statutory rules OFF or PREFERRED included; the legal floors
    # that refuse such units as input are tested in tests/test_legal_floors.py
    try:
        return validate_instance(data, legal_floors=False)[0]
    except InstanceError as err:  # e.g. a slot nobody qualifies for: not the subject here
        if all(p.code in ("competence_unavailable", "unknown_unit") for p in err.problems):
            reject()
        raise


def allowed_cells(inst) -> list[tuple[int, int, int]]:
    return [tuple(c) for c in np.argwhere(build_index(inst).allowed).tolist()]


def pick_pins(draw, inst, k: int) -> list[Assignment]:
    cells = allowed_cells(inst)
    assume(cells)
    idx = build_index(inst)
    chosen = draw(st.lists(st.sampled_from(cells), max_size=k, unique_by=lambda c: (c[0], c[1])))
    return [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t]) for s, d, t in chosen]


# ---- 1. the solver's roster ------------------------------------------------------------------------------------

@SETTINGS
@given(data=st.data())
def test_solver_roster_passes_the_checker(data):
    inst = valid(data.draw(units()))
    pins = pick_pins(data.draw, inst, data.draw(st.sampled_from([3, 3, 8])))
    inst = inst.model_copy(update={"pinned": pins})
    limit = 10.0
    roster = solve(inst, time_limit_s=limit)  # an upper bound: tiny units mostly stop at optimality
    info = roster.solve
    assert info is not None
    out_of_time = info.wall_time_s >= limit - 0.5
    if out_of_time and info.status in ("UNKNOWN", "WARM_START"):
        # a slow machine: no CP-SAT solution in time (the warm start, if lawful, is the answer)
        event("out of time")
        assert info.status == "WARM_START" and roster.lawful or not roster.assignments
        return
    # WARM_START would mean CP-SAT found nothing although a checker-lawful roster exists
    assert info.status not in ("INFEASIBLE", "MODEL_INVALID", "UNKNOWN", "WARM_START"), (info, roster.conflicts)
    assert_consistent(roster)  # (b) objective == checker score
    relaxed = info.status.endswith("_RELAXED")
    if not relaxed:
        assert not hard(roster), hard(roster)  # (a)
        assert not roster.conflicts
    else:
        # the conflicts are named, unless the diagnosis ran out of time and every rule was relaxed ("*")
        assert roster.conflicts or info.relaxed_rules == ["*"], info
        # only relaxed rules may be broken
        broken = {v.rule for v in hard(roster)}
        allowed = set(info.relaxed_rules)
        assert "*" in allowed or broken <= allowed, (broken, allowed)
    assert pins_kept(inst, roster)  # (c)
    assert not any(v.rule == Pinned.id for v in roster.violations)


@settings(SETTINGS, max_examples=max(3, SETTINGS.max_examples // 3))
@given(data=st.data())
def test_search_engine_roster_passes_the_checker(data):
    """The same property on the construction + LNS path (forced: these units are small enough for the monolithic
    model): the roster is lawful unless a REQUIRED rule had to be relaxed, its objective is the checker's score,
    pins are kept, and the search never returns worse than its start."""
    inst = valid(data.draw(units()))
    inst = inst.model_copy(update={"pinned": pick_pins(data.draw, inst, 3)})
    roster = solve(inst, time_limit_s=30.0, engine="lns", max_moves=4)
    info = roster.solve
    assert info is not None
    if info.engine == "lns":
        assert roster.solve.objective == roster.score.total
        assert not hard(roster), hard(roster)
        assert info.start_objective is not None and roster.score.total <= info.start_objective
    else:  # someone had no lawful line: the monolithic model explained and relaxed it
        assert_consistent(roster)
    assert pins_kept(inst, roster)


# ---- 2. the model prices any roster as the checker does --------------------------------------------------------

def model_price(inst, roster_cells: set[tuple[int, int, int]], relax_all: bool = True) -> tuple[int, dict[str, int]]:
    idx = build_index(inst)
    ctx = build_model(inst, idx, relax_all=relax_all)
    for key, v in ctx.x.items():
        ctx.model.add(v == int(key in roster_cells))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(ctx.model)
    assert status == cp_model.OPTIMAL, solver.status_name(status)
    by_rule: dict[str, int] = {}
    for term in ctx.terms:
        by_rule[term.rule] = by_rule.get(term.rule, 0) + ctx.term_value(term, solver)
    # CP-SAT's own value of the objective too: at the optimum a pattern's one-way penalty literal is exact
    assert int(solver.value(ctx.objective_expr())) == ctx.objective_value(solver)
    return ctx.objective_value(solver), by_rule


def merged(by_rule: dict[str, int]) -> dict[str, int]:
    """demand_coverage and demand_ideal split the same total differently in model and checker: merge them."""
    out: dict[str, int] = {}
    for rule, p in by_rule.items():
        key = "demand" if rule.startswith("demand_") else rule
        out[key] = out.get(key, 0) + p
    return {k: v for k, v in out.items() if v}


@SETTINGS
@given(data=st.data())
def test_model_prices_any_roster_like_the_checker(data):
    inst = valid(data.draw(units(dense=True)))
    idx = build_index(inst)
    roster_cells = random_roster(data, inst)
    # pins taken from the roster itself, so they hold
    pins = [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t])
            for s, d, t in sorted(roster_cells)[:2]]
    # a previous roster for the stability rule: a shifted copy
    prev = [Assignment(staff=idx.staff_ids[s], date=idx.dates[(d + 1) % idx.D], shift=idx.shift_codes[t])
            for s, d, t in sorted(roster_cells)[::2]]
    inst = inst.model_copy(update={"pinned": pins, "assignments": prev or None})
    assignments = [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t])
                   for s, d, t in sorted(roster_cells)]
    checked = check(inst, assignments)
    # the checker does not depend on the order of the assignments
    assert check(inst, assignments[::-1]).score == checked.score
    total, by_rule = model_price(inst, roster_cells)
    theirs = {r.rule: r.penalty for r in checked.score.rules}
    assert merged(by_rule) == merged(theirs)
    assert total == checked.score.total
    # REQUIRED rules are priced at HARD_WEIGHT per broken group on both sides (a record may hold several groups:
    # max_weekly_hours reports the overlapping 7 × 24 h windows of one excess together)
    for v in checked.violations:
        if v.level == Level.REQUIRED:
            groups = round(v.amount) if v.rule == "max_weekly_hours" else 1
            assert v.penalty == 1_000_000 * groups
    # a roster the checker finds lawful is feasible in the hard model too (the model is not stricter)
    if checked.lawful:
        assert model_price(inst, roster_cells, relax_all=False)[0] == checked.score.total


def random_roster(data, inst) -> set[tuple[int, int, int]]:
    cells = allowed_cells(inst)
    assume(cells)
    density = data.draw(st.sampled_from([0.1, 0.3, 0.6, 0.9]))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    chosen: dict[tuple[int, int], int] = {}
    for s, d, t in rng.permutation(np.array(cells)).tolist():
        if (s, d) not in chosen and rng.random() < density:
            chosen[s, d] = t
    return {(s, d, t) for (s, d), t in chosen.items()}


@SETTINGS
@given(data=st.data())
def test_lawful_rosters_are_feasible_in_the_hard_model(data):
    """A random roster made lawful by dropping the shifts the checker blames: the hard model (no relaxation) with
    every variable fixed to it is feasible and prices it as the checker does (the model is not stricter)."""
    inst = valid(data.draw(units(dense=True)))
    idx = build_index(inst)
    cells = random_roster(data, inst)
    for _ in range(100):
        checked = check(inst, [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t])
                               for s, d, t in sorted(cells)])
        bad = [v for v in checked.violations if v.level == Level.REQUIRED]
        if not bad:
            break
        for v in bad:
            if not v.dates:  # a whole-period rule (contract hours): make it a preference instead
                rules = inst.rules.model_copy(deep=True)
                getattr(rules, v.rule).level = Level.PREFERRED
                inst = inst.model_copy(update={"rules": rules})
                idx = build_index(inst)
                continue
            s = idx.staff_pos[v.staff]
            days = {idx.date_pos[d] for d in v.dates}
            blamed = sorted(c for c in cells if c[0] == s and c[1] in days)
            if blamed:  # drop one of the blamed shifts (the rest may be fine once it is gone)
                cells.discard(blamed[data.draw(st.integers(0, len(blamed) - 1))])
    assume(checked.lawful)
    event(f"shifts kept: {min(len(cells), 20) // 10 * 10}+")
    pins = [Assignment(staff=idx.staff_ids[s], date=idx.dates[d], shift=idx.shift_codes[t])
            for s, d, t in sorted(cells)[:2]]
    inst = inst.model_copy(update={"pinned": pins})
    checked = check(inst, checked.assignments)
    assert checked.lawful
    assert model_price(inst, cells, relax_all=False)[0] == checked.score.total
